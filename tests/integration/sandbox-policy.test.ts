/**
 * The sandbox policy is given to each tap when it is built (issue 9 #5): a connection accepted
 * while the daemon is still starting its labs is filed by the policy, not by a default that the
 * policy would only replace once every lab had started.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LabAbout } from '../../lib/labs/about.ts';
import { labPort } from '../../lib/labs/env.ts';
import type { LabModule } from '../../servers/daemon/lab.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { openStubTap } from '../helpers/stub-tap.ts';

const probeAbout = {
  // An id no registered lab uses yet.
  id: 'gateway',
  title: 'Probe',
  tagline: 'Connects to the SMTP lab while the daemon is still starting.',
  topics: ['probe'],
  live: true,
  ports: [{ env: 'PROBE_PORT', default: 7008, what: 'the probe lab' }],
  settings: [],
} as const satisfies LabAbout;

/** The sandbox the SMTP tap filed the probe's connection in, once it did. */
let filedIn: string | null = null;

/** Starts after SMTP (requires it) and, before returning, makes one external connection to SMTP's tap. */
const probeLab: LabModule<'gateway', { port: number }> = {
  about: probeAbout,
  settings: z.object({ PROBE_PORT: labPort(probeAbout, 'PROBE_PORT') }).transform((env) => ({ port: env.PROBE_PORT })),
  requires: ['smtp'],
  async start(ctx) {
    const smtp = ctx.labs?.find((lab) => lab.protocol === 'smtp');
    if (!smtp) throw new Error('the SMTP lab is not running');
    const opened = new Promise<string>((resolve) => {
      const stop = ctx.bus.subscribe((event) => {
        if (event.type !== 'connection.open' || event.connection.protocol !== 'smtp') return;
        stop();
        resolve(event.connection.sandbox);
      });
    });
    const socket = net.connect(smtp.tap.port, '127.0.0.1');
    socket.on('error', () => {});
    filedIn = await opened;
    socket.destroy();

    const { tap, stop } = await openStubTap(ctx, (s) => s.destroy());
    return { protocol: 'gateway', tap, endpoints: [], stop };
  },
};

describe('the sandbox policy at start-up', () => {
  let lab: TestLab;
  const policy: SandboxPolicy = {
    ofRequest: () => 'classroom-1',
    ofConnection: (socket) => socket.own?.sandbox ?? 'classroom-1',
    clientSandboxOf: () => 'classroom-1',
  };
  beforeAll(async () => {
    lab = await startTestLab({ labs: [smtpLab, probeLab], sandboxes: policy });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('files a connection accepted before the last lab has started in the sandbox the policy names', () => {
    expect(filedIn).toBe('classroom-1');
  });
});
