import fs from 'node:fs/promises';
import path from 'node:path';
import { DIR_MODE, FILE_MODE } from './jail.ts';

/** Starter files, so a student's first `ls`, `get` or `cat` has something to show. */
const STARTER_FILES: Record<string, string> = {
  'README.txt': [
    'Welcome to your Protocol Lab sandbox.',
    '',
    'The same files are visible over SFTP, FTP/FTPS and in the SSH shell.',
    'Upload something with one protocol and download it with another,',
    'then compare what an eavesdropper saw on the wire each time.',
    '',
  ].join('\n'),
  'docs/rfcs.txt': [
    'RFC 959   File Transfer Protocol (FTP)',
    'RFC 4217  Securing FTP with TLS (FTPS)',
    'RFC 4253  SSH Transport Layer Protocol',
    'RFC 4254  SSH Connection Protocol',
    'RFC 5321  Simple Mail Transfer Protocol',
    '',
  ].join('\n'),
  'docs/hello.txt': 'Hello from the lab. This file is 66 bytes long, newline included.\n',
};

/** Fills a sandbox's file tree with the starter files, once: an existing tree is left alone. */
export async function seedSandbox(root: string): Promise<void> {
  await fs.mkdir(root, { recursive: true, mode: DIR_MODE });
  if ((await fs.readdir(root)).length > 0) return;
  for (const [name, content] of Object.entries(STARTER_FILES)) {
    const file = path.join(root, name);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
    await fs.writeFile(file, content, { mode: FILE_MODE });
  }
}
