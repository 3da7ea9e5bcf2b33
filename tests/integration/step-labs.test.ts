/**
 * Step mode against the real SSH, FTP and SOAP servers (Step releases one framed message at a time,
 * Play releases them at a pace), the tap's per-client connection cap, and the hub under a reader
 * that does not read. Step uses the HTTP API as scripts do: POST /api/step/:protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, StepState } from '../../lib/bus/events.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { noopFlood } from './transcript-flood.ts';

let lab: TestLab;
beforeAll(async () => {
  // Small hub limits, so a paused browser falls behind whatever the kernel's socket buffers hold.
  lab = await startTestLab({ config: { hub: { maxBuffered: 64 * 1024, maxQueued: 2_000 } } });
});
afterAll(async () => {
  await lab?.stop();
});

const step = (protocol: Protocol, body: Record<string, unknown>) => lab.api<StepState>(`/api/step/${protocol}`, { body });

/** The next step state of `protocol` passing `test` (subscribe before causing it). */
const nextStep = async (protocol: Protocol, test: (state: StepState) => boolean): Promise<StepState> =>
  (await nextEvent(lab.daemon.bus, 'step', (e) => e.state.protocol === protocol && test(e.state))).state;

/** The next step state of `protocol` whose next held message passes `test`. */
const nextHeld = (protocol: Protocol, test: (next: NonNullable<StepState['next']>) => boolean): Promise<StepState> =>
  nextStep(protocol, (s) => s.next !== undefined && test(s.next));

describe('step mode against the real servers', () => {
  it('SSH: holds the server version until Step, then the client version, then the server KEXINIT', async () => {
    await step('ssh', { enabled: true });
    try {
      const version = nextHeld('ssh', (n) => n.dir === 'server');
      const client = await LineClient.connect(lab.port('ssh'));
      expect((await version).next?.text).toMatch(/^SSH-2\.0-/);

      // Our version goes out while the server's is still held: the gate holds both, in order.
      const ours = nextStep('ssh', (s) => s.held === 2);
      client.write('SSH-2.0-StepTest_1.0\r\n');
      const both = await ours;
      expect(both.next?.text).toMatch(/^SSH-2\.0-/); // the server's, still first in line
      expect(both.held).toBe(2);
      expect(client.received).toBe('');

      const kexinit = nextHeld('ssh', (n) => n.dir === 'server' && /KEXINIT/.test(n.text));
      await step('ssh', { action: 'next' });
      expect(await client.waitFor(/^SSH-2\.0-.*\r\n/)).toMatch(/^SSH-2\.0-ProtocolLab/);
      await step('ssh', { action: 'next' });
      expect((await kexinit).next?.text).toMatch(/^KEXINIT/);
      client.close();
    } finally {
      await step('ssh', { enabled: false });
    }
  });

  it('FTP control connection: the greeting and each reply wait for Step', async () => {
    await step('ftp', { enabled: true });
    try {
      const greeting = nextHeld('ftp', (n) => n.dir === 'server' && n.text.startsWith('220'));
      const client = await LineClient.connect(lab.port('ftp'));
      await greeting;
      // The greeting is two lines (220- and 220 ): each is one framed message, released by one Step.
      while (!/^220 /m.test(client.received)) {
        await step('ftp', { action: 'next' });
        await client.waitFor(/\r\n/);
      }
      const user = nextHeld('ftp', (n) => n.dir === 'client' && n.text === 'USER student');
      const reply = client.command('USER student');
      expect((await user).next?.text).toBe('USER student');
      const held331 = nextHeld('ftp', (n) => n.dir === 'server' && n.text.startsWith('331'));
      await step('ftp', { action: 'next' });
      await held331;
      expect(client.received).not.toMatch(/331/);
      await step('ftp', { action: 'next' });
      expect(await reply).toMatch(/^331 /);
      client.close();
    } finally {
      await step('ftp', { enabled: false });
    }
  });

  it('SOAP: Play releases a held request and its response at the chosen pace, Pause stops it', async () => {
    await step('soap', { enabled: true });
    try {
      const CAL = 'http://lab.test/soap/calendar';
      const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:c="${CAL}"><s:Body><c:getMonth><c:year>2005</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>`;
      const held = nextHeld('soap', (n) => n.dir === 'client' && n.text.startsWith('POST /soap/calendar'));
      const response = fetch(`http://127.0.0.1:${lab.port('soap')}/soap/calendar`, {
        method: 'POST',
        headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${CAL}/getMonth"`, connection: 'close' },
        body,
      });
      expect((await held).held).toBeGreaterThan(0);
      const playing = await step('soap', { action: 'play', paceMs: 50 });
      expect(playing).toMatchObject({ playing: true, paceMs: 50 });
      const res = await response;
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('January 2005');
      expect(await step('soap', { action: 'pause' })).toMatchObject({ playing: false });
    } finally {
      await step('soap', { enabled: false });
    }
  });

  it('lists each step mode once: the WS-Policy lab steps the SOAP tap, so soap appears once in GET /api/step and the hello', async () => {
    const once = (states: StepState[]) => {
      const protocols = states.map((s) => s.protocol);
      expect(protocols.filter((p) => p === 'soap')).toHaveLength(1);
      expect(new Set(protocols).size).toBe(protocols.length);
      expect(protocols).toEqual(expect.arrayContaining(['smtp', 'ftp', 'ssh', 'soap', 'zmq', 'gateway']));
    };
    once((await lab.api<{ step: StepState[] }>('/api/step')).step);
    const browser = await TestBrowser.open(lab);
    try {
      const hello = await browser.next((m) => m.type === 'hello');
      if (hello.type !== 'hello') throw new Error('not a hello');
      once(hello.step);
    } finally {
      browser.ws.terminate();
    }
    // A script may still name the WS-Policy lab: it steps the SOAP tap, and the one soap state says so.
    try {
      expect(await step('policy', { enabled: true })).toMatchObject({ protocol: 'soap', enabled: true });
      const states = (await lab.api<{ step: StepState[] }>('/api/step')).step;
      expect(states.filter((s) => s.protocol === 'soap')).toEqual([expect.objectContaining({ enabled: true })]);
    } finally {
      await step('policy', { enabled: false });
    }
  });
});

