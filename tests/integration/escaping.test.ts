/**
 * Issue 8 #10: text leaves the daemon with its control characters made visible, on every
 * API JSON body and every WebSocket message. Real clients send hostile bytes (ANSI colour,
 * BEL, a DCS query, C1 CSI as U+009B, and the same inside RFC 2047 encoded-words); the test
 * reads what a browser or a script would get, raw, before any client-side escaping.
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSummary } from '../../lib/bus/events.ts';
import type { LabModule } from '../../servers/daemon/lab.ts';
import { sshLab, type SshInfo, type SshSettings } from '../../servers/ssh/lab.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import type { ParsedMail } from '../../lib/store/mailbox.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { dataConnections, login } from './ftp-helpers.ts';

/** ESC [ 31 m, BEL, a DCS status query (ESC P $ q m ESC \), and C1 CSI (U+009B, C2 9B in UTF-8). */
const HOSTILE = '\x1b[31mred\x07 \x1bP$qm\x1b\\ \u009b2J';
const SHOWN = '^[[31mred^G ^[P$qm^[\\ \\x9b2J';
/** The same for a file name: FTP servers read `\` as a path separator, so the DCS ends with BEL. */
const HOSTILE_NAME = '\x1b[31mred\x07 \x1bP$qm\x07 \u009b2J';
const SHOWN_NAME = '^[[31mred^G ^[P$qm^G \\x9b2J';
/** Controls that must never arrive: all C0 but tab/LF (CR only inside CRLF), DEL, C1. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;

/** Every string (and key) in a JSON document that still carries a control character. */
function controlsIn(json: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (CONTROL.test(value)) found.push(value);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) {
        if (CONTROL.test(key)) found.push(key);
        walk(child);
      }
  };
  walk(JSON.parse(json));
  return found;
}

/** GETs an API route and returns its raw body after checking it carries no control character. */
async function getClean<T>(pathname: string): Promise<T> {
  const res = await fetch(lab.baseUrl + pathname);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(controlsIn(text), pathname).toEqual([]);
  return JSON.parse(text) as T;
}

