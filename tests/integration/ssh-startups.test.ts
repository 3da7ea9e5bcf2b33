/**
 * SSH_MAX_STARTUPS: with one startup slot, a second client waits, connected, until the first has
 * logged in or gone; then it gets in, and its transcript says it was queued. A logged-in client
 * frees its slot at once. GET /api/lab shows the slots.
 */
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import type { SshInfo } from '../../servers/ssh/lab.ts';
import { connectClient, endClient, exec, startSshTestLab, tapSocket, transcript } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab({ maxStartups: 1 });
});
afterAll(async () => {
  await lab?.stop();
});

const startups = async () => (await lab.api<{ ssh: SshInfo }>('/api/lab')).ssh.startups;

/** Polls the lab's startup counts until `test` holds (each answer is a fresh reading of the tap). */
async function untilStartups(test: (s: SshInfo['startups']) => boolean): Promise<SshInfo['startups']> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = await startups();
    if (test(now)) return now;
    if (Date.now() > deadline) throw new Error(`startup slots never reached the state (last ${JSON.stringify(now)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The server's version line, as a client that sends nothing receives it. */
function banner(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
}

describe('SSH startup slots', () => {
  it('a second client waits for the first to leave the slot, gets in, and its transcript says it was queued', async () => {
    expect(await startups()).toEqual({ max: 1, open: 0, waiting: 0 });
    // The first client holds the only slot: connected, greeted, never sending a byte.
    const first = await tapSocket(lab);
    expect(await banner(first)).toMatch(/^SSH-2\.0-/);
    let loggedIn = false;
    const second = connectClient(lab).then((c) => ((loggedIn = true), c));
    expect(await untilStartups((s) => s.waiting === 1)).toEqual({ max: 1, open: 1, waiting: 1 });
    expect(loggedIn).toBe(false);

    first.destroy();
    const { client, localPort } = await second;
    expect((await exec(client, 'whoami')).stdout).toBe('student\n');
    const info = await endClient(lab, client, localPort);
    const messages = await transcript(lab, info.id);
    expect(messages[0]).toMatchObject({ dir: 'note', annotation: { title: 'Queued for a startup slot' } });
    expect(messages[0].text).toMatch(/^Waited [\d,]+ ms for one of the server's 1 startup slots/);
    expect(messages.some((m) => m.kind === 'version' && m.dir === 'server')).toBe(true);
    expect(await untilStartups((s) => s.open === 0)).toEqual({ max: 1, open: 0, waiting: 0 });
  });

  it('a logged-in client frees its slot at once: the next one gets in unqueued while the first stays connected', async () => {
    const first = await connectClient(lab);
    expect(await startups()).toEqual({ max: 1, open: 0, waiting: 0 });
    const second = await connectClient(lab);
    expect((await exec(second.client, 'whoami')).stdout).toBe('student\n');
    const info = await endClient(lab, second.client, second.localPort);
    const messages = await transcript(lab, info.id);
    expect(messages.some((m) => m.annotation?.title === 'Queued for a startup slot')).toBe(false);
    await endClient(lab, first.client, first.localPort);
  });
});
