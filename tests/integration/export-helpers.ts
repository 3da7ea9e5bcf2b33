/**
 * Helpers for the export/import tests: a real SMTP session through the tap (a line client), a
 * STARTTLS session driven by the lab's own console (the side whose TLS key log the lab holds),
 * downloads of the export routes, and tshark on what they return.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { nextEvent } from '../helpers/bus.ts';
import { TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { tool } from '../helpers/tools.ts';

/** What the SMTP session's client sends, line by line (each ends in CRLF on the wire). */
export const SMTP_LINES = ['EHLO client.test', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<alice@lab.test>', 'DATA', 'Subject: export\r\n\r\nhello from the export test\r\n.', 'QUIT'];

/** A plain SMTP session through the tap, one command at a time; resolves with its connection id once closed. */
export async function smtpSession(lab: TestLab): Promise<string> {
  const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'smtp' && !e.connection.label);
  const client = await LineClient.connect(lab.port('smtp'));
  await client.waitFor(/^220 .*\r\n/m);
  for (const line of SMTP_LINES) await client.command(line);
  return (await closed).connection.id;
}

/** The lab's SMTP console says EHLO, STARTTLS, EHLO again, AUTH and QUIT; resolves with its connection id once closed. */
export async function consoleStartTls(lab: TestLab): Promise<string> {
  const browser = await TestBrowser.open(lab);
  try {
    browser.send({ type: 'console.open', consoleId: 'c1', protocol: 'smtp' });
    const conn = await browser.consoleOpen('c1');
    const say = async (line: string, reply: RegExp, view?: LabMessage['view']) => {
      browser.send({ type: 'console.send', consoleId: 'c1', line });
      await browser.message(conn, reply, view ? { view } : {});
    };
    await browser.message(conn, /^220 /);
    await say('EHLO console.test', /^250[ -]/);
    await say('STARTTLS', /^220 /);
    await say('EHLO again.test', /^250[ -]/, 'endpoint');
    await say(`AUTH PLAIN ${Buffer.from(`\0student\0${TEST_PASSWORD}`).toString('base64')}`, /^235 /, 'endpoint');
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === conn);
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'QUIT' });
    await closed;
    return conn;
  } finally {
    browser.close();
  }
}

/** A connection's stored transcript. */
export async function transcript(lab: TestLab, conn: string): Promise<{ connection: ConnectionInfo; messages: LabMessage[] }> {
  return lab.api(`/api/connections/${conn}?limit=2000`);
}

/** GETs an export; fails on anything but 200. */
export async function download(lab: TestLab, pathname: string): Promise<{ body: Buffer; type: string; disposition: string }> {
  const res = await fetch(lab.baseUrl + pathname);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${res.status} ${pathname}: ${body.toString()}`);
  return { body, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '' };
}

/** POSTs an import. */
export async function importFile(lab: TestLab, body: Buffer | string, contentType: string): Promise<{ status: number; json: { error?: string; connections?: { id: string; protocol: string; label: string; messages: number; parent?: string }[]; skipped?: number } }> {
  const res = await fetch(`${lab.baseUrl}/api/import`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, json: (await res.json()) as { error?: string } };
}

/**
 * Runs a Wireshark tool (tshark, capinfos) on `bytes` written to a temp file; resolves with its stdout
 * lines, fails on an error exit. Asynchronous on purpose: the lab under test runs in this process, and
 * a synchronous child froze it for as long as the tool ran (seconds on a loaded machine), so the API
 * socket the next fetch reused was closed by its keep-alive timer under that request (ECONNRESET).
 */
export async function wiresharkTool(name: 'tshark' | 'capinfos', bytes: Buffer, args: string[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-pcapng-'));
  const file = path.join(dir, 'export.pcapng');
  try {
    fs.writeFileSync(file, bytes);
    const fileArgs = name === 'tshark' ? ['-r', file, ...args] : [...args, file];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(tool(name), fileArgs, { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, out, stderr) => {
        if (err) reject(new Error(`${name} ${args.join(' ')} failed (${err.code ?? err.signal}): ${stderr}`));
        else resolve(out);
      });
    });
    return stdout.split('\n').filter((line) => line.length > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** tshark on `bytes` with `args` (see wiresharkTool). */
export const tshark = (bytes: Buffer, args: string[]): Promise<string[]> => wiresharkTool('tshark', bytes, args);

/** tshark's "Decode As": the lab's ports are not SMTP's or FTP's registered ones. */
export const decodeAs = (port: number, protocol: 'smtp' | 'ftp') => ['-d', `tcp.port==${port},${protocol}`];

/** What a transcript says on the wire, one row per command or reply, as tshark shows them: `C EHLO`, `S 250`. */
export function wireRows(messages: LabMessage[]): string[] {
  return messages.flatMap((m) => {
    if (m.view !== 'wire') return [];
    if (m.dir === 'client' && m.kind === 'command') return [`C ${m.text.split(/[ :]/)[0].toUpperCase()}`];
    if (m.dir === 'server' && m.kind === 'reply') return [`S ${m.text.slice(0, 3)}`];
    return [];
  });
}
