/**
 * Helpers for the sandbox tests: one daemon with the FTP and SSH labs over the same sandbox,
 * so every writer (FTP, SFTP, the shell, the file panel) can be driven by its real client.
 */
import fs from 'node:fs';
import path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { LabConfig } from '../../servers/daemon/config.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tapSocket } from './ssh-helpers.ts';

/** A daemon with the FTP and SSH labs; `root` is the sandbox's real directory. */
export async function startSandboxLab(config: Partial<LabConfig> = {}): Promise<{ lab: TestLab; root: string }> {
  const lab = await startTestLab({ labs: [ftpLab, sshLab], config });
  return { lab, root: sandboxRoot(lab.dataDir, 'local') };
}

/** Removes everything inside the sandbox (the starter files), keeping the root. */
export function emptySandbox(root: string): void {
  for (const name of fs.readdirSync(root)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
}

/** An ssh2-sftp-client session through the lab's SSH tap. */
export async function sftpSession(lab: TestLab): Promise<SftpClient> {
  const sock = await tapSocket(lab);
  const sftp = new SftpClient('sandbox-test', { error: () => {}, end: () => {}, close: () => {} });
  await sftp.connect({ sock, username: 'student', password: TEST_PASSWORD, hostVerifier: () => true });
  return sftp;
}

/** POSTs bytes to the SFTP file panel's upload route, as the browser does. */
export async function panelUpload(lab: TestLab, target: string, body: Buffer): Promise<{ status: number; text: string }> {
  const res = await fetch(`${lab.baseUrl}/api/ssh/files/upload?path=${encodeURIComponent(target)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  return { status: res.status, text: await res.text() };
}
