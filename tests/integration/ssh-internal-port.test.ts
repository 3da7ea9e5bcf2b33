/**
 * Issue 8 #13, issue 9: nothing reaches the ssh2 server around the tap. The tap hands each
 * connection to the server in process, so the server has no port of its own at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { listeningPorts } from '../helpers/listening.ts';
import { connectClient, endClient, exec, startSshTestLab } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

describe('the SSH server behind the tap', () => {
  it('has no internal port: the process listens only on the public SSH port and the web port', () => {
    expect(lab.daemon.labs.find((l) => l.protocol === 'ssh')!.tap.targetPort).toBe(0);
    expect(listeningPorts()).toEqual([lab.port('ssh'), Number(new URL(lab.baseUrl).port)].sort((a, b) => a - b));
  });

  it('serves clients through the tap', async () => {
    const { client, localPort } = await connectClient(lab);
    expect((await exec(client, 'echo through-the-tap')).stdout).toBe('through-the-tap\n');
    await endClient(lab, client, localPort);
  });
});
