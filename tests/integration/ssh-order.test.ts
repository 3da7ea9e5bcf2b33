/**
 * Both sides send their version line and first KEXINIT without waiting for each other, so which
 * the tap reads first varies from run to run. The endpoint view must show each pair in the order
 * of the capture (the wire view), for real OpenSSH and for the ssh2 client, run after run.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { connectClient, endClient, nextClientConnection, startSshTestLab, transcript } from './ssh-helpers.ts';

const run = promisify(execFile);
const RUNS = 5;

let lab: TestLab;
let dir: string;
beforeAll(async () => {
  lab = await startSshTestLab();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-order-'));
});
afterAll(async () => {
  await lab?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The directions of one pair (version lines or KEXINITs) in a view, in transcript order. */
function pairOrder(messages: LabMessage[], view: 'wire' | 'endpoint', pick: (m: LabMessage) => boolean): string[] {
  return messages
    .filter((m) => m.view === view && m.dir !== 'note' && pick(m))
    .sort((a, b) => a.seq - b.seq)
    .map((m) => m.dir)
    .slice(0, 2);
}
const isVersion = (m: LabMessage) => m.kind === 'version';
const isKexinit = (m: LabMessage) => m.annotation?.key === 'ssh.msg.KEXINIT';

function expectCaptureOrder(messages: LabMessage[]): void {
  for (const pick of [isVersion, isKexinit]) {
    const wire = pairOrder(messages, 'wire', pick);
    expect(wire.sort()).toEqual(['client', 'server']);
    expect(pairOrder(messages, 'endpoint', pick)).toEqual(pairOrder(messages, 'wire', pick));
  }
  // Each endpoint copy comes after the tap read its bytes.
  for (const pick of [isVersion, isKexinit]) {
    for (const dir of ['client', 'server'] as const) {
      const wire = messages.find((m) => m.view === 'wire' && m.dir === dir && pick(m))!;
      const endpoint = messages.find((m) => m.view === 'endpoint' && m.dir === dir && pick(m))!;
      expect(endpoint.seq).toBeGreaterThan(wire.seq);
    }
  }
}

describe('concurrent handshake messages follow the capture', () => {
  it(`ssh2 client, ${RUNS} runs`, async () => {
    for (let i = 0; i < RUNS; i++) {
      const { client, localPort } = await connectClient(lab);
      const info = await endClient(lab, client, localPort);
      expectCaptureOrder(await transcript(lab, info.id));
    }
  });

  it(`real OpenSSH, ${RUNS} runs`, async () => {
    for (let i = 0; i < RUNS; i++) {
      const ssh = tool('ssh');
      const closed = nextClientConnection(lab);
      // No key and BatchMode: the login fails after "none", which is all this test needs.
      await run(ssh, ['-F', '/dev/null', '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-p', String(lab.port('ssh')), 'student@127.0.0.1', 'true'], { timeout: 20_000 }).catch(() => undefined);
      const info = await closed;
      expectCaptureOrder(await transcript(lab, info.id));
    }
  });
});
