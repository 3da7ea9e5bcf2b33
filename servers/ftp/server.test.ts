import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLabCertificate } from '../../lib/tls/certificate.ts';
import { start, type RunningFtpServer } from './index.ts';

let server: RunningFtpServer;
let root: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-server-'));
  server = await start({ host: '127.0.0.1', port: 0, root, tls: await generateLabCertificate(), credentials: { user: 'student', password: 'pw' }, maxFileBytes: 1024 });
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Reads CRLF lines from a socket, one promise per complete reply line. */
function lines(socket: net.Socket | tls.TLSSocket) {
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  const queued: string[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (!/^\d{3} /.test(line)) continue;
      const w = waiters.shift();
      if (w) w(line);
      else queued.push(line);
    }
  };
  socket.on('data', onData);
  return {
    next: () => new Promise<string>((resolve) => (queued.length ? resolve(queued.shift() as string) : waiters.push(resolve))),
    detach: () => socket.off('data', onData),
  };
}

describe('servers/ftp boundary fixes', () => {
  it('AUTH TLS: a client starting the handshake the instant it reads 234 always succeeds (20/20)', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = net.connect(server.ports.control, '127.0.0.1');
      const reader = lines(socket);
      expect(await reader.next()).toMatch(/^220/);
      socket.write('AUTH TLS\r\n');
      const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
        // Like curl: handshake in the same tick as the 234 arrives.
        socket.once('data', () => {
          reader.detach();
          const s = tls.connect({ socket, rejectUnauthorized: false }, () => resolve(s));
          s.once('error', reject);
        });
      });
      const secureReader = lines(secure);
      secure.write('USER student\r\n');
      expect(await secureReader.next()).toMatch(/^331/);
      secure.destroy();
    }
  });

  it('PROT needs AUTH TLS and PBSZ first; PROT C is accepted (RFC 4217 §9)', async () => {
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    socket.write('PROT P\r\n');
    expect(await reader.next()).toMatch(/^503/);
    socket.write('AUTH TLS\r\n');
    expect(await reader.next()).toMatch(/^234/);
    reader.detach();
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    const r = lines(secure);
    secure.write('PBSZ 0\r\n');
    expect(await r.next()).toMatch(/^200/);
    secure.write('PROT C\r\n');
    expect(await r.next()).toMatch(/^200 .*NOT encrypted/);
    secure.write('PROT S\r\n');
    expect(await r.next()).toMatch(/^536/);
    secure.destroy();
  });

  it('reports sessions and commands as events, with PASS masked', async () => {
    const seen: string[] = [];
    const onCommand = (e: { directive: string; arg: string | null }) => seen.push(`${e.directive} ${e.arg ?? ''}`.trim());
    server.events.on('command', onCommand);
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    socket.write('USER student\r\n');
    await reader.next();
    socket.write('PASS pw\r\n');
    expect(await reader.next()).toMatch(/^230/);
    socket.destroy();
    server.events.off('command', onCommand);
    expect(seen).toEqual(['USER student', 'PASS ********']);
  });

  it('answers OPTS without an argument 501 and goes on reading commands (ftp-srv threw on it)', async () => {
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    for (const [line, code] of [['USER student', /^331/], ['PASS pw', /^230/], ['OPTS', /^501 /], ['NOOP', /^200/]] as const) {
      socket.write(`${line}\r\n`);
      expect(await reader.next()).toMatch(code);
    }
    socket.destroy();
  });

  it('answers file commands sent without a path 501, not as if they named the sandbox root', async () => {
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    for (const [line, code] of [['USER student', /^331/], ['PASS pw', /^230/]] as const) {
      socket.write(`${line}\r\n`);
      expect(await reader.next()).toMatch(code);
    }
    // ftp-srv took the missing path for "/": MKD answered 257 "/", SIZE the root's 4096, RNFR 350.
    for (const verb of ['MKD', 'XMKD', 'RMD', 'XRMD', 'DELE', 'RNFR', 'RNTO', 'SIZE', 'MDTM', 'RETR', 'STOR', 'APPE']) {
      socket.write(`${verb} \r\n`);
      expect(await reader.next(), verb).toMatch(new RegExp(`^501 .*${verb} <`));
    }
    socket.destroy();
  });

  it('after EPSV ALL refuses PASV, PORT and EPRT, and EPSV for a network protocol it cannot serve is 522 (RFC 2428 §3)', async () => {
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    const steps: [string, RegExp][] = [
      ['USER student', /^331/],
      ['PASS pw', /^230/],
      // An IPv4 control connection: protocol 2 (IPv6) cannot be served, 1 can; anything else is no protocol number.
      ['EPSV 2', /^522 .*\(1\)/],
      ['EPSV 1', /^229 /],
      ['EPSV x', /^501 /],
      ['PASV', /^227 /],
      ['EPSV ALL', /^200 /],
      ['PASV', /^503 .*EPSV ALL/],
      ['PORT 127,0,0,1,200,10', /^503 .*EPSV ALL/],
      ['EPRT |1|127.0.0.1|51210|', /^503 .*EPSV ALL/],
      ['EPSV', /^229 /],
    ];
    for (const [line, code] of steps) {
      socket.write(`${line}\r\n`);
      expect(await reader.next(), line).toMatch(code);
    }
    socket.destroy();
  });

  it('MKD of a directory that exists is 550, not 257 "created"', async () => {
    fs.mkdirSync(path.join(root, 'there'), { recursive: true });
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    for (const [line, code] of [['USER student', /^331/], ['PASS pw', /^230/], ['MKD there', /^550 \/there: File exists/], ['MKD .', /^550 /], ['MKD fresh', /^257 "\/fresh"/]] as const) {
      socket.write(`${line}\r\n`);
      expect(await reader.next(), line).toMatch(code);
    }
    socket.destroy();
  });

  /** Logs in on a new control connection and runs `steps`, each line with the reply it must get. */
  async function session(steps: [string, RegExp][]): Promise<net.Socket> {
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    for (const [line, code] of [['USER student', /^331/], ['PASS pw', /^230/], ...steps] as [string, RegExp][]) {
      socket.write(`${line}\r\n`);
      expect(await reader.next(), line).toMatch(code);
    }
    return socket;
  }

  it('SIZE of a directory is 550, not its block size (RFC 3659 §4)', async () => {
    fs.mkdirSync(path.join(root, 'folder'), { recursive: true });
    fs.writeFileSync(path.join(root, 'five.txt'), '12345');
    const socket = await session([
      ['SIZE five.txt', /^213 5$/],
      ['SIZE folder', /^550 folder: Not a plain file/],
      ['SIZE nothing', /^550 /],
    ]);
    socket.destroy();
  });

  it('DELE of a directory is 550 and leaves it to RMD', async () => {
    fs.mkdirSync(path.join(root, 'folder2'), { recursive: true });
    fs.writeFileSync(path.join(root, 'gone.txt'), 'x');
    const socket = await session([
      ['DELE folder2', /^550 folder2: Is a directory .*RMD/],
      ['DELE gone.txt', /^250 /],
      ['DELE gone.txt', /^550 /],
    ]);
    expect(fs.existsSync(path.join(root, 'folder2'))).toBe(true);
    socket.destroy();
    await session([['RMD folder2', /^250 /]]).then((s) => s.destroy());
    expect(fs.existsSync(path.join(root, 'folder2'))).toBe(false);
  });

  it.each(['LIST', 'RETR hello.txt'])('%s: the data connection is closed before 226 "Closing data connection" (RFC 959 §4.2)', async (command) => {
    fs.writeFileSync(path.join(root, 'hello.txt'), 'hello\n');
    const socket = net.connect(server.ports.control, '127.0.0.1');
    const reader = lines(socket);
    await reader.next();
    for (const [line, code] of [['USER student', /^331/], ['PASS pw', /^230/]] as const) {
      socket.write(`${line}\r\n`);
      expect(await reader.next()).toMatch(code);
    }
    socket.write('EPSV\r\n');
    const port = Number(/\|\|\|(\d+)\|/.exec(await reader.next())?.[1]);
    // Half-open allowed: we close our side only a turn after the server's FIN, by hand.
    const data = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let weClosed = false;
    data.resume();
    data.once('end', () =>
      setImmediate(() => {
        weClosed = true;
        data.end();
      }),
    );
    await new Promise((resolve) => data.once('connect', resolve));
    socket.write(`${command}\r\n`);
    expect(await reader.next()).toMatch(/^150/);
    // Something to carry our ACK of the 150 at once: else Nagle holds the server's 226 back for a
    // delayed ACK (40 ms), which hid ftp-srv's order. The NOOP is answered after the transfer.
    socket.write('NOOP\r\n');
    // 226 waits for the data connection to be closed both ways; ftp-srv sent it before its own FIN.
    expect(await reader.next()).toMatch(/^226/);
    expect(weClosed).toBe(true);
    expect(await reader.next()).toMatch(/^200/);
    socket.destroy();
  });
});