describe('per-client connection cap', () => {
  it('refuses the 51st SMTP connection from one address with 421, and takes a new one once one closed', async () => {
    const clients: LineClient[] = [];
    try {
      for (let i = 0; i < 50; i++) {
        const c = await LineClient.connect(lab.port('smtp'));
        await c.replyFrom(0);
        clients.push(c);
      }
      const refused = await LineClient.connect(lab.port('smtp'));
      expect(await refused.replyFrom(0)).toMatch(/^421 4\.7\.0 Too many connections/);
      await refused.whenClosed();

      const first = `127.0.0.1:${clients[0].socket.localPort}`;
      const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client === first);
      clients.shift()?.close();
      await closed;
      const again = await LineClient.connect(lab.port('smtp'));
      expect(await again.replyFrom(0)).toMatch(/^220 /);
      clients.push(again);
    } finally {
      // Gone for the tap too (it counts a connection until both its sides closed, which may wait for the
      // dissect thread), so the next test's connection is not refused.
      const gone = clients.map((c) => {
        const client = `127.0.0.1:${c.socket.localPort}`;
        return nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client === client);
      });
      for (const c of clients) c.close();
      await Promise.all(gone);
    }
  });
});

describe('hub backpressure', () => {
  it('queues events for a browser that stops reading, reports the dropped ones with a gap, and goes on', async () => {
    const slow = await TestBrowser.open(lab);
    const fast = await TestBrowser.open(lab);
    await slow.next((m) => m.type === 'hello');
    slow.tcp?.pause();
    // 20,000 NOOPs are 40,000 transcript events: far more than this hub queues (2,000) plus what
    // the socket buffers hold for a reader that reads nothing. Sent 500 at a time, each round once the
    // lab has dissected the last (the dissect thread answers in batches), so no single burst of events
    // (1,000) is more than the queue of a browser that reads can take.
    // The flood's end, awaited from before it starts: on a loaded machine the 40 rounds outlast nextEvent's usual 15 s.
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'smtp', 90_000, "the end of the 20,000-NOOP session");
    await noopFlood(lab.port('smtp'), 20_000, { perRound: 500, betweenRounds: () => lab.daemon.settled() });
    const conn = (await closed).connection.id;
    // A browser that reads is not held back by the slow one.
    await fast.message(conn, /^221 /, { from: 0 });

    slow.tcp?.resume();
    await slow.next((m) => m.type === 'gap', { timeoutMs: 25_000 });
    // The oldest events went; the newest (the session's end) still arrives, after the gap.
    await slow.message(conn, /^221 /);
    const ended = (e: LabEvent) => e.type === 'connection.close' && e.connection.id === conn;
    await slow.events.next(ended, { from: 0 });
    await fast.events.next(ended, { from: 0 });
    const ofConn = (b: TestBrowser) => b.events.items.filter((e) => e.type === 'message' && e.message.conn === conn).length;
    expect(ofConn(slow)).toBeLessThan(ofConn(fast));
    // The browser that kept reading lost nothing.
    expect(fast.messages.some((m) => m.type === 'gap')).toBe(false);
    const dropped = slow.messages.reduce((n, m) => n + (m.type === 'gap' ? m.dropped : 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(ofConn(slow) + dropped).toBeGreaterThanOrEqual(ofConn(fast));
    expect((await lab.api<{ ok: boolean }>('/api/health')).ok).toBe(true);
    slow.ws.terminate();
    fast.ws.terminate();
  }, 150_000);
});
