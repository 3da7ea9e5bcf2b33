/**
 * Invisible characters from clients leave the daemon marked (`\u{202E}`), never raw: a bidi override
 * in an SMTP MAIL FROM (a raw socket, as a hostile client would send it), a Hangul filler and a variation
 * selector after a user name in SMTP (the "invisible name": each reads `admin`), in an FTP file name listed
 * by LIST (transcript, console and the friendly client's file list) and a zero-width space in an HTTP
 * header name sent to the SOAP host. The test reads what a browser or a script gets (WebSocket
 * frames, API bodies, exports), raw, and checks that each marked line's annotation says what it hid.
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { download } from './export-helpers.ts';
import { dataConnections, login } from './ftp-helpers.ts';

/** The invisible characters the lab marks that these tests send; none may arrive raw. */
const RAW_INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F\u061C\u2060\uFEFF\u00AD\u2028\u2029\u3164\uFE00]/;

/** Reads "MAIL FROM:<admin@lab.test>" in a bidi-aware viewer; its bytes are `<RLO>tset.bal@nimda`. */
const TROJAN_FROM = 'MAIL FROM:<\u202Etset.bal@nimda>';
const SHOWN_FROM = 'MAIL FROM:<\\u{202E}tset.bal@nimda>';
/** Both read "admin@lab.test": a Hangul filler (U+3164) and a variation selector after ASCII (U+FE00) draw nothing. */
const FILLER_FROM = 'MAIL FROM:<admin\u3164@lab.test>';
const SELECTOR_RCPT = 'RCPT TO:<admin\uFE00@lab.test>';
/** Displays as "invoiceexe.pdf". */
const TROJAN_NAME = 'invoice\u202Efdp.exe';
const SHOWN_NAME = 'invoice\\u{202E}fdp.exe';

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

