import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { connectClient, endClient, exec, startSshTestLab, tapSocket, TEST_PASSWORD, transcript, waitForClose } from './ssh-helpers.ts';

let lab: TestLab;
let root: string;
beforeAll(async () => {
  lab = await startSshTestLab();
  root = sandboxRoot(lab.dataDir, 'local');
  // A symlink inside the sandbox pointing out of it (as a careless admin might leave one).
  fs.symlinkSync('/etc', path.join(root, 'link'));
});
afterAll(async () => {
  await lab?.stop();
});

async function sftpClient(): Promise<{ sftp: SftpClient; localPort: number }> {
  const sock = await tapSocket(lab);
  const sftp = new SftpClient('test', { error: () => {}, end: () => {}, close: () => {} });
  await sftp.connect({ sock, username: 'student', password: TEST_PASSWORD, hostVerifier: () => true });
  return { sftp, localPort: sock.localPort ?? 0 };
}

describe('SFTP', () => {
  it('round-trips put/get/rename/remove byte-exact and annotates every request', async () => {
    const { sftp, localPort } = await sftpClient();
    const content = randomBytes(300_000);
    await sftp.mkdir('/up');
    await sftp.put(content, '/up/data.bin');
    expect(fs.readFileSync(path.join(root, 'up/data.bin')).equals(content)).toBe(true);
    await sftp.rename('/up/data.bin', '/up/renamed.bin');
    const back = (await sftp.get('/up/renamed.bin')) as Buffer;
    expect(back.equals(content)).toBe(true);
    const listing = await sftp.list('/up');
    expect(listing.map((e) => [e.name, e.type, e.size])).toEqual([['renamed.bin', '-', 300_000]]);
    await sftp.delete('/up/renamed.bin');
    await sftp.rmdir('/up');
    expect(fs.existsSync(path.join(root, 'up'))).toBe(false);

    const closed = waitForClose(lab, localPort);
    await sftp.end();
    const info = await closed;
    expect(info.label).toBe('sftp');
    const sftpTexts = (await transcript(lab, info.id)).filter((m) => m.kind === 'sftp').map((m) => m.text);
    for (const expected of ['SSH_FXP_INIT', 'SSH_FXP_VERSION', 'SSH_FXP_MKDIR /up', 'SSH_FXP_OPEN /up/data.bin WRITE|CREAT|TRUNC', 'SSH_FXP_HANDLE', 'SSH_FXP_WRITE /up/data.bin', 'SSH_FXP_STATUS 0 OK', 'SSH_FXP_RENAME /up/data.bin → /up/renamed.bin', 'SSH_FXP_READ /up/renamed.bin', 'SSH_FXP_DATA', 'SSH_FXP_OPENDIR /up', 'SSH_FXP_NAME', 'SSH_FXP_REMOVE /up/renamed.bin', 'SSH_FXP_RMDIR /up']) {
      expect(sftpTexts.some((t) => t.startsWith(expected)), expected).toBe(true);
    }
    // Bulk transfer is summarised at CLOSE, not recorded packet by packet.
    expect(sftpTexts.filter((t) => t.startsWith('SSH_FXP_WRITE'))).toHaveLength(1);
    expect(sftpTexts.some((t) => /CLOSE \/up\/data\.bin — 300000 bytes written in \d+ WRITEs/.test(t))).toBe(true);
  });

  it('answers unsupported operations with OP_UNSUPPORTED', async () => {
    const { client, localPort } = await connectClient(lab);
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
    const error = await new Promise<Error | null | undefined>((resolve) => sftp.symlink('/etc/passwd', '/pw', resolve));
    expect(error?.message).toMatch(/unsupported/i);
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    expect(messages.some((m) => m.annotation?.key === 'sftp.status.OP_UNSUPPORTED')).toBe(true);
  });

  it('drives the file panel routes through the tap with upload progress', async () => {
    const body = randomBytes(1_000_000);
    const res = await fetch(`${lab.baseUrl}/api/ssh/files/upload?path=/panel.bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    expect(res.status).toBe(200);
    const { transfer } = (await res.json()) as { transfer: { bytes: number; total: number; finishedAt: number } };
    expect(transfer).toMatchObject({ bytes: 1_000_000, total: 1_000_000 });
    const list = await lab.api<{ entries: { name: string; type: string; size: number; modifiedAt: number }[] }>('/api/ssh/files?path=/');
    expect(list.entries).toContainEqual(expect.objectContaining({ name: 'panel.bin', type: 'file', size: 1_000_000 }));
    // Milliseconds, like Date.now(): the upload just happened.
    const uploaded = list.entries.find((e) => e.name === 'panel.bin');
    expect(Math.abs(Date.now() - (uploaded?.modifiedAt ?? 0))).toBeLessThan(10 * 60_000);
    const download = await fetch(`${lab.baseUrl}/api/ssh/files/download?path=/panel.bin`);
    expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
    await lab.api('/api/ssh/files/mkdir', { body: { path: '/panel-dir' } });
    // A folder that is there already is said, as sftp's "mkdir" and the FTP panel's MKD say it (it answered ok, and nothing changed).
    await expect(lab.api('/api/ssh/files/mkdir', { body: { path: '/panel-dir' } })).rejects.toThrow(/^409.*already exists/);
    await lab.api('/api/ssh/files/rename', { body: { from: '/panel.bin', to: '/panel-dir/moved.bin' } });
    await lab.api('/api/ssh/files/delete', { body: { path: '/panel-dir/moved.bin' } });
    await lab.api('/api/ssh/files/delete', { body: { path: '/panel-dir' } });
    await expect(lab.api('/api/ssh/files/delete', { body: { path: '/nope' } })).rejects.toThrow(/^404/);
    const transfers = await lab.api<{ transfers: { direction: string; bytes: number }[] }>('/api/ssh/transfers');
    expect(transfers.transfers.map((t) => t.direction)).toEqual(['download', 'upload']);
  });

  it('answers curl\'s download of a missing file with a 404 problem naming the file, and the panel still serves', async () => {
    const curl = (url: string) =>
      new Promise<string>((resolve, reject) =>
        execFile(tool('curl'), ['-sS', '-i', url], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
      );
    const answer = await curl(`${lab.baseUrl}/api/ssh/files/download?path=/docs/no-such-file.txt`);
    const [head, body] = answer.split('\r\n\r\n');
    // It was 400, as if the request were malformed.
    expect(head).toMatch(/^HTTP\/1\.1 404 /);
    expect(head).toMatch(/^content-type: application\/problem\+json/im);
    expect(head).not.toMatch(/^content-disposition:/im);
    expect(JSON.parse(body)).toMatchObject({ status: 404, detail: expect.stringContaining('/docs/no-such-file.txt') });
    const { transfers } = await lab.api<{ transfers: { path: string; error: string | null }[] }>('/api/ssh/transfers');
    expect(transfers[0]).toMatchObject({ path: '/docs/no-such-file.txt', error: expect.stringContaining('/docs/no-such-file.txt') });
    expect(await curl(`${lab.baseUrl}/api/ssh/files/download?path=/README.txt`)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a browser that stops mid-upload: the transfer ends failed, no short file is left, the panel still serves', async () => {
    type PanelTransfer = { path: string; bytes: number; total: number | null; finishedAt: number | null; error: string | null };
    const untilCut = async (done: (t: PanelTransfer) => boolean): Promise<PanelTransfer> => {
      for (;;) {
        const { transfers } = await lab.api<{ transfers: PanelTransfer[] }>('/api/ssh/transfers');
        const cut = transfers.find((t) => t.path === '/cut.bin');
        if (cut && done(cut)) return cut;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const req = http.request(`${lab.baseUrl}/api/ssh/files/upload?path=/cut.bin`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(900 * 1024) },
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(300 * 1024, 7));
    // Bytes reach the SFTP server while the body still streams.
    expect(await untilCut((t) => t.bytes > 0)).toMatchObject({ total: 900 * 1024, finishedAt: null });
    req.destroy();
    // It hung "in progress" for good, its handle and panel connection open, a 300 KB file left.
    const failed = await untilCut((t) => t.finishedAt !== null);
    expect(failed.error).toMatch(/stopped sending/);
    expect(fs.existsSync(path.join(root, 'cut.bin'))).toBe(false);
    const next = await fetch(`${lab.baseUrl}/api/ssh/files/upload?path=/after-cut.txt`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'still here\n' });
    expect(next.status).toBe(200);
    expect(fs.readFileSync(path.join(root, 'after-cut.txt'), 'utf8')).toBe('still here\n');
  });
});

describe('jail: traversal attempts never escape the sandbox', () => {
  const long = 'a/'.repeat(2500);
  const shellCases: [string, RegExp][] = [
    ['cat ../../etc/passwd', /No such file or directory/],
    ['cat /etc/passwd', /No such file or directory/],
    ['cat ..%2f..%2fetc%2fpasswd', /No such file or directory/],
    ['cat /link/passwd', /Permission denied/],
    ['ls /link', /Permission denied/],
    ['cd /link', /Permission denied/],
    ['cp /link/passwd /stolen', /Permission denied/],
    ['echo x > /link/owned', /Permission denied/],
    [`cat ${long}`, /Invalid file name/],
    ['cat "a\0b"', /Invalid file name/],
  ];
  it.each(shellCases.map(([c, e]) => [c.length > 60 ? `${c.slice(0, 20)}… (${c.length} chars)` : c.replace('\0', '\\0'), c, e] as const))('shell: %s', async (_label, command, error) => {
    const { client, localPort } = await connectClient(lab);
    const result = await exec(client, command);
    await endClient(lab, client, localPort);
    expect(result.stdout).not.toContain('root:');
    expect(result.stderr).toMatch(error);
    expect(result.stderr).not.toContain(lab.dataDir);
  });

  it('shell: cd ../.. stays at the root', async () => {
    const { client, localPort } = await connectClient(lab);
    const shell = await exec(client, 'cd ../..');
    expect(shell.code).toBe(0);
    expect((await exec(client, 'ls -a ../..')).stdout).toContain('link');
    await endClient(lab, client, localPort);
  });

  const sftpCases: [string, (s: SftpClient) => Promise<unknown>, RegExp][] = [
    ['get ../../etc/passwd', (s) => s.get('../../etc/passwd'), /No such file/],
    ['get /etc/passwd', (s) => s.get('/etc/passwd'), /No such file/],
    ['get ..%2f..%2fetc%2fpasswd', (s) => s.get('..%2f..%2fetc%2fpasswd'), /No such file/],
    ['get /link/passwd', (s) => s.get('/link/passwd'), /Permission denied|denied/i],
    ['list /link', (s) => s.list('/link'), /denied/i],
    ['put /link/owned', (s) => s.put(Buffer.from('x'), '/link/owned'), /denied/i],
    ['rename into /link', (s) => s.rename('/jail.txt', '/link/owned'), /denied/i],
    ['get 5000-char path', (s) => s.get('/' + long), /Invalid file name|Failure/i],
    ['get NUL path', (s) => s.get('/a\0b'), /Invalid file name|Failure/i],
  ];
  it.each(sftpCases)('sftp: %s', async (_name, attempt, error) => {
    fs.writeFileSync(path.join(root, 'jail.txt'), 'inside');
    const { sftp, localPort } = await sftpClient();
    await expect(attempt(sftp)).rejects.toThrow(error);
    expect(await sftp.realPath('../..')).toBe('/');
    const closed = waitForClose(lab, localPort);
    await sftp.end();
    const messages: LabMessage[] = await transcript(lab, (await closed).id);
    expect(JSON.stringify(messages)).not.toContain(lab.dataDir);
    expect(fs.existsSync('/etc/owned')).toBe(false);
  });
});
