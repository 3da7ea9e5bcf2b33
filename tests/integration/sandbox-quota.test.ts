import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { FTPError } from 'basic-ftp';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxUsage } from '../../lib/sandbox/usage.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { login } from './ftp-helpers.ts';
import { emptySandbox, panelUpload, sftpSession, startSandboxLab } from './sandbox-helpers.ts';
import { connectClient, exec } from './ssh-helpers.ts';

// A small quota so the tests move little data: every writer must stay under it.
const QUOTA = 256 * 1024;
const run = promisify(execFile);

let lab: TestLab;
let root: string;
let work: string;
beforeAll(async () => {
  ({ lab, root } = await startSandboxLab({ sandboxQuotaBytes: QUOTA }));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-quota-'));
});
beforeEach(() => emptySandbox(root));
afterAll(async () => {
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const usage = () => sandboxUsage(root);
const QUOTA_TEXT = /quota exceeded \(this sandbox holds at most 262,144 bytes; [\d,]+ are left\)/;

/** The raw SFTP channel of an ssh2 client (for SETSTAT and FSETSTAT, which ssh2-sftp-client does not offer). */
async function rawSftp(): Promise<{ sftp: SFTPWrapper; end(): void }> {
  const { client } = await connectClient(lab);
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
  return { sftp, end: () => client.end() };
}

describe('one sandbox quota for every writer', () => {
  it('SFTP WRITE past the quota fails with SSH_FX_FAILURE "quota exceeded" (SFTP v3 has no NO_SPACE status)', async () => {
    const local = path.join(work, 'big.bin');
    fs.writeFileSync(local, Buffer.alloc(300 * 1024, 1));
    const sftp = await sftpSession(lab);
    const error = (await sftp.fastPut(local, '/big.bin').catch((e: unknown) => e)) as { code?: number; message: string };
    await sftp.end();
    expect(error.code).toBe(4);
    expect(error.message).toMatch(QUOTA_TEXT);
    expect(await usage()).toBeLessThanOrEqual(QUOTA);
    fs.rmSync(path.join(root, 'big.bin'), { force: true });
    // One WRITE at a time, as a careful client sends them: the first that does not fit is refused.
    const { sftp: raw, end } = await rawSftp();
    const handle = await new Promise<Buffer>((resolve, reject) => raw.open('/raw.bin', 'w', (err, h) => (err ? reject(err) : resolve(h))));
    const write = (position: number) => new Promise<{ code?: number; message: string } | null | undefined>((resolve) => raw.write(handle, Buffer.alloc(64 * 1024), 0, 64 * 1024, position, resolve));
    expect(await write(0)).toBeFalsy();
    const refused = await write(QUOTA);
    expect(refused?.code).toBe(4);
    expect(refused?.message).toMatch(QUOTA_TEXT);
    end();
  });

  it('a sparse SETSTAT or FSETSTAT size past the quota is refused and the file keeps its size', async () => {
    fs.writeFileSync(path.join(root, 'small.bin'), 'x');
    const { sftp, end } = await rawSftp();
    const setstat = await new Promise<{ code?: number; message: string } | null | undefined>((resolve) => sftp.setstat('/small.bin', { size: 200 * 1024 * 1024 }, resolve));
    expect(setstat?.code).toBe(4);
    expect(setstat?.message).toMatch(QUOTA_TEXT);
    const handle = await new Promise<Buffer>((resolve, reject) => sftp.open('/small.bin', 'r+', (err, h) => (err ? reject(err) : resolve(h))));
    const fsetstat = await new Promise<{ code?: number; message: string } | null | undefined>((resolve) => sftp.fsetstat(handle, { size: 200 * 1024 * 1024 }, resolve));
    expect(fsetstat?.code).toBe(4);
    expect(fsetstat?.message).toMatch(QUOTA_TEXT);
    // Inside the quota a truncate still works, up and down.
    expect(await new Promise((resolve) => sftp.fsetstat(handle, { size: 1000 }, resolve))).toBeFalsy();
    expect(await new Promise((resolve) => sftp.setstat('/small.bin', { size: 10 }, resolve))).toBeFalsy();
    await new Promise((resolve) => sftp.close(handle, resolve));
    end();
    expect(fs.statSync(path.join(root, 'small.bin')).size).toBe(10);
  });

  it('shell cp, cp -r and redirections stop at the quota with "No space left on device"', async () => {
    fs.mkdirSync(path.join(root, 'dir'));
    fs.writeFileSync(path.join(root, 'dir', 'a.txt'), 'a'.repeat(100 * 1024));
    const { client } = await connectClient(lab);
    const ok = await exec(client, 'cp dir/a.txt b.txt');
    expect(ok).toMatchObject({ stderr: '', code: 0 });
    const cp = await exec(client, 'cp dir/a.txt c.txt');
    const cpr = await exec(client, 'cp -r dir dir2');
    const redirect = await exec(client, 'cat b.txt > d.txt');
    client.end();
    expect(cp.code).toBe(1);
    expect(cp.stderr).toMatch(/^cp: cannot copy 'dir\/a\.txt': No space left on device \(this sandbox holds at most 262,144 bytes; [\d,]+ are left\)\n$/);
    expect(cpr.code).toBe(1);
    expect(cpr.stderr).toMatch(/No space left on device/);
    expect(redirect.stderr).toMatch(/^-sh: d\.txt: No space left on device/);
    expect(fs.existsSync(path.join(root, 'c.txt'))).toBe(false);
    expect(await usage()).toBeLessThanOrEqual(QUOTA);
  });

  it('FTP STOR counts what SFTP stored: 552 once the shared quota is spent', async () => {
    const sftp = await sftpSession(lab);
    await sftp.put(Buffer.alloc(200 * 1024, 2), '/via-sftp.bin');
    await sftp.end();
    const { client } = await login(lab);
    const error = (await client.uploadFrom(Readable.from([Buffer.alloc(100 * 1024, 3)]), 'via-ftp.bin').catch((e: unknown) => e)) as FTPError;
    client.close();
    expect(error.code).toBe(552);
    expect(error.message).toMatch(QUOTA_TEXT);
    expect(fs.existsSync(path.join(root, 'via-ftp.bin'))).toBe(false);
    expect(await usage()).toBeLessThanOrEqual(QUOTA);
  });

  it('a panel upload past the quota answers 507 with the reason', async () => {
    const result = await panelUpload(lab, '/panel.bin', Buffer.alloc(300 * 1024, 4));
    expect(result.status).toBe(507);
    expect(result.text).toMatch(QUOTA_TEXT);
    expect(await usage()).toBeLessThanOrEqual(QUOTA);
  });

  it('OpenSSH sftp put past the quota stores only what fits', async () => {
    const key = await lab.api<{ privateKeyUrl: string }>('/api/ssh/keys', { body: { name: 'quota-key' } });
    const keyFile = path.join(work, 'id');
    fs.writeFileSync(keyFile, await lab.api<string>(key.privateKeyUrl), { mode: 0o600 });
    const local = path.join(work, 'big.bin');
    fs.writeFileSync(local, Buffer.alloc(300 * 1024, 5));
    const batch = path.join(work, 'batch');
    fs.writeFileSync(batch, `put ${local} /openssh.bin\n`);
    const args = ['-F', '/dev/null', '-i', keyFile, '-o', `UserKnownHostsFile=${path.join(work, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-b', batch, '-P', String(lab.port('ssh')), 'student@127.0.0.1'];
    const result = await run(tool('sftp'), args).then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
    // OpenSSH 9.2's sftp -b reports no error for the refused WRITEs (it exits 0); what binds is the server:
    // the file holds what fitted and the sandbox stays under its quota.
    expect(result.out).toContain('sftp> put');
    expect(fs.statSync(path.join(root, 'openssh.bin')).size).toBeLessThan(300 * 1024);
    expect(await usage()).toBeLessThanOrEqual(QUOTA);
  });
});
