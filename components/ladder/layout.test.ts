import { describe, expect, it } from 'vitest';
import { createSmtpDissector } from '@/lib/protocols/smtp/dissector.ts';
import { createFtpDissector } from '@/lib/protocols/ftp/dissector.ts';
import { createSoapDissector } from '@/lib/protocols/soap/dissector.ts';
import type { Dissector, DissectedMessage, StreamDir } from '@/lib/protocols/types.ts';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { ladderLayout, type LadderLayout } from './layout';

const conn = (id: string, protocol: ConnectionInfo['protocol'], startedAt: number, extra: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  id, protocol, sandbox: 'local', startedAt, endedAt: startedAt + 1000, messageCount: 0, client: `127.0.0.1:${40000 + startedAt}`, ...extra,
});

/** Files dissected (or hand-made) messages as the recorder would: seq from 1, t one ms apart from `t0`. */
function file(c: ConnectionInfo, messages: DissectedMessage[], t0 = 0): LabMessage[] {
  return messages.map((m, i) => ({ ...m, id: `${c.id}:${i + 1}`, conn: c.id, sandbox: 'local', protocol: c.protocol, seq: i + 1, t: t0 + i, view: 'wire' }));
}

function dissect(dissector: Dissector, steps: [StreamDir, string][]): DissectedMessage[] {
  return steps.flatMap(([dir, text]) => dissector.push(dir, new TextEncoder().encode(text))).concat(dissector.end());
}

const note = (text: string, extra: Partial<DissectedMessage> = {}): DissectedMessage => ({ dir: 'note', kind: 'note', text, bytes: 0, ...extra });

/** A row as `from→to label` with lane labels, for readable expectations. */
const show = (layout: LadderLayout) => layout.rows.map((r) => `${layout.lanes[r.from].label}${r.kind === 'note' ? ' •' : ' →'} ${r.kind === 'note' ? '' : `${layout.lanes[r.to].label}: `}${r.label}`);

const SOAP_ENVELOPE = '<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><m:getMonth xmlns:m="urn:cal"><year>2003</year><month>1</month></m:getMonth></env:Body></env:Envelope>';

