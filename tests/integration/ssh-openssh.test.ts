import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { nextClientConnection, startSshTestLab, transcript } from './ssh-helpers.ts';

const run = promisify(execFile);

let lab: TestLab;
let dir: string;
let keyFile: string;
beforeAll(async () => {
  lab = await startSshTestLab();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-openssh-'));
  const key = await lab.api<{ privateKeyUrl: string }>('/api/ssh/keys', { body: { name: 'id_ed25519' } });
  keyFile = path.join(dir, 'id_ed25519');
  fs.writeFileSync(keyFile, await lab.api<string>(key.privateKeyUrl), { mode: 0o600 });
});
afterAll(async () => {
  await lab?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const common = () => [
  '-F', '/dev/null',
  '-i', keyFile,
  '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`,
  '-o', 'StrictHostKeyChecking=accept-new',
  '-o', 'BatchMode=yes',
  '-o', 'IdentitiesOnly=yes',
];

/** Runs a real OpenSSH command and returns its output with the lab's record of the connection. */
async function withTranscript(command: string, args: string[]): Promise<{ stdout: string; stderr: string; messages: LabMessage[] }> {
  const closed = nextClientConnection(lab);
  const { stdout, stderr } = await run(command, args, { timeout: 20_000 });
  const info: ConnectionInfo = await closed;
  return { stdout, stderr, messages: await transcript(lab, info.id) };
}

describe('real OpenSSH against the lab', () => {
  it('ssh -i key … "echo hi": the transcript holds version exchange, KEXINIT with choices, NEWKEYS and USERAUTH success', async () => {
    const { stdout, stderr, messages } = await withTranscript(tool('ssh'), [...common(), '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'echo hi']);
    expect(stdout).toBe('hi\n');
    expect(stderr).toContain('Permanently added');
    const wire = messages.filter((m) => m.view === 'wire');
    const endpoint = messages.filter((m) => m.view === 'endpoint');

    const clientVersion = wire.find((m) => m.kind === 'version' && m.dir === 'client');
    expect(clientVersion?.text).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(clientVersion?.annotation?.key).toBe('ssh.version.client');
    expect(wire.find((m) => m.kind === 'version' && m.dir === 'server')?.text).toBe('SSH-2.0-ProtocolLab_1.0');

    const kexinits = wire.filter((m) => m.annotation?.key === 'ssh.msg.KEXINIT');
    expect(kexinits.map((m) => m.dir).sort()).toEqual(['client', 'server']);
    const clientKex = kexinits.find((m) => m.dir === 'client')?.fields?.find((f) => f.name === 'kex_algorithms')?.value ?? '';
    expect(clientKex).toContain('sntrup761x25519-sha512@openssh.com');
    const negotiation = wire.find((m) => m.kind === 'negotiation');
    // OpenSSH prefers sntrup761…, which ssh2 lacks: the first client algorithm the server supports wins.
    expect(negotiation?.fields?.find((f) => f.name === 'kex')?.value).toBe('curve25519-sha256');
    expect(negotiation?.fields?.find((f) => f.name === 'cipher c→s')?.value).toBe('chacha20-poly1305@openssh.com');
    expect(negotiation?.annotation?.ref).toBe('RFC 4253 §7.1');
    expect(endpoint.find((m) => m.kind === 'negotiation')?.text).toContain('curve25519-sha256');

    expect(wire.filter((m) => m.annotation?.key === 'ssh.msg.NEWKEYS')).toHaveLength(2);
    // chacha20-poly1305 hides even the packet length.
    expect(wire.some((m) => m.annotation?.key === 'ssh.encrypted.length-hidden')).toBe(true);
    expect(endpoint.some((m) => m.text.startsWith('USERAUTH_PK_OK') || m.text.includes('+ signature'))).toBe(true);
    expect(endpoint.some((m) => m.text === 'USERAUTH_SUCCESS')).toBe(true);
    expect(endpoint.some((m) => m.kind === 'command' && m.text === '$ echo hi')).toBe(true);
    // The wire bytes are fully accounted for in each direction.
    for (const dir of ['client', 'server'] as const) {
      expect(wire.filter((m) => m.dir === dir).every((m) => (m.bytes ?? 0) > 0)).toBe(true);
    }
  });

  it('sftp -b batch put/get round-trips a file and is annotated', async () => {
    const local = path.join(dir, 'upload.bin');
    const back = path.join(dir, 'download.bin');
    const content = Buffer.alloc(200_000, 0x5a);
    fs.writeFileSync(local, content);
    const batch = path.join(dir, 'batch');
    fs.writeFileSync(batch, `put ${local} /openssh.bin\nget /openssh.bin ${back}\nls -l\nrm /openssh.bin\n`);
    const { messages } = await withTranscript(tool('sftp'), [...common(), '-b', batch, '-P', String(lab.port('ssh')), 'student@127.0.0.1']);
    expect(fs.readFileSync(back).equals(content)).toBe(true);
    const texts = messages.filter((m) => m.kind === 'sftp').map((m) => m.text);
    for (const expected of ['SSH_FXP_INIT', 'SSH_FXP_VERSION', 'SSH_FXP_REALPATH', 'SSH_FXP_OPEN /openssh.bin', 'SSH_FXP_WRITE', 'SSH_FXP_READ', 'SSH_FXP_READDIR', 'SSH_FXP_REMOVE /openssh.bin']) {
      expect(texts.some((t) => t.startsWith(expected)), expected).toBe(true);
    }
  });

  it('scp (SFTP mode) uploads and downloads and exits 0: the subsystem channel ends with exit-status 0', async () => {
    const local = path.join(dir, 'scp-up.txt');
    const back = path.join(dir, 'scp-back.txt');
    fs.writeFileSync(local, 'copied with scp\n');
    const port = String(lab.port('ssh'));
    // scp failed (exit 1, "Exit status -1") on a channel closed without exit-status.
    const up = await withTranscript(tool('scp'), [...common(), '-P', port, local, 'student@127.0.0.1:/scp.txt']);
    await run(tool('scp'), [...common(), '-P', port, 'student@127.0.0.1:/scp.txt', back], { timeout: 20_000 });
    expect(fs.readFileSync(back, 'utf8')).toBe('copied with scp\n');
    expect(up.messages.some((m) => m.view === 'endpoint' && m.dir === 'server' && /exit-status: 0/.test(m.text))).toBe(true);
  });

  it('scp (SFTP mode) uploads an 8 MB file whole: WRITEs are answered in the order they came', async () => {
    // OpenSSH 9.2's scp writes in place and at the end truncates the file at the highest offset
    // acknowledged in order; replies out of order left a 30 MB upload cut to 700 KB, exit 0.
    const local = path.join(dir, 'scp-big.bin');
    const back = path.join(dir, 'scp-big-back.bin');
    const content = Buffer.from(Array.from({ length: 8 * 1024 * 1024 }, (_, i) => (i * 31 + (i >> 12)) % 251));
    fs.writeFileSync(local, content);
    const port = String(lab.port('ssh'));
    await run(tool('scp'), [...common(), '-P', port, local, 'student@127.0.0.1:/scp-big.bin'], { timeout: 60_000 });
    await run(tool('scp'), [...common(), '-P', port, 'student@127.0.0.1:/scp-big.bin', back], { timeout: 60_000 });
    const got = fs.readFileSync(back);
    expect(got.length).toBe(content.length);
    expect(got.equals(content)).toBe(true);
  });

  it('legacy scp -O (OpenSSH before 9.0) copies a file up and down through the lab\'s SCP over the jail', async () => {
    const port = String(lab.port('ssh'));
    const local = path.join(dir, 'legacy.bin');
    const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    fs.writeFileSync(local, content);
    // Into a directory (the file keeps its name), then under a name of its own; then back.
    await run(tool('scp'), ['-O', ...common(), '-P', port, local, 'student@127.0.0.1:/'], { timeout: 20_000 });
    await run(tool('scp'), ['-O', ...common(), '-P', port, local, 'student@127.0.0.1:/renamed.bin'], { timeout: 20_000 });
    for (const name of ['legacy.bin', 'renamed.bin']) {
      const back = path.join(dir, `back-${name}`);
      await run(tool('scp'), ['-O', ...common(), '-P', port, `student@127.0.0.1:/${name}`, back], { timeout: 20_000 });
      expect(fs.readFileSync(back).equals(content), name).toBe(true);
    }
    // A missing file and a directory copy fail with the reason, never a hang.
    const missing = await run(tool('scp'), ['-O', ...common(), '-P', port, 'student@127.0.0.1:/nope.bin', dir], { timeout: 20_000 }).catch((e: { stderr: string; code: number }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('scp: /nope.bin: No such file or directory') });
    expect((missing as { stderr: string }).stderr).not.toContain(lab.dataDir);
    const recursive = await run(tool('scp'), ['-O', '-r', ...common(), '-P', port, dir, 'student@127.0.0.1:/'], { timeout: 20_000 }).catch((e: { stderr: string; code: number }) => e);
    expect(recursive).toMatchObject({ code: 1, stderr: expect.stringContaining('use sftp for directories') });
  });

  it('legacy scp -O -p keeps a file\'s modification time both ways, and curl\'s scp:// (libssh2, always -p) downloads', async () => {
    const port = String(lab.port('ssh'));
    const local = path.join(dir, 'dated.txt');
    fs.writeFileSync(local, 'written in 2001\n');
    const then = new Date('2001-09-09T01:46:40Z');
    fs.utimesSync(local, then, then);
    await run(tool('scp'), ['-O', '-p', ...common(), '-P', port, local, 'student@127.0.0.1:/dated.txt'], { timeout: 20_000 });
    const back = path.join(dir, 'dated-back.txt');
    await run(tool('scp'), ['-O', '-p', ...common(), '-P', port, 'student@127.0.0.1:/dated.txt', back], { timeout: 20_000 });
    expect(fs.readFileSync(back, 'utf8')).toBe('written in 2001\n');
    // The lab stored the time the client sent (T line) and sent it back (its own T line).
    expect(fs.statSync(back).mtimeMs).toBe(then.getTime());

    const viaCurl = await run(tool('curl'), ['-sS', '--insecure', '-u', `student:${TEST_PASSWORD}`, `scp://127.0.0.1:${port}/dated.txt`], { timeout: 20_000 });
    expect(viaCurl.stdout).toBe('written in 2001\n');
  });

  it('ssh -X: the X11 request is explained and refused; the command still runs', async () => {
    const closed = nextClientConnection(lab);
    // ssh asks for X11 forwarding only with a DISPLAY to forward to (none needs to exist).
    const { stdout, stderr } = await run(tool('ssh'), [...common(), '-X', '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'echo still here'], { timeout: 20_000, env: { ...process.env, DISPLAY: ':9' } });
    expect(stdout).toBe('still here\n');
    expect(stderr).toContain('X11 forwarding request failed');
    const messages = await transcript(lab, (await closed).id);
    const request = messages.find((m) => m.view === 'endpoint' && m.text.includes('x11-req'));
    expect(request?.annotation).toMatchObject({ key: 'ssh.channel.x11-req', ref: 'RFC 4254 §6.3.1' });
    const answer = messages.slice(messages.indexOf(request as LabMessage)).find((m) => m.view === 'endpoint' && m.dir === 'server' && m.text.startsWith('CHANNEL_'));
    expect(answer?.text).toMatch(/^CHANNEL_FAILURE/);
  });

  it('ssh -W to a port the lab does not forward: OpenSSH names the refusal once, as against its own sshd', async () => {
    // -W opens the same direct-tcpip channel as -L does for each local connection.
    const refused = await run(tool('ssh'), [...common(), '-W', '127.0.0.1:9', '-p', String(lab.port('ssh')), 'student@127.0.0.1'], { timeout: 20_000 }).then(
      () => null,
      (err: { stderr?: string }) => err.stderr ?? '',
    );
    expect(refused).toMatch(/channel \d+: open failed: administratively prohibited: open failed\r?\n/);
    expect(refused?.match(/administratively prohibited/g)).toHaveLength(1);
  });

  it('ssh with wrong passwords: after the sixth OpenSSH prints the reason, "Too many authentication failures", as from sshd', async () => {
    // SSH_ASKPASS answers every password prompt with the same wrong password.
    const askpass = path.join(dir, 'askpass-wrong');
    fs.writeFileSync(askpass, '#!/bin/sh\necho not-the-password\n', { mode: 0o700 });
    const stderr = await run(tool('ssh'), [
      '-F', '/dev/null', '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'PreferredAuthentications=password', '-o', 'NumberOfPasswordPrompts=10',
      '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'true',
    ], { timeout: 20_000, env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':9' } }).then(
      () => '',
      (err: { stderr?: string }) => err.stderr ?? '',
    );
    // sshd's words; RFC 4253 §11.1: DISCONNECT carries a reason code and a description.
    expect(stderr).toMatch(/Received disconnect from 127\.0\.0\.1 port \d+:2: Too many authentication failures\r?\n/);
  });

  it('ssh -tt: Tab completes a file name in the simulated shell, as in a login shell', async () => {
    // Keystrokes as a user types them into OpenSSH's terminal; the shell echoes what Tab added.
    const ssh = spawn(tool('ssh'), [...common(), '-tt', '-p', String(lab.port('ssh')), 'student@127.0.0.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    ssh.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => ssh.once('close', resolve));
    ssh.stdin.write('echo completed > tab-target.txt\r');
    ssh.stdin.write('ca\ttab-t\t\r');
    ssh.stdin.write('exit 4\r');
    expect(await exited).toBe(4);
    expect(output).toContain('$ cat tab-target.txt \r\ncompleted\r\n');
  });

  it('ssh host \'…\': the shell expands wildcards over the sandbox and $? as sh does', async () => {
    const { stdout } = await run(tool('ssh'), [...common(), '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'echo a > glob-1.txt; echo b > glob-2.txt; cat glob-*.txt; false; echo "status $?"; echo ~/glob-?.txt'], { timeout: 20_000 });
    expect(stdout).toBe('a\nb\nstatus 1\n/glob-1.txt /glob-2.txt\n');
  });

  it('ssh host \'wc …\' on a file over 1 MiB: the exact counts of the whole file, and nothing on stderr', async () => {
    fs.writeFileSync(path.join(sandboxRoot(lab.dataDir, 'local'), 'big-wc.txt'), 'grüße an alle!\n'.repeat(100_000));
    // -q: ssh's own notes (a host key added) stay off stderr, the remote shell's still come.
    const { stdout, stderr } = await run(tool('ssh'), [...common(), '-q', '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'wc -c big-wc.txt; wc big-wc.txt'], { timeout: 20_000 });
    // The size came with "wc: big-wc.txt: read only the first 1048576 bytes" on stderr, and lines and words of that first MiB.
    expect(stdout).toBe('1700000 big-wc.txt\n 100000  300000 1700000 big-wc.txt\n');
    expect(stderr).toBe('');
  });
});
