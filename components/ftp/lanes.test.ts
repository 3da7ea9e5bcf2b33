import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { buildChannelPicture, transferCommands } from './lanes';

let n = 0;
const msg = (conn: string, t: number, dir: LabMessage['dir'], kind: string, text: string, extra: Partial<LabMessage> = {}): LabMessage => ({
  id: `m${++n}`, conn, sandbox: 'local', protocol: 'ftp', seq: n, t, dir, view: 'wire', kind, text, ...extra,
});
const conn = (id: string, startedAt: number, extra: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  id, protocol: 'ftp', sandbox: 'local', startedAt, endedAt: null, messageCount: 0, client: '127.0.0.1:50000', ...extra,
});

const control = conn('ctl', 1000, { endedAt: 1200 });
const controlMessages = [
  msg('ctl', 5, 'server', 'reply', '220 Ready'),
  msg('ctl', 80, 'client', 'command', 'EPSV'),
  msg('ctl', 81, 'server', 'reply', '229 Entering Extended Passive Mode (|||39110|)'),
  msg('ctl', 83, 'client', 'command', 'LIST -a'),
  msg('ctl', 84, 'server', 'reply', '150 File status okay; about to open data connection'),
  msg('ctl', 126, 'server', 'reply', '226 Closing data connection'),
  msg('ctl', 140, 'client', 'command', 'PORT 127,0,0,1,157,29'),
  msg('ctl', 141, 'server', 'reply', '200 PORT command successful'),
  msg('ctl', 142, 'client', 'command', 'LIST'),
  msg('ctl', 145, 'server', 'reply', '425 No connection established', { annotation: { title: '425', explain: '', level: 'warn' } }),
];
const passive = conn('d1', 1081, { endedAt: 1090, client: '127.0.0.1:45552', label: 'data (passive, EPSV) client → server :39110', parent: 'ctl' });
const blocked = conn('d2', 1143, { endedAt: 1143, client: '127.0.0.1:40221', label: 'data (active) server → client 127.0.0.1:40221', parent: 'ctl' });
const data: Record<string, LabMessage[]> = {
  ctl: controlMessages,
  d1: [
    msg('d1', 0.1, 'note', 'note', "Passive data connection: the client 127.0.0.1:45552 connected to the server's port 39110"),
    msg('d1', 1, 'note', 'note', 'Carries the data for LIST -a.'),
    msg('d1', 5, 'server', 'data', '-rw-r--r-- hello.txt', { bytes: 54 }),
    msg('d1', 6, 'note', 'note', 'Data connection closed', {
      annotation: { key: 'ftp.data.summary', title: 'summary', explain: '' },
      fields: [
        { name: 'bytes client→server', value: '0' },
        { name: 'bytes server→client', value: '54' },
        { name: 'duration ms', value: '5.6' },
        { name: 'protection', value: 'clear' },
      ],
    }),
  ],
  d2: [
    msg('d2', 0.1, 'note', 'note', 'Active data connection for LIST: the SERVER connects to the client at 127.0.0.1:40221, as PORT/EPRT asked.'),
    msg('d2', 0.1, 'note', 'note', "The server's connection was dropped by the client's firewall / NAT (simulated).", { annotation: { title: 'blocked', explain: '', level: 'error' } }),
  ],
};

describe('transferCommands', () => {
  it('pairs each transfer command with its 150 and final reply', () => {
    const list = transferCommands(controlMessages);
    expect(list.map((c) => [c.text, c.preliminary?.slice(0, 3) ?? null, c.replyCode])).toEqual([
      ['LIST -a', '150', 226],
      ['LIST', null, 425],
    ]);
  });
});