describe('ladderLayout', () => {
  it('draws an SMTP session between client and server, one row per command and reply, in wire order', () => {
    const c = conn('smtp-1', 'smtp', 1000, { label: 'browser console', server: '127.0.0.1:2525' });
    const messages = file(c, dissect(createSmtpDissector(), [
      ['server', '220 mail.lab.test ESMTP\r\n'],
      ['client', 'EHLO me\r\n'],
      ['server', '250-mail.lab.test\r\n250 PIPELINING\r\n'],
      ['client', 'RCPT TO:<nobody@lab.test>\r\n'],
      ['server', '503 5.5.1 Error: need MAIL command\r\n'],
    ]));
    const layout = ladderLayout([c], messages);
    expect(layout.lanes.map((l) => `${l.role}:${l.label}`)).toEqual(['client:browser console', 'server:SMTP server']);
    expect(layout.lanes[1].detail).toBe('127.0.0.1:2525');
    expect(show(layout)).toEqual([
      'SMTP server → browser console: 220 mail.lab.test ESMTP',
      'browser console → SMTP server: EHLO me',
      'SMTP server → browser console: 250-mail.lab.test',
      'browser console → SMTP server: RCPT TO:<nobody@lab.test>',
      'SMTP server → browser console: 503 5.5.1 Error: need MAIL command',
    ]);
    expect(layout.rows.map((r) => r.id)).toEqual(messages.map((m) => m.id));
    expect(layout.rows[4].level).toBe('error');
    expect(layout.rows[1].title).toBeTruthy();
  });

  it('gives an FTP data connection its own lane, between the control client and the data port, merged in time', () => {
    const control = conn('ftp-1', 'ftp', 5000);
    const data = conn('ftp-2', 'ftp', 5004, { parent: 'ftp-1', label: 'data (passive, LIST) client → server :30001', client: '127.0.0.1:50002' });
    const controlMessages = file(control, [
      ...dissect(createFtpDissector(), [['client', 'PASV\r\n'], ['server', '227 Entering Passive Mode (127,0,0,1,117,49)\r\n'], ['client', 'LIST\r\n'], ['server', '150 Opening\r\n']]),
      note('Data connection opened: passive', { annotation: { key: 'ftp.data.open', title: 'Data connection', explain: '' } }),
      ...dissect(createFtpDissector(), [['server', '226 Closing data connection\r\n']]),
    ]);
    // Control: PASV, 227, LIST, 150, note, 226 at 5000…5005 ms; the data connection's bytes at 5004, its note at 5005:
    // at the same millisecond the control connection goes first.
    const dataMessages = file(data, [{ dir: 'server', kind: 'data', text: '-rw-r--r-- 1 student README.txt', bytes: 42 }, note('Transfer done: 42 bytes')]);
    const layout = ladderLayout([control, data], [...dataMessages, ...controlMessages]);
    expect(layout.lanes.map((l) => l.role)).toEqual(['client', 'lab', 'server', 'child']);
    expect(layout.lanes[3]).toMatchObject({ id: 'child:ftp-2', label: 'data (passive, LIST) client → server :30001' });
    expect(show(layout)).toEqual([
      'client → FTP server: PASV',
      'FTP server → client: 227 Entering Passive Mode (127,0,0,1,117,49)',
      'client → FTP server: LIST',
      'FTP server → client: 150 Opening',
      'lab (tap) • Data connection opened: passive',
      'data (passive, LIST) client → server :30001 → client: -rw-r--r-- 1 student README.txt',
      'FTP server → client: 226 Closing data connection',
      'data (passive, LIST) client → server :30001 • Transfer done: 42 bytes',
    ]);
  });

  it('puts the control connection first at the same tenth of a millisecond, whatever floating-point noise the sums carry', () => {
    // LIST at 1796220225564.1 + 1.1 is 1796220225565.2002 in floating point: a plain sum puts the data connection's line first.
    const control = conn('ftp-1', 'ftp', 1796220225564.1);
    const data = conn('ftp-2', 'ftp', 1796220225565.2, { parent: 'ftp-1', label: 'data', client: '127.0.0.1:50002' });
    const controlMessages = file(control, dissect(createFtpDissector(), [['client', 'PASV\r\n'], ['client', 'LIST\r\n']]), 0.1);
    const dataMessages = file(data, [{ dir: 'server', kind: 'data', text: 'README.txt', bytes: 10 }]);
    const layout = ladderLayout([control, data], [...dataMessages, ...controlMessages]);
    expect(show(layout).map((row) => row.split(': ').pop())).toEqual(['PASV', 'LIST', 'README.txt']);
  });

  it('hands a SOAP body from the SMTP server to a SOAP lane, with the envelope lines folded into the hand-off', () => {
    const c = conn('smtp-7', 'smtp', 100);
    const messages = file(c, dissect(createSmtpDissector(), [
      ['server', '220 lab ESMTP\r\n'],
      ['client', 'MAIL FROM:<student@lab.test>\r\n'],
      ['server', '250 OK\r\n'],
      ['client', 'RCPT TO:<calendar@lab.test>\r\n'],
      ['server', '250 OK\r\n'],
      ['client', 'DATA\r\n'],
      ['server', '354 go ahead\r\n'],
      ['client', `From: student@lab.test\r\nMessage-ID: <r1@lab.test>\r\nContent-Type: application/soap+xml\r\n\r\n${SOAP_ENVELOPE}\r\n.\r\n`],
      ['server', '250 OK queued\r\n'],
    ]));
    const layout = ladderLayout([c], messages);
    expect(layout.lanes.map((l) => `${l.role}:${l.label}`)).toEqual(['client:client', 'server:SMTP server', 'handoff:SOAP']);
    const rows = show(layout);
    const body = rows.indexOf('client → SMTP server: From: student@lab.test');
    expect(body).toBeGreaterThan(0);
    expect(rows.slice(body + 1)).toEqual(['SMTP server → SOAP: The message body is SOAP 1.2 getMonth: handed to the SOAP dissector', 'client → SMTP server: .', 'SMTP server → client: 250 OK queued']);
    const handoff = layout.rows[body + 1];
    expect(handoff.kind).toBe('handoff');
    expect(handoff.title).toBe('SOAP over SMTP');
    // The envelope's lines (0 bytes each) belong to the hand-off; the mail's header lines to the body arrow.
    expect(handoff.more).toBe(messages.filter((m) => m.kind === 'xml').length);
    expect(layout.rows[body].more).toBe(4);
  });

  it('shares the server and hand-off lanes between a request mail and its answer mail', () => {
    const request = conn('smtp-1', 'smtp', 100, { label: 'student@lab.test' });
    const answer = conn('smtp-2', 'smtp', 200, { label: 'calendar@lab.test' });
    const handoff = (c: ConnectionInfo, t0: number) => file(c, [{ dir: 'client', kind: 'command', text: 'DATA', bytes: 6 }, note('The message body is SOAP 1.2 getMonth: handed to the SOAP dissector', { annotation: { key: 'smtp.note.soap-handoff', title: 'SOAP over SMTP', explain: '' } })], t0);
    const layout = ladderLayout([answer, request], [...handoff(answer, 0), ...handoff(request, 0)]);
    expect(layout.lanes.map((l) => l.label)).toEqual(['student@lab.test', 'calendar@lab.test', 'SMTP server', 'SOAP']);
    expect(show(layout)).toEqual([
      'student@lab.test → SMTP server: DATA',
      'SMTP server → SOAP: The message body is SOAP 1.2 getMonth: handed to the SOAP dissector',
      'calendar@lab.test → SMTP server: DATA',
      'SMTP server → SOAP: The message body is SOAP 1.2 getMonth: handed to the SOAP dissector',
    ]);
  });

  it('keeps an HTTP request with its headers and SOAP envelope on one row (SOAP over HTTP)', () => {
    const c = conn('soap-1', 'soap', 0);
    const body = SOAP_ENVELOPE;
    const messages = file(c, dissect(createSoapDissector(), [
      ['client', `POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`],
      ['server', 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'],
    ]));
    const layout = ladderLayout([c], messages);
    expect(show(layout)).toEqual(['client → SOAP service host: POST /soap/calendar HTTP/1.1', 'SOAP service host → client: HTTP/1.1 500 Internal Server Error']);
    expect(layout.rows[0].more).toBe(messages.filter((m) => m.dir === 'client').length - 1);
  });

  it('lets the interceptor answer a request it refused, and notes its decision on its lane', () => {
    const c = conn('gateway-1', 'gateway', 0);
    const messages = file(c, [
      { dir: 'client', kind: 'request-line', text: 'GET /api/grades HTTP/1.1', bytes: 26 },
      { dir: 'client', kind: 'header', text: 'Authorization: Basic Ym9i', bytes: 27 },
      note('Interceptor denied: bob (Basic) → grades.list', { annotation: { key: 'access.deny', title: 'Interceptor: denied', explain: '', level: 'warn' } }),
      { dir: 'server', kind: 'status-line', text: 'HTTP/1.1 403 Forbidden', bytes: 24 },
      { dir: 'client', kind: 'request-line', text: 'GET /api/courses HTTP/1.1', bytes: 27 },
      note('Interceptor permitted: bob (Basic) → courses.list', { annotation: { key: 'access.permit', title: 'Interceptor: permitted', explain: '' } }),
      { dir: 'server', kind: 'status-line', text: 'HTTP/1.1 200 OK', bytes: 17 },
    ]);
    const layout = ladderLayout([c], messages);
    expect(layout.lanes.map((l) => l.label)).toEqual(['client', 'interceptor', 'service host']);
    expect(show(layout)).toEqual([
      'client → service host: GET /api/grades HTTP/1.1',
      'interceptor • Interceptor denied: bob (Basic) → grades.list',
      'interceptor → client: HTTP/1.1 403 Forbidden',
      'client → service host: GET /api/courses HTTP/1.1',
      'interceptor • Interceptor permitted: bob (Basic) → courses.list',
      'service host → client: HTTP/1.1 200 OK',
    ]);
  });

  it('draws a connection through an SSH tunnel from the SSH server to its own lane', () => {
    const ssh = conn('ssh-1', 'ssh', 0);
    const zmq = conn('zmq-1', 'zmq', 3, { parent: 'ssh-1', label: 'through an SSH tunnel' });
    const layout = ladderLayout(
      [ssh, zmq],
      [
        ...file(ssh, [{ dir: 'client', kind: 'version', text: 'SSH-2.0-OpenSSH_9.2', bytes: 21 }, { dir: 'client', kind: 'encrypted', text: '[encrypted] 1 packet', bytes: 52 }, { dir: 'client', kind: 'encrypted', text: '[encrypted] 1 packet', bytes: 52 }]),
        ...file(zmq, [{ dir: 'client', kind: 'greeting', text: 'signature FF 00 00 00 00 00 00 00 01 7F', bytes: 10 }], 1),
      ],
    );
    expect(layout.lanes.map((l) => `${l.role}:${l.label}`)).toEqual(['client:client', 'server:SSH server', 'child:through an SSH tunnel']);
    expect(show(layout)).toEqual([
      'client → SSH server: SSH-2.0-OpenSSH_9.2',
      'client → SSH server: [encrypted] 1 packet',
      'SSH server → through an SSH tunnel: signature FF 00 00 00 00 00 00 00 01 7F',
    ]);
    expect(layout.rows[1].more).toBe(1);
  });

  it('marks injected arrows as coming from the lab, and edited ones, never folding them into a neighbour', () => {
    const c = conn('smtp-3', 'smtp', 0);
    const messages = file(c, [
      { dir: 'client', kind: 'command', text: 'RCPT TO:<bob@lab.test>', bytes: 24, edited: { original: 'RCPT TO:<alice@lab.test>' } },
      { dir: 'server', kind: 'reply', text: '451 4.3.0 Try again later', bytes: 27, injected: { rule: 'smtp.rcpt-451-second', title: 'the 2nd RCPT gets 451 4.3.0' } },
      { dir: 'server', kind: 'tls-record', text: 'TLS record', bytes: 30 },
      { dir: 'server', kind: 'tls-record', text: 'TLS record', bytes: 30, injected: { rule: 'x', title: 'y' } },
    ]);
    const layout = ladderLayout([c], messages);
    expect(layout.lanes.map((l) => l.role)).toEqual(['client', 'lab', 'server']);
    expect(show(layout)).toEqual(['client → SMTP server: RCPT TO:<bob@lab.test>', 'lab (tap) → client: 451 4.3.0 Try again later', 'SMTP server → client: TLS record', 'lab (tap) → client: TLS record']);
    expect(layout.rows[0].edited).toEqual({ original: 'RCPT TO:<alice@lab.test>' });
    expect(layout.rows[1].injected?.rule).toBe('smtp.rcpt-451-second');
  });

  it('keeps each connection in seq order even when messages arrive shuffled, and caps the rows', () => {
    const a = conn('a', 'smtp', 0);
    const b = conn('b', 'smtp', 0);
    const ma = file(a, Array.from({ length: 5 }, (_, i) => ({ dir: 'client' as const, kind: 'command', text: `A${i + 1}`, bytes: 4 })));
    const mb = file(b, Array.from({ length: 5 }, (_, i) => ({ dir: 'client' as const, kind: 'command', text: `B${i + 1}`, bytes: 4 })), 2);
    const layout = ladderLayout([a, b], [...mb, ...ma].reverse());
    expect(layout.rows.map((r) => r.label)).toEqual(['A1', 'A2', 'A3', 'B1', 'A4', 'B2', 'A5', 'B3', 'B4', 'B5']);
    const capped = ladderLayout([a, b], [...ma, ...mb], { maxRows: 4 });
    expect(capped.rows).toHaveLength(4);
    expect(capped.truncated).toBe(6);
  });

  it('lays out nothing for no connections, and leaves out messages of connections not given', () => {
    expect(ladderLayout([], [])).toEqual({ lanes: [], rows: [], truncated: 0 });
    const c = conn('c', 'ftp', 0);
    expect(ladderLayout([c], file(conn('other', 'ftp', 0), [{ dir: 'client', kind: 'command', text: 'USER x', bytes: 8 }])).rows).toEqual([]);
  });
});