/** GETs (or POSTs) an API route; returns its parsed body after checking the raw text holds no invisible character. */
async function clean<T>(pathname: string, body?: unknown): Promise<T> {
  const res = await fetch(lab.baseUrl + pathname, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(text.match(RAW_INVISIBLE), pathname).toBeNull();
  return JSON.parse(text) as T;
}

/**
 * A message event on the WebSocket whose text matches, as the browser received it. `from`: a mark taken before
 * the exchange, for a message that may share its frame with one found before it.
 */
async function messageFrame(conn: string | null, test: (m: LabMessage) => boolean, from?: number): Promise<LabMessage> {
  const pick = (raw: string): LabMessage | undefined => {
    const m = JSON.parse(raw) as ServerMessage;
    if (m.type !== 'events') return undefined;
    for (const e of m.events) if (e.type === 'message' && (conn === null || e.message.conn === conn) && test(e.message)) return e.message;
    return undefined;
  };
  return pick(await browser.frame((raw) => pick(raw) !== undefined, from === undefined ? {} : { from })) as LabMessage;
}

describe('invisible characters leaving the daemon', () => {
  it('shows an SMTP MAIL FROM with a right-to-left override marked, with a note citing UAX #9, live, stored and exported', async () => {
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'smtp' && !e.connection.label);
    const client = await LineClient.connect(lab.port('smtp'));
    await client.waitFor(/^220 .*\r\n/m);
    await client.command('EHLO trojan.test');
    client.write(Buffer.from(`${TROJAN_FROM}\r\n`, 'utf8'));
    await client.waitFor(/^\d{3} .*\r\n/m);
    await client.command('QUIT');
    const conn = (await closed).connection.id;

    const live = await messageFrame(conn, (m) => m.dir === 'client' && m.text.startsWith('MAIL FROM'));
    expect(live.text).toBe(SHOWN_FROM);
    // The dissector reads the marked line: the path is still the whole path, with no stray parameter after it.
    expect(live.fields?.map((f) => [f.name, f.value])).toEqual([
      ['verb', 'MAIL'],
      ['reverse-path', '<\\u{202E}tset.bal@nimda>'],
    ]);
    expect(live.annotation?.explain).toMatch(/^This line holds U\+202E RIGHT-TO-LEFT OVERRIDE, shown as \\u\{202E\}: .*\(UAX #9 §2\.2\)\./);
    expect(live.annotation?.level).toBe('warn');

    const { messages } = await clean<{ messages: LabMessage[] }>(`/api/connections/${conn}?limit=2000`);
    const stored = messages.find((m) => m.dir === 'client' && m.text.startsWith('MAIL FROM'));
    expect(stored?.text).toBe(SHOWN_FROM);
    expect(stored?.annotation).toEqual(live.annotation);

    const text = (await download(lab, `/api/connections/${conn}/export?format=text`)).body.toString('utf8');
    expect(text).toContain(`C: ${SHOWN_FROM}`);
    expect(text).toContain('UAX #9 §2.2');
    expect(text.match(RAW_INVISIBLE)).toBeNull();
    const json = (await download(lab, `/api/connections/${conn}/export?format=json`)).body.toString('utf8');
    expect(json).toContain(JSON.stringify(SHOWN_FROM));
    expect(json.match(RAW_INVISIBLE)).toBeNull();
    // The pcapng keeps the bytes as sent (E2 80 AE is U+202E in UTF-8); only what is displayed is marked.
    const pcapng = (await download(lab, `/api/connections/${conn}/export?format=pcapng`)).body;
    expect(pcapng.includes(Buffer.from(TROJAN_FROM, 'utf8'))).toBe(true);
  });

  it('shows a Hangul filler and a variation selector after an SMTP user name marked, with notes citing UTS #39, live, stored and exported', async () => {
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'smtp' && !e.connection.label);
    // MAIL FROM and RCPT TO may reach the page in one batch: each is looked for from here.
    const mark = browser.mark;
    const client = await LineClient.connect(lab.port('smtp'));
    await client.waitFor(/^220 .*\r\n/m);
    await client.command('EHLO filler.test');
    await client.command(FILLER_FROM);
    await client.command(SELECTOR_RCPT);
    await client.command('QUIT');
    const conn = (await closed).connection.id;

    const from = await messageFrame(conn, (m) => m.dir === 'client' && m.text.startsWith('MAIL FROM'), mark);
    expect(from.text).toBe('MAIL FROM:<admin\\u{3164}@lab.test>');
    expect(from.annotation?.explain).toMatch(/^This line holds U\+3164 HANGUL FILLER, shown as \\u\{3164\}: .*two names that look the same are different strings, such as admin and admin with one after it \(UTS #39 §3\.1 /);
    expect(from.annotation?.level).toBe('warn');
    const rcpt = await messageFrame(conn, (m) => m.dir === 'client' && m.text.startsWith('RCPT TO'), mark);
    expect(rcpt.text).toBe('RCPT TO:<admin\\u{FE00}@lab.test>');
    expect(rcpt.annotation?.explain).toMatch(/^This line holds U\+FE00 VARIATION SELECTOR-1, shown as \\u\{FE00\}: .*draws nothing here.*\(UTS #39 §3\.1 /);

    const { messages } = await clean<{ messages: LabMessage[] }>(`/api/connections/${conn}?limit=2000`);
    expect(messages.find((m) => m.id === from.id)?.annotation).toEqual(from.annotation);
    expect(messages.find((m) => m.id === rcpt.id)?.text).toBe(rcpt.text);
    const text = (await download(lab, `/api/connections/${conn}/export?format=text`)).body.toString('utf8');
    expect(text).toContain(`C: ${from.text}`);
    expect(text).toContain(`C: ${rcpt.text}`);
    expect(text).toContain('UTS #39 §3.1');
    expect(text.match(RAW_INVISIBLE)).toBeNull();
  });

  it('shows an FTP file name with a right-to-left override marked in the LIST transcript, the console and the file list', async () => {
    const { client, conn } = await login(lab);
    await client.uploadFrom(Readable.from([Buffer.from('not a pdf\n')]), TROJAN_NAME);
    const listed = await client.list();
    client.close();
    expect(listed.map((f) => f.name)).toContain(TROJAN_NAME);

    // LIST's data connection: the listing line as the transcript shows it.
    const data = await dataConnections(lab, conn);
    const lines: LabMessage[] = [];
    for (const d of data) lines.push(...(await clean<{ messages: LabMessage[] }>(`/api/connections/${d.id}`)).messages);
    const line = lines.find((m) => m.text.includes(SHOWN_NAME));
    expect(line?.text).toContain(SHOWN_NAME);
    expect(line?.annotation?.explain).toContain('U+202E RIGHT-TO-LEFT OVERRIDE');
    const control = await clean<{ messages: LabMessage[] }>(`/api/connections/${conn}`);
    expect(control.messages.find((m) => m.text.startsWith('STOR'))?.text).toBe(`STOR ${SHOWN_NAME}`);

    // The browser's FTP console: LIST over PASV, the listing previewed in the data relay's note.
    browser.send({ type: 'console.open', consoleId: 'ftp-bidi', protocol: 'ftp' });
    const consoleConn = await browser.consoleOpen('ftp-bidi');
    for (const command of ['USER student', `PASS ${TEST_PASSWORD}`, 'PASV']) browser.send({ type: 'console.send', consoleId: 'ftp-bidi', line: command });
    await browser.message(consoleConn, /^227 /);
    browser.send({ type: 'console.send', consoleId: 'ftp-bidi', line: 'LIST' });
    const shown = await messageFrame(null, (m) => m.text.includes(SHOWN_NAME) && m.conn !== conn && !data.some((d) => d.id === m.conn));
    expect(shown.text).toContain(SHOWN_NAME);
    browser.send({ type: 'console.close', consoleId: 'ftp-bidi' });

    // The FTP page's friendly client lists the sandbox through the API (its JSON passes the one boundary).
    await clean('/api/ftp/client', { session: 'bidi', action: 'open' });
    const ls = await clean<{ ok: boolean; result: { name: string }[] }>('/api/ftp/client', { session: 'bidi', action: 'ls' });
    expect(ls.result.map((e) => e.name)).toContain(SHOWN_NAME);
    await clean('/api/ftp/client', { session: 'bidi', action: 'close' });
  });

  it('shows an HTTP header name with a zero-width space marked in its line, field and title, and not as Authorization', async () => {
    const socket = net.connect(lab.port('soap'), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('data', () => {});
    socket.end(Buffer.from('GET /soap/calendar?wsdl HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthor\u200Bization: Basic c3R1ZGVudDpsYWI=\r\nConnection: close\r\n\r\n', 'utf8'));
    await closed;

    const live = await messageFrame(null, (m) => m.protocol === 'soap' && m.kind === 'header' && m.text.startsWith('Author'));
    expect(live.text).toBe('Author\\u{200B}ization: Basic c3R1ZGVudDpsYWI=');
    expect(live.fields?.[0]?.name).toBe('Author\\u{200B}ization');
    expect(live.annotation?.title).toBe('Author\\u{200B}ization');
    expect(live.annotation?.explain).toMatch(/^This line holds U\+200B ZERO WIDTH SPACE, shown as \\u\{200B\}/);

    const { connections } = await clean<{ connections: ConnectionInfo[] }>('/api/connections?protocol=soap');
    const headers: LabMessage[] = [];
    for (const c of connections) headers.push(...(await clean<{ messages: LabMessage[] }>(`/api/connections/${c.id}`)).messages.filter((m) => m.kind === 'header'));
    expect(headers.find((m) => m.id === live.id)?.text).toBe(live.text);
  });

  it('sent no WebSocket frame with a raw invisible character', () => {
    expect(browser.frames.length).toBeGreaterThan(0);
    for (const frame of browser.frames) expect(frame.match(RAW_INVISIBLE), frame.slice(0, 200)).toBeNull();
  });
});
