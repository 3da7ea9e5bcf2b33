/**
 * FTP data connections go through the tap's pipeline (issue 9 item 2): step mode holds a transfer's
 * data like any other message, Step releases it, and the wire view lists the data connection as a
 * child of its control connection — TLS records under PROT P, the data itself in clear text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { curl, dataConnections, login, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

type Held = NonNullable<StepState['next']>;
const step = (body: Record<string, unknown>) => lab.api<StepState>('/api/step/ftp', { body });
const stepState = async () => (await lab.api<{ step: StepState[] }>('/api/step')).step.find((s) => s.protocol === 'ftp');

/**
 * Steps `work` through step mode one held message at a time until it settles; calls `onHeld` with
 * each message before releasing it (while it is still held, so `work` cannot have finished past it).
 */
async function stepThrough<T>(work: Promise<T>, onHeld: (next: Held, settled: boolean) => void): Promise<T> {
  let settled = false;
  const done = work.finally(() => (settled = true));
  for (;;) {
    // Subscribe before looking, so a message held in between is not missed.
    const heldSoon = nextEvent(lab.daemon.bus, 'step', (e) => e.state.protocol === 'ftp' && e.state.held > 0).catch(() => null);
    const state = await stepState();
    if (state?.next && state.held > 0) {
      onHeld(state.next, settled);
      await step({ action: 'next' });
      continue;
    }
    if (settled) return done;
    await Promise.race([heldSoon, done]);
    if (settled && ((await stepState())?.held ?? 0) === 0) return done;
  }
}

describe('FTP data connections in step mode', () => {
  it('step mode on a control connection holds its LIST data until Step; the data connection is its child', async () => {
    const { client, conn } = await login(lab);
    try {
      expect(await step({ enabled: true, scope: 'connection', conn })).toMatchObject({ enabled: true, scope: 'connection' });
      const heldOnData: { held: Held; settled: boolean }[] = [];
      const list = await stepThrough(client.list(), (held, settled) => {
        if (held.conn !== conn) heldOnData.push({ held, settled });
      });
      expect(list.map((f) => f.name)).toContain('README.txt');
      // The listing itself was held on the data connection, and LIST had not finished then.
      const listing = heldOnData.find((h) => h.held.dir === 'server' && h.held.text.includes('README.txt'));
      expect(listing, JSON.stringify(heldOnData)).toBeDefined();
      expect(listing?.settled).toBe(false);
      const [data] = await dataConnections(lab, conn);
      expect(data.id).toBe(listing?.held.conn);
      expect(data.label).toMatch(/^data \(passive/);
      const wire = (await transcript(lab, data.id)).messages.filter((m) => m.view === 'wire');
      expect(wire.some((m) => m.dir === 'server' && m.kind === 'data' && m.text.includes('README.txt'))).toBe(true);
      // The end of the data is noted when its FIN is released, not when it reached the tap: after
      // the 150 released before it, before the 226.
      const control = (await transcript(lab, conn)).messages.filter((m) => m.view === 'wire');
      const seq = (test: (m: (typeof control)[number]) => boolean) => control.find(test)?.seq ?? -1;
      const preliminary = seq((m) => m.dir === 'server' && m.text.startsWith('150 '));
      const eof = seq((m) => m.annotation?.key === 'ftp.data.eof');
      const done = seq((m) => m.dir === 'server' && m.text.startsWith('226 '));
      expect([preliminary > 0, eof > preliminary, done > eof]).toEqual([true, true, true]);
    } finally {
      await step({ enabled: false });
      client.close();
    }
  });

  it('sandbox step mode holds curl over FTPS (PROT P): TLS records on the data connection wait for Step', async () => {
    await step({ enabled: true });
    try {
      const heldOnData: Held[] = [];
      const dataIds = new Set<string>();
      const opened = (e: { connection: ConnectionInfo }) => (e.connection.parent ? dataIds.add(e.connection.id) : null);
      const unsubscribe = lab.daemon.bus.subscribe((e) => (e.type === 'connection.open' ? opened(e) : undefined));
      const result = await stepThrough(curl(['--ssl-reqd', '-k', `ftp://student:${TEST_PASSWORD}@127.0.0.1:${lab.port('ftp')}/`]), (held) => {
        if (dataIds.has(held.conn)) heldOnData.push(held);
      });
      unsubscribe();
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.toString()).toContain('README.txt');
      // An eavesdropper's view of the data connection: TLS records, not the listing.
      expect(heldOnData.some((h) => /^TLS /.test(h.text) || /Handshake|Application Data/.test(h.text))).toBe(true);
      expect(heldOnData.some((h) => h.text.includes('README.txt'))).toBe(false);
      const [data] = [...dataIds];
      const { connection, messages } = await transcript(lab, data);
      expect(connection.parent).toMatch(/^ftp-/);
      expect(messages.some((m) => m.view === 'wire' && m.kind === 'tls-record')).toBe(true);
    } finally {
      await step({ enabled: false });
    }
  });
});
