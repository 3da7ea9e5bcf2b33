/**
 * Issue 8 #11: an upload that is cut off (ABOR, or the client vanishing mid-transfer) must close
 * its file at once, not leave the descriptor to the garbage collector (DEP0137). The descriptors are read
 * from /proc (no event says one closed), within a deadline a loaded machine cannot outrun; a descriptor the
 * collector closes meanwhile fails the test by the warning Node gives for it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { until, within } from '../helpers/waits.ts';
import { lineReader, rawSession, startFtpTestLab, TEST_PASSWORD } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** Descriptors of this process open on `file` (the daemon runs in-process), by number. */
function descriptorsOn(file: string): string[] {
  const open: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file)) open.push(fd);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return open;
}

/**
 * Which of `fds` garbage collection closed (Node warns "Closing file descriptor N on garbage collection",
 * DEP0137) until `stop()`: the deadline below is generous, and a descriptor the collector closed in that
 * time must still fail the test, which is about the server closing it.
 */
function watchCollectedDescriptors(fds: string[]): { stop(): Promise<string[]> } {
  const collected: string[] = [];
  const onWarning = (warning: Error) => {
    const fd = /^Closing file descriptor (\d+) on garbage collection/.exec(warning.message)?.[1];
    if (fd && fds.includes(fd)) collected.push(fd);
  };
  process.on('warning', onWarning);
  return {
    async stop() {
      // Node emits the warning from an immediate after the collection: let those run first.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', onWarning);
      return collected;
    },
  };
}

/** Logs in, starts STOR `name` over passive mode and sends the first bytes; returns the open sockets and the file's descriptors. */
async function startUpload(name: string) {
  const session = await within(rawSession(lab.port('ftp')), 'the 220 greeting');
  await within(session.send('USER student'), 'the reply to USER');
  await within(session.send(`PASS ${TEST_PASSWORD}`), 'the reply to PASS');
  const pasv = await within(session.send('PASV'), 'the reply to PASV');
  const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(pasv);
  if (!m) throw new Error(`no PASV address in ${pasv}`);
  const data = net.connect(Number(m[5]) * 256 + Number(m[6]), '127.0.0.1');
  await within(new Promise<void>((resolve) => data.once('connect', () => resolve())), 'the data connection');
  data.on('error', () => {});
  expect(await within(session.send(`STOR ${name}`), 'the 150 to STOR')).toMatch(/^150/);
  const file = path.join(lab.dataDir, 'sandboxes/local/files', name);
  data.write(Buffer.alloc(64 * 1024, 0x61));
  await until(() => descriptorsOn(file).length > 0, 'the server to open the file');
  return { session, data, file, collected: watchCollectedDescriptors(descriptorsOn(file)) };
}

/** Waits for the file's descriptors to close, and checks the server closed them, not the garbage collector. */
async function closedByServer(file: string, collected: { stop(): Promise<string[]> }): Promise<void> {
  await until(() => descriptorsOn(file).length === 0, 'the file descriptor to be closed');
  expect(await collected.stop(), 'descriptors closed by garbage collection, not by the server').toEqual([]);
}

describe('aborted FTP uploads', () => {
  it('closes the file when the client vanishes mid-upload', async () => {
    const { session, data, file, collected } = await startUpload('vanish.bin');
    session.close();
    data.destroy();
    await closedByServer(file, collected);
  });

  it('closes the file when the control connection drops while the data connection stays open', async () => {
    const { session, data, file, collected } = await startUpload('dropped.bin');
    session.close();
    await closedByServer(file, collected);
    data.destroy();
  });

  it('closes the file when the data connection is reset mid-upload', async () => {
    const { session, data, file, collected } = await startUpload('reset.bin');
    data.resetAndDestroy();
    await closedByServer(file, collected);
    session.close();
  });
});

/**
 * RFC 959 §4.2.2: a transfer whose data connection closes before the file is through is 426, not 226
 * "transfer complete". The lab's relay used to swallow the client's close: ftp-srv wrote the rest of the
 * file into nothing and said 226.
 */
describe('downloads whose client drops the data connection', () => {
  const file = 'large.bin';
  beforeAll(() => {
    // Far more than the socket buffers and the relay hold: the server cannot have handed it all over.
    fs.writeFileSync(path.join(lab.dataDir, 'sandboxes/local/files', file), Buffer.alloc(32 * 1024 * 1024, 0x62));
  });

  it.each([
    ['resets it', (data: net.Socket) => data.resetAndDestroy()],
    ['closes it', (data: net.Socket) => data.destroy()],
  ])('answers 426 when the client %s after the first bytes, then serves the next command', async (_how, drop) => {
    const socket = net.connect(lab.port('ftp'), '127.0.0.1');
    const r = lineReader(socket);
    expect(await within(r.next(), 'the 220 greeting')).toMatch(/^220 /);
    for (const [line, code] of [['USER student', /^331 /], [`PASS ${TEST_PASSWORD}`, /^230 /], ['TYPE I', /^200 /]] as const) {
      socket.write(`${line}\r\n`);
      expect(await within(r.next(), `the reply to ${line.split(' ')[0]}`)).toMatch(code);
    }
    socket.write('EPSV\r\n');
    const port = Number(/\|\|\|(\d+)\|/.exec((await within(r.next(), 'the 229 to EPSV')) ?? '')?.[1]);
    const data = net.connect(port, '127.0.0.1');
    data.on('error', () => {});
    await within(new Promise<void>((resolve) => data.once('connect', () => resolve())), 'the data connection');
    socket.write(`RETR ${file}\r\n`);
    expect(await within(r.next(), 'the 150 to RETR')).toMatch(/^150 /);
    await within(new Promise((resolve) => data.once('data', resolve)), 'the first bytes of the file');
    data.pause();
    drop(data);
    expect(await within(r.next(), 'the reply that ends the RETR')).toMatch(/^426 /);
    socket.write('NOOP\r\n');
    expect(await within(r.next(), 'the reply to NOOP')).toMatch(/^200 /);
    socket.destroy();
  });
});
