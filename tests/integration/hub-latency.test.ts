import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bus } from '../../lib/bus/bus.ts';
import type { LabEvent } from '../../lib/bus/events.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { FLUSH_MS, FRAME_BUDGET } from '../../servers/daemon/hub.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

/*
 * When the hub sends events: at once while a browser was sent fewer than FRAME_BUDGET frames in the
 * current FLUSH_MS window, else at the window's end. Each test freezes the clock once its SMTP
 * connection is greeted (the server holds its greeting back 100 ms to catch early talkers): timeouts
 * and the monotonic clock are faked, nothing else, so "arrives" means "arrives without the clock
 * moving" and a batch goes out only when the test moves the clock. Waits race a real timer so a
 * hang fails with a reason.
 */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = realSetTimeout(() => reject(new Error(`no ${what} within ${ms} ms of real time (clock frozen)`)), ms);
    promise.then(
      (value) => (realClearTimeout(timer), resolve(value)),
      (err: unknown) => (realClearTimeout(timer), reject(err)),
    );
  });
}

/** Resolves once `count` bus events passing `test` were published (subscribe before causing them). */
function published(bus: Bus, test: (e: LabEvent) => boolean, count = 1): Promise<LabEvent[]> {
  const seen: LabEvent[] = [];
  return new Promise((resolve) => {
    const unsubscribe = bus.subscribe((event) => {
      if (!test(event) || seen.push(event) < count) return;
      unsubscribe();
      resolve(seen);
    });
  });
}

const serverLine = (conn: string, re: RegExp) => (e: LabEvent) => e.type === 'message' && e.message.conn === conn && e.message.dir === 'server' && re.test(e.message.text);

/** Everything the hub sent before the reply to this malformed request has arrived (one ordered socket). */
async function barrier(browser: TestBrowser): Promise<void> {
  const from = browser.mark;
  browser.send('barrier');
  await within(browser.next((m) => m.type === 'error', { from }), 'reply to the barrier');
}

/** Event frames that arrived from `from` on. */
const eventFrames = (browser: TestBrowser, from: number) => browser.messages.slice(from).filter((m) => m.type === 'events').length;

/**
 * Stops the clock, then moves the fake monotonic clock (which starts at 0) past every window the
 * hub opened before: the hub's windows from now on are on the frozen clock.
 */
function freezeClock(): void {
  const real = performance.now();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  vi.advanceTimersByTime(Math.ceil(real) + FLUSH_MS);
}

let lab: TestLab;
beforeAll(async () => {
  // SMTP dissected inline: the dissect thread gathers a busy lab's chunks on a timer, which the frozen clock would stop.
  lab = await startTestLab({ labs: [smtpLab], config: { dissectThread: 'inline' } });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await lab?.stop();
});

/** A raw SMTP client through the tap, greeted, with its connection id. */
async function smtpClient(): Promise<{ client: LineClient; conn: string }> {
  const opened = published(lab.daemon.bus, (e) => e.type === 'connection.open' && e.connection.protocol === 'smtp');
  const client = await LineClient.connect(lab.port('smtp'));
  const [open] = await within(opened, 'connection.open on the bus');
  if (open.type !== 'connection.open') throw new Error('unreachable: filtered by type');
  expect(open.connection.client).toBe(`127.0.0.1:${client.socket.localPort}`);
  await within(client.waitFor(/^220 /m), 'SMTP greeting');
  return { client, conn: open.connection.id };
}

describe('hub frame budget', () => {
  it('sends an event on an idle hub at once: no timer has to fire', async () => {
    const browser = await TestBrowser.open(lab);
    const { client, conn } = await smtpClient();
    await browser.message(conn, /^220 /);
    freezeClock();
    await within(client.command('EHLO idle.test'), 'EHLO reply');
    const ehlo = await within(browser.message(conn, /^250[ -]/), 'the EHLO reply in the browser');
    expect(ehlo.dir).toBe('server');
    client.close();
    browser.close();
  });

  it('sends a burst at once up to the budget, the rest in order as one frame at the end of the window', async () => {
    const browser = await TestBrowser.open(lab);
    const { client, conn } = await smtpClient();
    await browser.message(conn, /^220 /);
    await barrier(browser);
    freezeClock();
    const from = browser.mark;
    // Request after response: each reply is its own socket read, so each could be its own frame.
    const count = FRAME_BUDGET * 4;
    const replies = published(lab.daemon.bus, serverLine(conn, /^250 /), count);
    for (let i = 1; i <= count; i++) await within(client.command(`NOOP ${i}`), `reply to NOOP ${i}`);
    await within(replies, 'every NOOP reply on the bus');

    await barrier(browser);
    // The clock stood still: one window, so only the budget went out; the last replies wait.
    expect(eventFrames(browser, from)).toBe(FRAME_BUDGET);
    const noops = () => browser.events.items.flatMap((e) => (e.type === 'message' && e.message.conn === conn && e.message.dir === 'client' && /^NOOP /.test(e.message.text) ? [e.message] : []));
    expect(noops().length).toBeLessThan(count);

    vi.advanceTimersByTime(FLUSH_MS);
    await within(browser.message(conn, new RegExp(`^NOOP ${count}$`)), `NOOP ${count} after the window's end`);
    await barrier(browser);
    expect(eventFrames(browser, from)).toBe(FRAME_BUDGET + 1);
    // Nothing lost, nothing reordered: the client's lines in the order it sent them.
    const wire = (m: LabMessage) => m.view === noops()[0].view;
    expect(noops().filter(wire).map((m) => m.text)).toEqual(Array.from({ length: count }, (_, i) => `NOOP ${i + 1}`));
    client.close();
    browser.close();
  });

  it('sends a console status behind the events queued before it, also while the budget is spent', async () => {
    const browser = await TestBrowser.open(lab);
    browser.send({ type: 'console.open', consoleId: 'c1', protocol: 'smtp' });
    const conn = await browser.consoleOpen('c1');
    await browser.message(conn, /^220 /);
    freezeClock();
    // Spend the budget: one line at a time, each after the previous reply was published.
    for (let i = 1; i <= FRAME_BUDGET * 2; i++) {
      const reply = published(lab.daemon.bus, serverLine(conn, /^250 /));
      browser.send({ type: 'console.send', consoleId: 'c1', line: `NOOP ${i}` });
      await within(reply, `reply to NOOP ${i} on the bus`);
    }
    const from = browser.mark;
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'QUIT' });
    const closed = await within(
      browser.arrivals.indexOf((f) => f.message.type === 'console' && f.message.consoleId === 'c1' && f.message.status.state === 'closed', { from }),
      'console closed status',
    );
    const bye = browser.arrivals.items.findIndex((f, at) => at >= from && f.message.type === 'events' && f.message.events.some((e) => serverLine(conn, /^221 /)(e)));
    expect(bye).toBeGreaterThanOrEqual(from);
    expect(bye).toBeLessThan(closed);
    browser.close();
  });
});
