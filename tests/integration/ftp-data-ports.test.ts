/**
 * FTP data connections have no internal port (issue 9 item 2): the lab listens on the announced
 * passive port itself and hands the server its end in process, so no data port exists that a local
 * user could reach around the tap.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { listeningPorts } from '../helpers/listening.ts';
import { rawSession, startFtpTestLab, TEST_PASSWORD } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** Reads a socket to its end. */
function readAll(socket: net.Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks).toString())));
}

describe('FTP data ports', () => {
  it('PASV opens exactly the announced port, and the listing arrives through it', async () => {
    const session = await rawSession(lab.port('ftp'));
    try {
      expect(await session.send('USER student')).toMatch(/^331 /);
      expect(await session.send(`PASS ${TEST_PASSWORD}`)).toMatch(/^230 /);
      const before = listeningPorts();
      const reply = await session.send('PASV');
      const numbers = /\((?:\d+,){4}(\d+),(\d+)\)/.exec(reply);
      if (!numbers) throw new Error(`no address in ${reply}`);
      const announced = Number(numbers[1]) * 256 + Number(numbers[2]);
      expect(listeningPorts().filter((port) => !before.includes(port))).toEqual([announced]);
      const data = net.connect(announced, '127.0.0.1');
      await once(data, 'connect');
      const listing = readAll(data);
      expect(await session.send('NLST')).toMatch(/^150 /);
      expect(await listing).toContain('README.txt');
    } finally {
      session.close();
    }
  });
});
