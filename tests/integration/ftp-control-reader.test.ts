import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { python, rawSession, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

let lab: TestLab;
const BIG = 16 * 1024 * 1024;
beforeAll(async () => {
  lab = await startFtpTestLab();
  fs.writeFileSync(path.join(lab.dataDir, 'sandboxes/local/files/big.bin'), Buffer.alloc(BIG, 0x61));
});
afterAll(async () => {
  await lab?.stop();
});

// Starts a download, reads a little of it, then aborts as ftplib does (ABOR sent as urgent data):
// prints each reply, then the next command's.
const FTPLIB_ABORT = `
import ftplib, sys
ftp = ftplib.FTP(timeout=8)
ftp.connect('127.0.0.1', int(sys.argv[1]))
ftp.login('student', sys.argv[2])
conn = ftp.transfercmd('RETR big.bin')
conn.recv(4096)
print('abort:', ftp.abort())
conn.close()
print('then:', ftp.getresp())
print('noop:', ftp.sendcmd('NOOP'))
ftp.quit()
`;

/** A raw control connection, logged in. */
async function loggedIn() {
  const session = await rawSession(lab.port('ftp'));
  await session.send('USER student');
  await session.send(`PASS ${TEST_PASSWORD}`);
  return session;
}

/** Every reply line ("ddd text") a raw socket receives, in order, as a growing list. */
function collectReplies(socket: net.Socket): string[] {
  const replies: string[] = [];
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    const lines = buffer.split('\r\n');
    buffer = lines.pop() ?? '';
    replies.push(...lines.filter((line) => /^\d{3} /.test(line)));
  });
  return replies;
}

describe('the FTP control connection', () => {
  it('ABOR stops a download in progress: 426 for the transfer, then 226 (Python ftplib abort())', async () => {
    // ftp-srv paused the control connection for the whole transfer: abort() timed out.
    const result = await python(FTPLIB_ABORT, [String(lab.port('ftp')), TEST_PASSWORD]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^abort: 426 .*\nthen: 226 .*\nnoop: 200 /m);
    // The eavesdropper's view shows the ABOR (its LF went as urgent data) where it crossed.
    const { connections } = await lab.api<{ connections: { id: string; parent?: string }[] }>('/api/connections?protocol=ftp&limit=5');
    const control = connections.find((c) => !c.parent);
    await expect
      .poll(async () => {
        const { messages } = await transcript(lab, control?.id ?? '');
        return messages.filter((m) => m.view === 'wire' && m.dir !== 'note').map((m) => m.text.split(' ')[0]).slice(-8).join(' ');
      })
      .toBe('150 ABOR 426 226 NOOP 200 QUIT 221');
  });

  it('keeps replies in order when ABOR and NOOP are sent together during a download: 150, 426, 226, 200', async () => {
    const control = net.connect(lab.port('ftp'), '127.0.0.1');
    const replies = collectReplies(control);
    const reply = async (line: string | null, count: number) => {
      if (line !== null) control.write(`${line}\r\n`);
      await expect.poll(() => replies.length).toBeGreaterThanOrEqual(count);
      return replies[count - 1];
    };
    await reply(null, 1);
    await reply('USER student', 2);
    await reply(`PASS ${TEST_PASSWORD}`, 3);
    const pasv = await reply('EPSV', 4);
    const port = Number(/\(\|\|\|(\d+)\|\)/.exec(pasv)?.[1]);
    // A data connection that reads nothing: the 16 MiB download stalls once the buffers are full.
    const data = net.connect(port, '127.0.0.1');
    data.pause();
    expect(await reply('RETR big.bin', 5)).toMatch(/^150 /);
    control.write('ABOR\r\nNOOP\r\n');
    await expect.poll(() => replies.length).toBe(8);
    expect(replies.slice(4).map((r) => r.slice(0, 3))).toEqual(['150', '426', '226', '200']);
    data.destroy();
    control.destroy();
  });

  it('reads a command split across reads as one, and drops Telnet commands (IAC IP, IAC DM) before ABOR', async () => {
    const socket = net.connect(lab.port('ftp'), '127.0.0.1');
    socket.setNoDelay(true);
    const replies = collectReplies(socket);
    const replyTo = async (bytes: Buffer[], code: RegExp) => {
      const before = replies.length;
      for (const part of bytes) {
        socket.write(part);
        // A read of its own for each part: the server sees the command arrive in pieces.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await expect.poll(() => replies[before] ?? '').toMatch(code);
    };
    await replyTo([], /^220 /);
    // Was "331" for "USER stu" and "502 Command not allowed: DENT".
    await replyTo([Buffer.from('USER stu'), Buffer.from('dent\r\n')], /^331 /);
    await replyTo([Buffer.from(`PASS ${TEST_PASSWORD.slice(0, 3)}`), Buffer.from(`${TEST_PASSWORD.slice(3)}\r\n`)], /^230 /);
    // RFC 959 §4.1.3: Telnet IP and Synch before ABOR. Was "502 Command not allowed: ����ABOR".
    await replyTo([Buffer.from([0xff, 0xf4, 0xff, 0xf2, ...Buffer.from('ABOR\r\n')])], /^225 /);
    socket.destroy();
  });

  it('answers a command line over 8 KiB with 500 and reads on', async () => {
    const session = await rawSession(lab.port('ftp'));
    expect(await session.send('X'.repeat(9000))).toMatch(/^500 Command line too long/);
    expect(await session.send('NOOP')).toMatch(/^200 /);
    session.close();
  });

  it('SITE CHMOD changes a mode within the sandbox rules (as SFTP does); a bad one is answered in words, never "500 Syntax error"', async () => {
    const session = await loggedIn();
    const file = path.join(sandboxRoot(lab.dataDir, 'local'), 'README.txt');
    expect(await session.send('SITE CHMOD 600 README.txt')).toBe('200 SITE CHMOD command successful');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The sandbox's umask (022) holds: no file becomes group- or world-writable.
    expect(await session.send('site chmod 0777 /README.txt')).toBe('200 SITE CHMOD command successful');
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
    expect(await session.send('SITE CHMOD 644 /nope.txt')).toMatch(/^550 \/nope\.txt: /);
    expect(await session.send('SITE CHMOD 644 ../../etc/passwd')).toMatch(/^550 .*Permission denied/);
    expect(await session.send('SITE CHMOD 755 /')).toMatch(/^550 /);
    expect(await session.send('SITE CHMOD rw README.txt')).toBe('501 Syntax: SITE CHMOD <octal mode> <path>');
    expect(await session.send('SITE UTIME x')).toBe('504 SITE UTIME is not implemented here');
    expect(await session.send('SITE')).toMatch(/^501 /);
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
    session.close();
  });

  it('ABOR after a finished transfer closes nothing and answers 225; the transcript shows ABOR in order', async () => {
    const session = await loggedIn();
    expect(await session.send('ABOR')).toMatch(/^225 /);
    expect(await session.send('NOOP')).toMatch(/^200 /);
    session.close();
    const { connections } = await lab.api<{ connections: { id: string; parent?: string }[] }>('/api/connections?protocol=ftp&limit=1');
    const { messages } = await transcript(lab, connections[0].id);
    const wire = messages.filter((m) => m.view === 'wire' && m.dir !== 'note').map((m) => m.text.split(' ')[0]);
    expect(wire.slice(-4)).toEqual(['ABOR', '225', 'NOOP', '200']);
  });
});
