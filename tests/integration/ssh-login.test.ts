import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import type { TestLab } from '../helpers/daemon.ts';
import { connectClient, endClient, exec, startSshTestLab, tapSocket, transcript, waitForClose } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

describe('SSH login', () => {
  it('logs in with the lab password and records the handshake in both views', async () => {
    const { client, localPort } = await connectClient(lab);
    const { stdout, code } = await exec(client, 'whoami');
    expect(stdout).toBe('student\n');
    expect(code).toBe(0);
    const info = await endClient(lab, client, localPort);
    const messages = await transcript(lab, info.id);
    const wire = messages.filter((m) => m.view === 'wire');
    const endpoint = messages.filter((m) => m.view === 'endpoint');
    // Each side sends its version line as soon as the connection is up (RFC 4253 §4.2): either may come first.
    expect(wire[0]).toMatchObject({ kind: 'version' });
    expect(wire.findIndex((m) => m.kind === 'version' && m.dir === 'client')).toBeLessThan(wire.findIndex((m) => m.annotation?.key === 'ssh.msg.KEXINIT' && m.dir === 'client'));
    expect(wire.some((m) => m.kind === 'version' && m.dir === 'server')).toBe(true);
    expect(wire.some((m) => m.annotation?.key === 'ssh.msg.KEXINIT' && m.dir === 'server')).toBe(true);
    expect(wire.some((m) => m.kind === 'negotiation' && m.text.includes('curve25519'))).toBe(true);
    expect(wire.filter((m) => m.annotation?.key === 'ssh.msg.NEWKEYS')).toHaveLength(2);
    expect(wire.some((m) => m.kind === 'encrypted')).toBe(true);
    expect(endpoint.some((m) => m.kind === 'negotiation' && /first client algorithm/.test(m.text))).toBe(true);
    expect(endpoint.some((m) => m.text === 'USERAUTH_SUCCESS')).toBe(true);
    expect(endpoint.some((m) => m.kind === 'command' && m.text === '$ whoami')).toBe(true);
    // The password never appears anywhere in the transcript.
    expect(JSON.stringify(messages)).not.toContain('test-password');
  });

  it('answers a wrong password with USERAUTH_FAILURE listing the methods that can continue', async () => {
    const sock = await tapSocket(lab);
    const closed = waitForClose(lab, sock.localPort ?? 0);
    const client = new ssh2.Client();
    const error = await new Promise<Error>((resolve) => {
      client.once('error', resolve);
      client.connect({ sock, username: 'student', password: 'wrong', hostVerifier: () => true });
    });
    expect(error.message).toMatch(/authentication methods failed/);
    const messages = await transcript(lab, (await closed).id);
    const failure = messages.find((m) => m.view === 'endpoint' && m.text.startsWith('USERAUTH_FAILURE') && m.annotation?.level === 'warn');
    expect(failure?.text).toContain('publickey,password');
  });

  it('logs in with a generated ed25519 key (query, PK_OK, signature)', async () => {
    const key = await lab.api<{ id: string; publicKey: string; privateKeyUrl: string }>('/api/ssh/keys', { body: {} });
    expect(key.publicKey).toMatch(/^ssh-ed25519 AAAA/);
    const privateKey = await lab.api<string>(key.privateKeyUrl);
    expect(privateKey).toContain('BEGIN OPENSSH PRIVATE KEY');
    const { client, localPort } = await connectClient(lab, { password: undefined, privateKey });
    expect((await exec(client, 'pwd')).stdout).toBe('/\n');
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    const texts = messages.filter((m) => m.view === 'endpoint').map((m) => m.text);
    expect(texts.some((t) => t.startsWith('USERAUTH_PK_OK'))).toBe(true);
    expect(texts.some((t) => t.includes('publickey') && t.includes('+ signature'))).toBe(true);
    expect(texts).toContain('USERAUTH_SUCCESS');
  });

  it('verifies host key fingerprints the way ssh-keygen prints them', async () => {
    const keys = await lab.api<{ keys: { type: string; fingerprint: string }[] }>('/api/ssh/host-keys');
    expect(keys.keys.map((k) => k.type).sort()).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
    let seen = '';
    const { client, localPort } = await connectClient(lab, {
      hostVerifier: (key: Buffer) => {
        seen = 'SHA256:' + sha256(key);
        return true;
      },
    });
    await endClient(lab, client, localPort);
    expect(keys.keys.find((k) => k.type === 'ssh-ed25519')?.fingerprint).toBe(seen);
  });
});

