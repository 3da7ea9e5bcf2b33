/**
 * Issue #13: the ssh2 server behind the tap listens on an internal loopback port. Connections to
 * it that do not come from the tap are refused, so nothing reaches the server untranscribed.
 */
import net from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../lib/bus/events.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { connectClient, endClient, exec, startSshTestLab, TEST_PASSWORD } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

const internalPort = () => lab.daemon.labs.find((l) => l.protocol === 'ssh')!.tap.targetPort;

describe('the internal SSH port', () => {
  it('is not the public port', () => {
    expect(internalPort()).not.toBe(lab.port('ssh'));
  });

  it('refuses a raw TCP client with one line and no SSH version line', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect(internalPort(), '127.0.0.1', () => socket.write('SSH-2.0-direct\r\n'));
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.setTimeout(10_000, () => reject(new Error('the internal port did not close the connection')));
    });
    expect(received).not.toContain('SSH-2.0-');
    expect(received).toMatch(/internal to the lab/);
  });

  it('does not let a real SSH client log in around the tap, and records nothing for it', async () => {
    const events: LabEvent[] = [];
    const stop = lab.daemon.bus.subscribe((e) => events.push(e));
    const client = new ssh2.Client();
    const outcome = await new Promise<string>((resolve) => {
      client.once('ready', () => resolve('ready'));
      client.once('error', (err: Error) => resolve(`error: ${err.message}`));
      client.once('close', () => resolve('closed'));
      client.connect({ host: '127.0.0.1', port: internalPort(), username: 'student', password: TEST_PASSWORD, hostVerifier: () => true, readyTimeout: 10_000 });
    });
    client.end();
    stop();
    expect(outcome).not.toBe('ready');
    expect(events.filter((e) => e.type === 'connection.open')).toHaveLength(0);
  });

  it('still serves clients through the tap', async () => {
    const { client, localPort } = await connectClient(lab);
    expect((await exec(client, 'echo through-the-tap')).stdout).toBe('through-the-tap\n');
    await endClient(lab, client, localPort);
  });
});