/** What a terminal stream may carry: printable text, tab/CR/LF/BS/BEL and CSI colour/cursor/erase sequences. */
const TERMINAL_SAFE = /^(?:[^\x00-\x1f\x7f-\x9f]|[\t\r\n\b\x07]|\x1b\[[0-9;?]*[ABCDEFGHJKLMPSTX@dfmhlr])*$/;

/** `needle` as it appears inside a JSON string. */
const inJson = (needle: string) => JSON.stringify(needle).slice(1, -1);

let lab: TestLab;
let browser: TestBrowser;
beforeAll(async () => {
  lab = await startTestLab();
  browser = await TestBrowser.open(lab, { origin: lab.baseUrl });
});
afterAll(async () => {
  browser?.close();
  await lab?.stop();
});

describe('control characters leaving the daemon', () => {
  it('shows a mail subject, headers and text (raw and RFC 2047-encoded) escaped in the API and on the WebSocket', async () => {
    const c1Base64 = Buffer.from('\u009b31m C1').toString('base64');
    const raw = [
      'From: <eve@example.com>',
      'To: <alice@lab.test>',
      `Subject: ${HOSTILE} =?utf-8?q?=1B[2J?= =?utf-8?b?${c1Base64}?=`,
      `X-Hostile: ${HOSTILE}`,
      `X-Encoded: =?utf-8?q?=07=1B]0;title=07?=`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `line one ${HOSTILE}`,
      'line two',
      '',
    ].join('\r\n');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), secure: false, ignoreTLS: true });
    await transport.sendMail({ envelope: { from: 'eve@example.com', to: ['alice@lab.test'] }, raw });
    transport.close();

    const subject = `${SHOWN} ^[[2J\\x9b31m C1`;
    const frame = await browser.frame('"type":"mail"');
    expect(frame).toContain(inJson(subject));

    const { messages } = await getClean<{ messages: MailSummary[] }>('/api/mailbox');
    const listed = messages.find((m) => m.subject.startsWith('^[[31m'));
    expect(listed?.subject).toBe(subject);
    const mail = await getClean<ParsedMail>(`/api/mailbox/${listed?.id}`);
    expect(mail.subject).toBe(subject);
    // Raw header lines are decoded as UTF-8, so C2 9B is the one C1 character U+009B, shown escaped.
    expect(mail.headers.find((h) => h.name === 'x-hostile')?.value).toBe(SHOWN);
    expect(mail.headers.find((h) => h.name === 'subject')?.value).toContain(SHOWN);
    expect(mail.headers.find((h) => h.name === 'x-encoded')?.value).toBe('=?utf-8?q?=07=1B]0;title=07?=');
    // Multi-line text keeps its line breaks; only the controls are shown.
    expect(mail.text).toContain(`line one ${SHOWN}\nline two`);

    // The SMTP transcript carries the same bytes: its texts, fields and annotations are clean too.
    const smtp = await getClean<{ connections: ConnectionInfo[] }>('/api/connections?protocol=smtp');
    for (const c of smtp.connections) await getClean(`/api/connections/${c.id}`);
  });

  it('shows a STOR file name escaped in the data connection note', async () => {
    const name = `up${HOSTILE_NAME}.txt`;
    const { client, conn } = await login(lab);
    await client.uploadFrom(Readable.from([Buffer.from('hello\n')]), name);
    client.close();
    const shown = `STOR up${SHOWN_NAME}.txt`;
    await browser.frame('Carries the data for STOR up');

    const [data] = await dataConnections(lab, conn);
    const { messages } = await getClean<{ messages: LabMessage[] }>(`/api/connections/${data.id}`);
    expect(messages.map((m) => m.text)).toContain(`Carries the data for ${shown}.`);
    await getClean(`/api/connections/${conn}`);
    await getClean('/api/connections?protocol=ftp&limit=1000');
  });

  it('shows an HTTP request-target escaped in its field and in the annotation title', async () => {
    const socket = net.connect(lab.port('soap'), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('data', () => {});
    socket.end(Buffer.from(`GET /soap/calendar${HOSTILE.replace(/ /g, '_')} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'utf8'));
    await closed;

    const target = `/soap/calendar${SHOWN.replace(/ /g, '_')}`;
    await browser.frame(inJson(target));
    const { connections } = await getClean<{ connections: ConnectionInfo[] }>('/api/connections?protocol=soap');
    const found: LabMessage[] = [];
    for (const c of connections) {
      const { messages } = await getClean<{ messages: LabMessage[] }>(`/api/connections/${c.id}`);
      found.push(...messages.filter((m) => m.kind === 'request-line'));
    }
    const line = found.find((m) => m.fields?.some((f) => f.name === 'target' && f.value === target));
    expect(line?.annotation?.title).toBe(`GET ${target}`);
  });

  it('keeps hostile file contents escaped in the SSH terminal, and the lab colours intact', async () => {
    const { client } = await login(lab);
    await client.uploadFrom(Readable.from([Buffer.from(`${HOSTILE}\n\x1b]0;pwned\x07\x1b[6n\n`)]), 'hostile.txt');
    client.close();

    browser.send({ type: 'console.open', consoleId: 'ssh1', protocol: 'ssh' });
    await browser.frame('"consoleId":"ssh1"');
    await browser.type('ssh1', '\r', /\(yes\/no\/\[fingerprint\]\)\? $/);
    await browser.type('ssh1', 'yes\r', /password: $/);
    await browser.type('ssh1', `${TEST_PASSWORD}\r`, /\$ $/);
    const shown = await browser.type('ssh1', 'cat hostile.txt\r', /pwned.*\r\n.*\$ $/s);
    expect(shown).toContain(`${SHOWN}\r\n^[]0;pwned^G^[[6n\r\n`);
    const all = browser.output('ssh1');
    expect(all).toContain('\x1b[1mssh ');
    expect(all).toMatch(TERMINAL_SAFE);
    browser.send({ type: 'console.close', consoleId: 'ssh1' });
  });

  it('keeps a hostile RETR preview escaped in the FTP console, and its dim notes intact', async () => {
    browser.send({ type: 'console.open', consoleId: 'ftp1', protocol: 'ftp' });
    const conn = await browser.consoleOpen('ftp1');
    for (const line of ['USER student', `PASS ${TEST_PASSWORD}`, 'PASV']) browser.send({ type: 'console.send', consoleId: 'ftp1', line });
    // The console opens the data connection once the 227 reply is in, as a user would wait for it.
    await browser.message(conn, /^227 /);
    browser.send({ type: 'console.send', consoleId: 'ftp1', line: 'RETR hostile.txt' });
    // The preview is the data relay's note on the control connection (an event), not console text.
    const note = (frame: string) => {
      const m = JSON.parse(frame) as ServerMessage;
      return m.type === 'events' ? m.events.find((e) => e.type === 'message' && e.message.conn === conn && e.message.text.startsWith('Data connection closed') && e.message.text.includes('pwned')) : undefined;
    };
    const found = note(await browser.frame((frame) => note(frame) !== undefined));
    expect(found?.type === 'message' ? found.message.text : '').toContain(SHOWN);
    expect(browser.output('ftp1')).toContain('\x1b[2m# ');
    expect(browser.output('ftp1')).toMatch(TERMINAL_SAFE);
    browser.send({ type: 'console.close', consoleId: 'ftp1' });
  });

  it('refuses a WebSocket upgrade from a hostile Origin without echoing its C1 byte raw', async () => {
    const socket = net.connect(Number(new URL(lab.baseUrl).port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Header values may carry obs-text (RFC 9110 §5.5): byte 0x9B arrives as U+009B.
    const origin = Buffer.concat([Buffer.from('http://evil.example'), Buffer.from([0x9b]), Buffer.from('2J')]);
    socket.end(
      Buffer.concat([
        Buffer.from('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: '),
        origin,
        Buffer.from('\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'),
      ]),
    );
    await closed;
    const [head, body] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 403 /);
    expect(controlsIn(body)).toEqual([]);
    expect(body).toContain('evil.example\\\\x9b2J');
  });

  it('sent no WebSocket frame with a raw control character', () => {
    expect(browser.frames.length).toBeGreaterThan(0);
    // Console output is a terminal stream, checked by the console tests above.
    for (const frame of browser.frames.filter((f) => !f.startsWith('{"type":"console.output"'))) expect(controlsIn(frame)).toEqual([]);
  });
});

describe('a console that forgets to escape', () => {
  /** The SSH lab with a console that echoes what the browser types, unescaped. */
  const careless: LabModule<'ssh', SshSettings, SshInfo> = {
    ...sshLab,
    start: async (context) => ({
      ...(await sshLab.start(context)),
      openConsole: (io) => ({
        open: () => io.output('\x1b[1mcareless\x1b[0m> '),
        sendLine: () => {},
        input: (data) => io.output(data),
        resize: () => {},
        close: () => {},
      }),
    }),
  };

  it('still reaches the browser with OSC, DCS, C1 and terminal queries removed, colours kept', async () => {
    const other = await startTestLab({ labs: [careless] });
    const tab = await TestBrowser.open(other, { origin: other.baseUrl });
    try {
      tab.send({ type: 'console.open', consoleId: 'c', protocol: 'ssh' });
      await tab.outputUntil('c', 0, /> $/);
      const echoed = await tab.type('c', `${HOSTILE}\x1b]0;pwned\x07\x1b[6n\x1b[c\u009b6n done`, /done/);
      // A C1 CSI loses its introducer, so its parameters ("2J", "6n") are left as plain text.
      expect(echoed).toBe('\x1b[31mred\x07  2J6n done');
      expect(tab.output('c')).toContain('\x1b[1mcareless\x1b[0m> ');
      expect(tab.output('c')).toMatch(TERMINAL_SAFE);
    } finally {
      tab.close();
      await other.stop();
    }
  });
});