function sha256(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

describe('simulated shell', () => {
  it('runs commands with redirection, and escapes control characters in file contents', async () => {
    const { client, localPort } = await connectClient(lab);
    expect((await exec(client, 'mkdir -p /shell-test')).code).toBe(0);
    expect((await exec(client, 'echo "first line" > /shell-test/a.txt')).code).toBe(0);
    expect((await exec(client, 'echo second >> /shell-test/a.txt')).code).toBe(0);
    expect((await exec(client, 'cat /shell-test/a.txt')).stdout).toBe('first line\nsecond\n');
    expect((await exec(client, 'wc -l /shell-test/a.txt')).stdout.trim()).toBe('2 /shell-test/a.txt');
    expect((await exec(client, 'head -n 1 /shell-test/a.txt')).stdout).toBe('first line\n');
    await exec(client, 'cp /shell-test/a.txt /shell-test/b.txt');
    await exec(client, 'mv /shell-test/b.txt /shell-test/c.txt');
    expect((await exec(client, 'ls /shell-test')).stdout).toBe('a.txt  c.txt\n');
    expect((await exec(client, 'ls -l /shell-test')).stdout).toMatch(/^total \d+\n-rw-r--r-- +1 student student +18 .* a\.txt\n/);
    await exec(client, 'rm /shell-test/c.txt');
    expect((await exec(client, 'ls /shell-test')).stdout).toBe('a.txt\n');
    const unknown = await exec(client, 'vim x');
    expect(unknown).toMatchObject({ code: 127, stderr: '-sh: vim: command not found\n' });

    // A file uploaded by someone else holding a DCS query and a colour change.
    const sftp = await new Promise<ssh2.SFTPWrapper>((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
    await new Promise<void>((resolve, reject) => sftp.writeFile('/shell-test/evil.txt', '\x1bP$q"p\x1b\\\x1b[31mred\x9b', (err) => (err ? reject(err) : resolve())));
    const evil = await exec(client, 'cat /shell-test/evil.txt');
    expect(evil.stdout).not.toMatch(/[\x1b\x9b]/);
    expect(evil.stdout).toContain('^[P$q');
    await endClient(lab, client, localPort);
  });

  it('erases a wrapped line at the pty\'s width, and reads a character whose bytes came in two packets', async () => {
    const { client, localPort } = await connectClient(lab);
    // 20 columns: "student@lab:/$ echo " fills the first row; the Hangul (two cells each) goes on the second.
    const typed = Buffer.from('echo 안녕하세요');
    const output = await new Promise<string>((resolve, reject) => {
      client.shell({ term: 'xterm-256color', cols: 20, rows: 10 }, (err, stream) => {
        if (err) return reject(err);
        let text = '';
        let started = false;
        stream.on('data', (d: Buffer) => {
          text += d.toString();
          if (started || !text.includes('$ ')) return;
          started = true;
          // 안 is bytes 5–7: the first packet ends inside it.
          stream.write(typed.subarray(0, 6));
          setImmediate(() => stream.write(Buffer.concat([typed.subarray(6), Buffer.from('\x7f'.repeat(6) + ' 안녕\rexit\r')])));
        });
        stream.on('close', () => resolve(text));
      });
    });
    // Backspaces 1–4 go back over two cells each; the fifth erases the Hangul row and writes the first row's
    // last cell again (so the cursor waits there to wrap, as before); the sixth erases that space.
    expect(output).toContain('안녕하세요' + '\b\b\x1b[K'.repeat(4) + '\r\x1b[J\x1b[A\r\x1b[19C \r\x1b[19C\x1b[J 안녕\r\n');
    expect(output).toContain('\r\n안녕\r\n');
    await endClient(lab, client, localPort);
  });

  it('folds the welcome text at spaces to the pty\'s width, never cutting a word', async () => {
    const { client, localPort } = await connectClient(lab);
    /** The text a shell on a `cols`-wide pty prints before its first prompt, as lines. */
    const welcome = (cols: number) =>
      new Promise<string[]>((resolve, reject) => {
        client.shell({ term: 'xterm-256color', cols, rows: 24 }, (err, stream) => {
          if (err) return reject(err);
          let text = '';
          stream.on('data', (d: Buffer) => {
            text += d.toString();
            const prompt = text.indexOf('$ ');
            if (prompt === -1) return;
            stream.end('exit\r');
            resolve(text.slice(0, text.lastIndexOf('\r\n', prompt)).split('\r\n'));
          });
        });
      });
    const wide = await welcome(200);
    const narrow = await welcome(40);
    expect(narrow.length).toBeGreaterThan(wide.length);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(40);
    // The same words in the same order: lines break only where a space was.
    const words = (lines: string[]) => lines.join(' ').split(/\s+/).filter(Boolean);
    expect(words(narrow)).toEqual(words(wide));
    await endClient(lab, client, localPort);
  });

  it('honours pty-req and window-change in an interactive shell', async () => {
    const { client, localPort } = await connectClient(lab);
    const output = await new Promise<string>((resolve, reject) => {
      client.shell({ term: 'xterm-256color', cols: 90, rows: 20 }, (err, stream) => {
        if (err) return reject(err);
        let text = '';
        stream.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('$ ') && !text.includes('pwd')) {
            stream.setWindow(40, 120, 0, 0);
            stream.write('cd /shell-test\rpwd\rhistory\rexit\r');
          }
        });
        stream.on('close', () => resolve(text));
      });
    });
    expect(output).toContain('Welcome to the Protocol Lab SSH server.\r\n');
    expect(output).toContain('pwd\r\n/shell-test\r\n');
    expect(output).toMatch(/1 {2}cd \/shell-test\r\n +2 {2}pwd\r\n/);
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    const endpoint = messages.filter((m) => m.view === 'endpoint');
    expect(endpoint.some((m) => m.text.includes('pty-req xterm-256color 90×20'))).toBe(true);
    expect(endpoint.some((m) => m.text.includes('window-change 120×40'))).toBe(true);
    // ssh2 logs "Automatic rejection … window-change" after its listener accepted it: not a refusal to show.
    expect(endpoint.filter((m) => m.text.includes('Automatic rejection'))).toEqual([]);
  });
});