describe('buildChannelPicture', () => {
  const picture = buildChannelPicture(control, [blocked, control, passive], (id) => data[id] ?? [], 5000);

  it('draws one lane per data connection, in the order they opened', () => {
    expect(picture.lanes.map((l) => l.id)).toEqual(['d1', 'd2']);
  });

  it('says who connected to whom: client → server in passive, server → client in active', () => {
    expect(picture.lanes[0]).toMatchObject({ mode: 'passive', via: 'EPSV', from: 'client 127.0.0.1:45552', to: 'server :39110' });
    expect(picture.lanes[1]).toMatchObject({ mode: 'active', from: 'server', to: 'client 127.0.0.1:40221' });
  });

  it('links each lane to the command that opened it and its final reply', () => {
    expect(picture.lanes[0]).toMatchObject({ command: 'LIST -a', commandMessageId: controlMessages[3].id, replyCode: 226, state: 'done' });
    expect(picture.lanes[1]).toMatchObject({ command: 'LIST', commandMessageId: controlMessages[8].id, replyCode: 425, state: 'failed' });
    expect(picture.lanes[1].failure).toContain('firewall');
  });

  it('takes bytes and duration from the summary note', () => {
    expect(picture.lanes[0]).toMatchObject({ bytesUp: 0, bytesDown: 54, duration: 5.6, tls: false, offset: 81 });
  });

  it('spans the whole control connection', () => {
    expect(picture.span).toBe(200);
  });

  it('marks a data connection that carried TLS records as encrypted', () => {
    const tlsLane = conn('d3', 1100, { label: 'data (passive, PASV) client → server :39111', parent: 'ctl' });
    const p = buildChannelPicture(control, [control, tlsLane], (id) => (id === 'd3' ? [msg('d3', 1, 'client', 'tls-record', 'TLS Handshake (ClientHello)', { bytes: 620 })] : []), 5000);
    expect(p.lanes[0]).toMatchObject({ tls: true, bytesUp: 620, state: 'open', command: null });
  });
});

describe('an unused PASV and pipelined commands', () => {
  const ctl = conn('c2', 0, { endedAt: 500 });
  const messages = [
    msg('c2', 1, 'server', 'reply', '220 Ready'),
    msg('c2', 10, 'client', 'command', 'PASV'),
    msg('c2', 11, 'client', 'command', 'PASV'),
    msg('c2', 12, 'client', 'command', 'LIST'),
    msg('c2', 13, 'server', 'reply', '227 Entering Passive Mode (127,0,0,1,117,48)'),
    msg('c2', 20, 'server', 'reply', '227 Entering Passive Mode (127,0,0,1,117,49)'),
    msg('c2', 30, 'server', 'reply', '150 File status okay'),
    msg('c2', 40, 'server', 'reply', '226 Closing data connection'),
    msg('c2', 50, 'client', 'command', 'RETR my file.txt'),
    msg('c2', 52, 'server', 'reply', '425 No connection established'),
  ];
  const unused = conn('u1', 14, { endedAt: 21, label: 'data (passive, PASV) client → server :30000', parent: 'c2' });
  const used = conn('u2', 21, { endedAt: 39, label: 'data (passive, PASV) client → server :30001', parent: 'c2' });
  const data: Record<string, LabMessage[]> = { c2: messages, u1: [], u2: [msg('u2', 15, 'note', 'note', 'Carries the data for LIST.')] };
  const picture = buildChannelPicture(ctl, [ctl, unused, used], (id) => data[id] ?? [], 1000);

  it('gives each command the reply that answers it, in order (LIST gets 150 → 226, not the second 227)', () => {
    expect(picture.transfers.map((t) => [t.text, t.preliminary?.slice(0, 3) ?? null, t.replyCode])).toEqual([
      ['LIST', '150', 226],
      ['RETR my file.txt', null, 425],
    ]);
  });

  it('links LIST to the connection that carried it; the unused one claims no later command', () => {
    expect(picture.lanes.map((l) => [l.id, l.command, l.replyCode])).toEqual([
      ['u1', null, null],
      ['u2', 'LIST', 226],
    ]);
  });

  it('reads an active connect-back note whose file name has spaces', () => {
    const active = conn('a1', 51, { endedAt: 52, label: 'data (active) server → client 127.0.0.1:40000', parent: 'c2' });
    const note = msg('a1', 0, 'note', 'note', 'Active data connection for RETR my file.txt: the SERVER connects to the client at 127.0.0.1:40000, as PORT/EPRT asked.');
    const p = buildChannelPicture(ctl, [ctl, active], (id) => (id === 'a1' ? [note] : messages), 1000);
    expect(p.lanes[0]).toMatchObject({ command: 'RETR my file.txt', replyCode: 425 });
  });
});
