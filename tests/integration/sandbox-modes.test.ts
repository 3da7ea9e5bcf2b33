import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { login } from './ftp-helpers.ts';
import { panelUpload, sftpSession, startSandboxLab } from './sandbox-helpers.ts';
import { connectClient, exec } from './ssh-helpers.ts';

// With umask 0 (as under some service managers) the OS masks nothing: the lab's own modes must hold.
let oldUmask: number;
let lab: TestLab;
let root: string;
beforeAll(async () => {
  oldUmask = process.umask(0);
  ({ lab, root } = await startSandboxLab());
});
afterAll(async () => {
  await lab?.stop();
  process.umask(oldUmask);
});

const mode = (name: string) => fs.statSync(path.join(root, name)).mode & 0o777;

describe('file modes in the sandbox', () => {
  it('every writer creates files 0644 and directories 0755', async () => {
    const { client } = await login(lab);
    await client.uploadFrom(Readable.from([Buffer.from('ftp')]), 'ftp.txt');
    await client.ensureDir('/ftp-dir');
    client.close();
    const sftp = await sftpSession(lab);
    await sftp.put(Buffer.from('sftp'), '/sftp.txt');
    await sftp.mkdir('/sftp-dir');
    await sftp.end();
    const { client: ssh } = await connectClient(lab);
    const shell = await exec(ssh, 'echo shell > shell.txt && touch touched.txt && cp shell.txt copied.txt && mkdir shell-dir');
    ssh.end();
    expect(shell.stderr).toBe('');
    expect((await panelUpload(lab, '/panel.txt', Buffer.from('panel'))).status).toBe(200);
    expect(mode('README.txt')).toBe(0o644);
    for (const name of ['ftp.txt', 'sftp.txt', 'shell.txt', 'touched.txt', 'copied.txt', 'panel.txt']) expect(mode(name), name).toBe(0o644);
    for (const name of ['ftp-dir', 'sftp-dir', 'shell-dir', 'docs']) expect(mode(name), name).toBe(0o755);
  });

  it('SFTP chmod never makes a file group- or world-writable, and never touches the root', async () => {
    const rootMode = fs.statSync(root).mode;
    const sftp = await sftpSession(lab);
    await sftp.chmod('/sftp.txt', 0o777);
    await sftp.chmod('/sftp-dir', 0o700);
    const error = (await sftp.chmod('/', 0o777).catch((e: unknown) => e)) as { code?: number; message: string };
    await sftp.end();
    expect(mode('sftp.txt')).toBe(0o755);
    expect(mode('sftp-dir')).toBe(0o700);
    expect(error.code).toBe(3);
    expect(error.message).toContain('the sandbox root cannot be given another mode');
    expect(fs.statSync(root).mode).toBe(rootMode);
    expect(rootMode & 0o022).toBe(0);
  });
});
