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
import WebSocket from 'ws';
import type { MailSummary } from '../../lib/bus/events.ts';
import type { ParsedMail } from '../../lib/store/mailbox.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
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

/** A browser stand-in: every frame the hub sends, kept raw. */
class Browser {
  readonly frames: string[] = [];
  private waiters: { test: (frame: string) => boolean; resolve: () => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = data.toString();
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(), false) : true));
    });
  }
  static async open(): Promise<Browser> {
    const ws = new WebSocket(`${lab.baseUrl.replace('http', 'ws')}/ws`, { origin: lab.baseUrl });
    const browser = new Browser(ws);
    await new Promise((resolve) => ws.once('open', resolve));
    return browser;
  }
  /** Resolves once a frame containing `needle` (as sent on the wire) has arrived. */
  until(needle: string): Promise<void> {
    if (this.frames.some((f) => f.includes(needle))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test: (f) => f.includes(needle), resolve }));
  }
}

/** `needle` as it appears inside a JSON string. */
const inJson = (needle: string) => JSON.stringify(needle).slice(1, -1);

let lab: TestLab;
let browser: Browser;
beforeAll(async () => {
  lab = await startTestLab();
  browser = await Browser.open();
});
afterAll(async () => {
  browser?.ws.close();
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
    await browser.until('"type":"mail"');
    const frame = browser.frames.find((f) => f.includes('"type":"mail"')) ?? '';
    expect(frame).toContain(inJson(subject));

    const { messages } = await getClean<{ messages: MailSummary[] }>('/api/mailbox');
    const listed = messages.find((m) => m.subject.startsWith('^[[31m'));
    expect(listed?.subject).toBe(subject);
    const mail = await getClean<ParsedMail>(`/api/mailbox/${listed?.id}`);
    expect(mail.subject).toBe(subject);
    // Raw header lines are kept as read (8-bit bytes as Latin-1), so C2 9B shows as "Â\x9b".
    const shownRaw = SHOWN.replace('\\x9b', 'Â\\x9b');
    expect(mail.headers.find((h) => h.name === 'x-hostile')?.value).toBe(shownRaw);
    expect(mail.headers.find((h) => h.name === 'subject')?.value).toContain(shownRaw);
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
    await browser.until('Carries the data for STOR up');

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
    await browser.until(inJson(target));
    const { connections } = await getClean<{ connections: ConnectionInfo[] }>('/api/connections?protocol=soap');
    const found: LabMessage[] = [];
    for (const c of connections) {
      const { messages } = await getClean<{ messages: LabMessage[] }>(`/api/connections/${c.id}`);
      found.push(...messages.filter((m) => m.kind === 'request-line'));
    }
    const line = found.find((m) => m.fields?.some((f) => f.name === 'target' && f.value === target));
    expect(line?.annotation?.title).toBe(`GET ${target}`);
  });

  it('sent no WebSocket frame with a raw control character', () => {
    expect(browser.frames.length).toBeGreaterThan(0);
    for (const frame of browser.frames) expect(controlsIn(frame)).toEqual([]);
  });
});
