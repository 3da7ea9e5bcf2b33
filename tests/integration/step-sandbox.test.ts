/**
 * Sandboxes per connection (issue 9 #5, issue 8 "step mode turned on in one browser holds every
 * other browser's sessions"): step mode is a browser's own, per connection or per sandbox, and a
 * browser sees only its sandbox. Real SMTP server, real /ws clients, raw TCP clients.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOf, type LabEvent, type StepState } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

/** A raw TCP client whose local port the test's sandbox policy reads before the tap accepts it; waits read only new lines. */
class RawClient {
  private text = '';
  private cursor = 0;
  private wake: (() => void) | null = null;
  /** Its local port, as the tap sees it (kept after the socket closes). */
  port = 0;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.text += data;
      this.wake?.();
    });
    socket.on('error', () => {});
  }

  async waitFor(re: RegExp): Promise<void> {
    for (;;) {
      const match = re.exec(this.text.slice(this.cursor));
      if (match) {
        this.cursor += match.index + match[0].length;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The browser's next own step state passing `test`. */
async function stepState(browser: TestBrowser, test: (state: StepState) => boolean): Promise<StepState> {
  const event = await browser.events.next((e) => e.type === 'step' && test(e.state), { what: 'a step state' });
  if (event.type !== 'step') throw new Error('unreachable');
  return event.state;
}

/** Opens an SMTP console in the browser and waits for its greeting; returns its connection id. */
async function smtpConsole(browser: TestBrowser, consoleId: string): Promise<string> {
  browser.send({ type: 'console.open', consoleId, protocol: 'smtp' });
  const conn = await browser.consoleOpen(consoleId);
  await browser.message(conn, /^220 /);
  return conn;
}

describe('step mode per browser, per connection and per sandbox (one sandbox)', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [smtpLab] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it("holds A's console when A turns step mode on for its own console, never B's", async () => {
    const a = await TestBrowser.open(lab);
    const b = await TestBrowser.open(lab);
    const connA = await smtpConsole(a, 'a');
    const connB = await smtpConsole(b, 'b');

    a.send({ type: 'step.set', protocol: 'smtp', enabled: true, scope: 'own' });
    expect(await stepState(a, (s) => s.enabled)).toMatchObject({ scope: 'own', held: 0 });
    a.send({ type: 'console.send', consoleId: 'a', line: 'NOOP' });
    const held = await stepState(a, (s) => s.held === 1);
    expect(held.next).toMatchObject({ conn: connA, connection: 'browser console', dir: 'client', text: 'NOOP' });

    // While A's NOOP is held, B's console talks to the server as if step mode were off.
    b.send({ type: 'console.send', consoleId: 'b', line: 'NOOP' });
    await b.message(connB, /^NOOP$/);
    await b.message(connB, /^250 /);

    // A steps its own message through; the server's answer is held in turn.
    a.send({ type: 'step.next', protocol: 'smtp' });
    await a.message(connA, /^NOOP$/);
    expect((await stepState(a, (s) => s.next?.dir === 'server')).next).toMatchObject({ conn: connA, text: expect.stringMatching(/^250 /) });
    a.send({ type: 'step.set', protocol: 'smtp', enabled: false });
    await a.message(connA, /^250 /);
    // B saw A's 250 (same sandbox) after every step state A was sent, and none of them.
    await b.message(connA, /^250 /);
    expect(b.events.items.filter((e) => e.type === 'step')).toEqual([]);
    a.close();
    b.close();
  });

  it("holds an external raw TCP client in the sandbox scope, but still not another browser's console", async () => {
    const a = await TestBrowser.open(lab);
    const b = await TestBrowser.open(lab);
    const connB = await smtpConsole(b, 'b');
    a.send({ type: 'step.set', protocol: 'smtp', enabled: true, scope: 'sandbox' });
    await stepState(a, (s) => s.enabled && s.scope === 'sandbox');

    const client = await LineClient.connect(lab.port('smtp'));
    const greeting = await stepState(a, (s) => s.next?.dir === 'server');
    expect(greeting.next).toMatchObject({ connection: `127.0.0.1:${client.socket.localPort}`, text: expect.stringMatching(/^220 /) });

    b.send({ type: 'console.send', consoleId: 'b', line: 'NOOP' });
    await b.message(connB, /^250 /);

    a.send({ type: 'step.next', protocol: 'smtp' });
    await client.waitFor(/^220 /m);
    client.send('EHLO swaks.example');
    expect((await stepState(a, (s) => s.next?.dir === 'client')).next).toMatchObject({ conn: greeting.next?.conn, text: 'EHLO swaks.example' });
    // A browser that goes away holds nothing: what it held goes on.
    a.close();
    await client.waitFor(/^250 /m);
    client.close();
    b.close();
  });

  it('holds exactly one named connection, and refuses one that is not the browser’s to hold', async () => {
    const a = await TestBrowser.open(lab);
    const b = await TestBrowser.open(lab);
    const connB = await smtpConsole(b, 'b');
    const first = await LineClient.connect(lab.port('smtp'));
    await first.waitFor(/^220 /m);
    const second = await LineClient.connect(lab.port('smtp'));
    await second.waitFor(/^220 /m);
    const { connections } = await lab.api<{ connections: { id: string; client: string }[] }>('/api/connections?protocol=smtp');
    const firstConn = connections.find((c) => c.client === `127.0.0.1:${first.socket.localPort}`)?.id;

    a.send({ type: 'step.set', protocol: 'smtp', enabled: true, scope: 'connection', conn: connB });
    expect(await a.next((m) => m.type === 'error')).toMatchObject({ message: expect.stringMatching(/No open SMTP connection/) });
    a.send({ type: 'step.set', protocol: 'smtp', enabled: true, scope: 'connection', conn: firstConn });
    await stepState(a, (s) => s.enabled && s.conn === firstConn);
    first.send('NOOP');
    await stepState(a, (s) => s.next?.text === 'NOOP');
    second.send('NOOP');
    await second.waitFor(/^250 /m);
    a.send({ type: 'step.set', protocol: 'smtp', enabled: false });
    await first.waitFor(/^250 /m);
    first.close();
    second.close();
    a.close();
    b.close();
  });
});

describe('a browser sees only its own sandbox', () => {
  let lab: TestLab;
  // Browsers get sandboxes in the order they connect; an API call names its own; external
  // clients are filed by their client port, registered before the tap accepts them.
  const browserSandboxes = ['x', 'y'];
  const byPort = new Map<number, string>();
  const policy: SandboxPolicy = {
    ofRequest: (req) => {
      const named = req.headers['x-test-sandbox'];
      if (typeof named === 'string') return named;
      return browserSandboxes.shift() ?? 'none';
    },
    ofConnection: (socket) => socket.own?.sandbox ?? byPort.get(socket.remotePort) ?? 'none',
    clientSandboxOf: () => 'none',
  };
  const connectIn = (sandbox: string): RawClient => {
    const socket = net.connect(lab.port('smtp'), '127.0.0.1');
    // The connect syscall has run by the next tick, before the tap can accept the connection.
    const client = new RawClient(socket);
    process.nextTick(() => {
      client.port = socket.localPort ?? 0;
      byPort.set(client.port, sandbox);
    });
    return client;
  };
  const apiIn = async <T>(sandbox: string, pathname: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(lab.baseUrl + pathname, { headers: { 'x-test-sandbox': sandbox } });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    lab = await startTestLab({ labs: [smtpLab], sandboxes: policy });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('never sends a browser in sandbox x an event of sandbox y, and step mode in y leaves x alone', async () => {
    const x = await TestBrowser.open(lab);
    const y = await TestBrowser.open(lab);
    expect(await x.next((m) => m.type === 'hello')).toMatchObject({ sandbox: 'x' });
    expect(await y.next((m) => m.type === 'hello')).toMatchObject({ sandbox: 'y' });
    const connX = await smtpConsole(x, 'cx');
    const connY = await smtpConsole(y, 'cy');

    // y holds its whole sandbox; an external client filed in x is not held by it.
    y.send({ type: 'step.set', protocol: 'smtp', enabled: true, scope: 'sandbox' });
    await stepState(y, (s) => s.enabled);
    const inX = connectIn('x');
    await inX.waitFor(/^220 /m);
    const inY = connectIn('y');
    const held = await stepState(y, (s) => s.next?.dir === 'server');
    expect(held.next?.connection).toBe(`127.0.0.1:${inY.port}`);
    y.send({ type: 'step.set', protocol: 'smtp', enabled: false });
    await inY.waitFor(/^220 /m);
    inY.send('QUIT');
    await inY.waitFor(/^221 /m);
    inX.send('QUIT');
    await inX.waitFor(/^221 /m);

    // Everything of y was published before x's next answer: had x been sent any, it would be here by now.
    x.send({ type: 'console.send', consoleId: 'cx', line: 'NOOP' });
    await x.message(connX, /^250 /);
    y.send({ type: 'console.send', consoleId: 'cy', line: 'NOOP' });
    await y.message(connY, /^250 /);
    const sandboxesSeen = (events: LabEvent[]) => [...new Set(events.map(sandboxOf))];
    expect(sandboxesSeen(x.events.items)).toEqual(['x']);
    expect(sandboxesSeen(y.events.items)).toEqual(['y']);
    expect(x.events.items.some((e) => e.type === 'connection.open' && e.connection.client === `127.0.0.1:${inX.port}`)).toBe(true);

    // The API answers each sandbox with its own connections only.
    const listX = await apiIn<{ connections: { id: string; sandbox: string }[] }>('x', '/api/connections?protocol=smtp');
    expect(listX.body.connections.map((c) => c.sandbox)).toEqual(expect.arrayContaining(['x']));
    expect(listX.body.connections.every((c) => c.sandbox === 'x')).toBe(true);
    expect(listX.body.connections.map((c) => c.id)).toContain(connX);
    expect((await apiIn('x', `/api/connections/${connY}`)).status).toBe(404);
    expect((await apiIn('y', `/api/connections/${connY}`)).status).toBe(200);
    inX.close();
    inY.close();
    x.close();
    y.close();
  });
});
