import fs from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FTPError } from 'basic-ftp';
import type { TestLab } from '../helpers/daemon.ts';
import { login } from './ftp-helpers.ts';
import { emptySandbox, sftpSession, startSandboxLab } from './sandbox-helpers.ts';
import { connectClient, exec } from './ssh-helpers.ts';
import { sshContracts } from '../../servers/ssh/lab/contracts.ts';

let lab: TestLab;
let root: string;
beforeAll(async () => {
  ({ lab, root } = await startSandboxLab());
});
afterAll(async () => {
  await lab?.stop();
});

/** Every file protocol and the panel can still list and write the sandbox. */
async function everyWriterStillWorks(name: string): Promise<void> {
  const { client } = await login(lab);
  await client.uploadFrom(Readable.from([Buffer.from('ftp')]), `${name}.ftp`);
  client.close();
  const sftp = await sftpSession(lab);
  await sftp.put(Buffer.from('sftp'), `/${name}.sftp`);
  await sftp.end();
  const { client: ssh } = await connectClient(lab);
  const shell = await exec(ssh, `echo shell > ${name}.sh && ls | sort`);
  ssh.end();
  expect(shell.stderr).toBe('');
  expect(shell.stdout.split('\n')).toEqual(expect.arrayContaining([`${name}.ftp`, `${name}.sftp`, `${name}.sh`]));
  const panel = await lab.api<{ entries: { name: string }[] }>('/api/ssh/files?path=/');
  expect(panel.entries.map((e) => e.name)).toEqual(expect.arrayContaining([`${name}.ftp`, `${name}.sftp`, `${name}.sh`]));
}

describe('the sandbox root', () => {
  it('FTP RMD / on an empty sandbox answers 550 and leaves the root in place for every protocol', async () => {
    emptySandbox(root);
    const { client } = await login(lab);
    for (const command of ['RMD /', 'RMD .', 'RMD /docs/..', 'DELE /']) {
      const error = (await client.send(command).catch((e: unknown) => e)) as FTPError;
      expect(error.code, command).toBe(550);
      // DELE never removes a directory (RFC 959 §4.1.3), the root included; RMD is where the root is guarded.
      expect(error.message, command).toMatch(command === 'DELE /' ? /^550 \/: Is a directory/ : /^550 \/: Permission denied \(the sandbox root cannot be removed\)/);
    }
    const rename = (await client.rename('/', '/moved').catch((e: unknown) => e)) as FTPError;
    expect(rename.code).toBe(550);
    expect(rename.message).toContain('the sandbox root cannot be renamed');
    client.close();
    expect(fs.statSync(root).isDirectory()).toBe(true);
    await everyWriterStillWorks('after-rmd');
  });

  it('SFTP refuses RMDIR, RENAME and chmod of the root, and its mode stays as it was', async () => {
    const mode = fs.statSync(root).mode;
    const sftp = await sftpSession(lab);
    for (const [op, run] of [
      ['chmod', () => sftp.chmod('/', 0o777)],
      ['chmod .', () => sftp.chmod('/docs/..', 0o700)],
      ['rmdir', () => sftp.rmdir('/')],
      ['rename', () => sftp.rename('/', '/moved')],
    ] as const) {
      const error = (await run().catch((e: unknown) => e)) as { code?: number; message: string };
      expect(error.code, op).toBe(3);
      expect(error.message, op).toMatch(/Permission denied \(the sandbox root cannot be/);
    }
    await sftp.end();
    expect(fs.statSync(root).mode).toBe(mode);
  });

  it('the SFTP file panel refuses to remove the root in the server\'s words, the path said once', async () => {
    const error = (await lab.api(sshContracts.remove, { body: { path: '/' } }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^403 .*\/: Permission denied \(the sandbox root cannot be removed\)$/);
  });

  it('the shell refuses to remove or move the root', async () => {
    const { client } = await connectClient(lab);
    const result = await exec(client, 'rm -r /; mv / /x; mv . /x');
    client.end();
    expect(result.stderr).toContain("rm: refusing to remove '/'");
    expect(result.stderr).toContain("mv: cannot move '/': Permission denied (the sandbox root cannot be renamed)");
    expect(result.stderr).toContain("mv: cannot move '.': Permission denied (the sandbox root cannot be renamed)");
    expect(fs.statSync(root).isDirectory()).toBe(true);
  });

  it('recreates a root removed behind the lab’s back instead of answering "Permission denied /"', async () => {
    fs.rmSync(root, { recursive: true, force: true });
    await everyWriterStillWorks('recreated');
  });
});
