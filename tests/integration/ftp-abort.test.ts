/**
 * Issue 8 #11: an upload that is cut off (ABOR, or the client vanishing mid-transfer) must close
 * its file at once, not leave the descriptor to the garbage collector (DEP0137).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { rawSession, startFtpTestLab, TEST_PASSWORD } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** Descriptors of this process open on `file` (the daemon runs in-process). */
function openDescriptors(file: string): number {
  let count = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file)) count++;
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return count;
}

/** Resolves once `check` holds, polling on the event loop; rejects after `ms` with `what`. */
async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Logs in, starts STOR `name` over passive mode and sends the first bytes; returns the open sockets. */
async function startUpload(name: string) {
  const session = await rawSession(lab.port('ftp'));
  await session.send('USER student');
  await session.send(`PASS ${TEST_PASSWORD}`);
  const pasv = await session.send('PASV');
  const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(pasv);
  if (!m) throw new Error(`no PASV address in ${pasv}`);
  const data = net.connect(Number(m[5]) * 256 + Number(m[6]), '127.0.0.1');
  await new Promise<void>((resolve) => data.once('connect', () => resolve()));
  data.on('error', () => {});
  const preliminary = session.send(`STOR ${name}`);
  expect(await preliminary).toMatch(/^150/);
  const file = path.join(lab.dataDir, 'sandboxes/local/files', name);
  data.write(Buffer.alloc(64 * 1024, 0x61));
  await until(() => openDescriptors(file) > 0, 'the server opened the file');
  return { session, data, file };
}

describe('aborted FTP uploads', () => {
  it('closes the file when the client vanishes mid-upload', async () => {
    const { session, data, file } = await startUpload('vanish.bin');
    session.close();
    data.destroy();
    await until(() => openDescriptors(file) === 0, 'the file descriptor to be closed');
  });

  it('closes the file when the control connection drops while the data connection stays open', async () => {
    const { session, data, file } = await startUpload('dropped.bin');
    session.close();
    await until(() => openDescriptors(file) === 0, 'the file descriptor to be closed');
    data.destroy();
  });

  it('closes the file when the data connection is reset mid-upload', async () => {
    const { session, data, file } = await startUpload('reset.bin');
    data.resetAndDestroy();
    await until(() => openDescriptors(file) === 0, 'the file descriptor to be closed');
    session.close();
  });
});
