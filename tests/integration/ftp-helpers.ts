/**
 * Shared helpers for the FTP integration tests: a test daemon with only the FTP lab, a raw
 * control-connection client, a basic-ftp login that reports its transcript id, and a runner for
 * small Python ftplib scripts.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import type tls from 'node:tls';
import { Client } from 'basic-ftp';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import type { LabConsole } from '../../servers/daemon/lab.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';

export { TEST_PASSWORD };

/** A test daemon running only the FTP lab. */
export function startFtpTestLab(): Promise<TestLab> {
  return startTestLab({ labs: [ftpLab] });
}

export function ftpTap(lab: TestLab): Tap {
  const found = lab.daemon.labs.find((l) => l.protocol === 'ftp');
  if (!found) throw new Error('no ftp lab');
  return found.tap;
}

/** Logs in with basic-ftp (plain or FTPS) and returns the client and its control connection id. */
export async function login(lab: TestLab, options: { secure?: boolean } = {}): Promise<{ client: Client; conn: string }> {
  const client = new Client(10_000);
  await client.connect('127.0.0.1', lab.port('ftp'));
  const localPort = client.ftp.socket.localPort ?? 0;
  if (options.secure) await client.useTLS({ rejectUnauthorized: false });
  await client.login('student', TEST_PASSWORD);
  await client.useDefaultSettings();
  const conn = (await ftpTap(lab).whenAccepted(localPort)).recorder.info.id;
  return { client, conn };
}

/** The transcript of one connection. */
export async function transcript(lab: TestLab, conn: string): Promise<{ connection: ConnectionInfo; messages: LabMessage[] }> {
  return lab.api(`/api/connections/${conn}`);
}

/** Data connections recorded under a control connection. */
export async function dataConnections(lab: TestLab, conn: string): Promise<ConnectionInfo[]> {
  const { connections } = await lab.api<{ connections: ConnectionInfo[] }>('/api/connections?protocol=ftp&limit=1000');
  return connections.filter((c) => c.parent === conn);
}

/** A raw control connection: send a line, get the complete reply (multi-line aware). */
export async function rawSession(port: number): Promise<{ send(line: string): Promise<string>; greeting: string; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  let waiting: ((reply: string) => void) | null = null;
  const tryReply = () => {
    const lines = buffer.split('\r\n');
    for (let i = 0; i < lines.length - 1; i++) {
      if (/^\d{3} /.test(lines[i])) {
        const reply = lines.slice(0, i + 1).join('\n');
        buffer = lines.slice(i + 1).join('\r\n');
        const w = waiting;
        waiting = null;
        w?.(reply);
        return;
      }
    }
  };
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    if (waiting) tryReply();
  });
  const next = () =>
    new Promise<string>((resolve) => {
      waiting = resolve;
      tryReply();
    });
  const greeting = await next();
  return {
    greeting,
    send: (line) => {
      const reply = next();
      socket.write(`${line}\r\n`);
      return reply;
    },
    close: () => socket.destroy(),
  };
}

/** Runs a Python 3 script (stdlib only) with arguments; resolves with its stdout. */
export function python(script: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(tool('python3'), ['-c', script, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

/** Runs curl; resolves with stdout (binary-safe) and exit code. */
export function curl(args: string[]): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(tool('curl'), ['-sS', '--max-time', '15', ...args], { encoding: 'buffer', timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr: stderr.toString(), code: err ? ((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

/** Reads CRLF lines from a socket (plain or TLS) and tells when it closed. */
export function lineReader(socket: net.Socket | tls.TLSSocket) {
  let buffer = '';
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 2);
    }
    wake?.();
  };
  socket.on('data', onData);
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  return {
    /** The last line of the next reply ("220 …" after "220-…" lines), or null once the socket closed. */
    async next(): Promise<string | null> {
      for (;;) {
        while (lines.length === 0 && !closed) await new Promise<void>((resolve) => (wake = resolve));
        const line = lines.shift();
        if (line === undefined) return null;
        if (/^\d{3} /.test(line)) return line;
      }
    },
    closed: () => new Promise<void>((resolve) => (closed ? resolve() : socket.once('close', () => resolve()))),
    detach: () => socket.off('data', onData),
  };
}


/** Opens the FTP lab's console with an io that lets a test wait for output or status. */
export function openFtpConsole(lab: TestLab): { console: LabConsole; until(pattern: RegExp): Promise<string>; conn(): Promise<string>; conns: string[] } {
  const lab0 = lab.daemon.labs.find((l) => l.protocol === 'ftp');
  let output = '';
  const waiters: { pattern: RegExp; resolve(text: string): void }[] = [];
  let opened: (conn: string) => void = () => {};
  const connPromise = new Promise<string>((resolve) => (opened = resolve));
  const conns: string[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.pattern.test(output)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(output);
  };
  const console = lab0?.openConsole?.({
    status: (s: ConsoleStatus) => {
      if (s.state !== 'open') return;
      if (!conns.includes(s.conn)) conns.push(s.conn);
      opened(s.conn);
    },
    output: (text: string) => {
      output += text;
      check();
    },
  });
  if (!console) throw new Error('no console');
  console.open({ cols: 100, rows: 30 });
  return {
    console,
    until: (pattern) => new Promise((resolve) => (waiters.push({ pattern, resolve }), check())),
    conn: () => connPromise,
    conns,
  };
}

/** A connection's messages (by seq) once `done` accepts them. */
export async function untilMessages(lab: TestLab, conn: string, done: (messages: LabMessage[]) => boolean): Promise<LabMessage[]> {
  for (;;) {
    const messages = (await transcript(lab, conn)).messages.sort((a, b) => a.seq - b.seq);
    if (done(messages)) return messages;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
