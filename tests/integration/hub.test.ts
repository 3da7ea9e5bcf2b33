import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabEvent } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

/** A browser stand-in: one /ws connection that records everything and waits on predicates. */
class Browser {
  readonly received: ServerMessage[] = [];
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.received.push(message);
      this.waiters = this.waiters.filter((w) => (w.test(message) ? (w.resolve(message), false) : true));
    });
  }
  static async open(url: string): Promise<Browser> {
    const ws = new WebSocket(url);
    const browser = new Browser(ws);
    await new Promise((resolve) => ws.once('open', resolve));
    return browser;
  }
  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
  next(test: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    const found = this.received.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  /** Waits for a live message on `conn` whose text matches. */
  async message(conn: string, pattern: RegExp, view?: LabMessage['view']): Promise<LabMessage> {
    const hit = (m: ServerMessage) =>
      m.type === 'events' &&
      m.events.some((e: LabEvent) => e.type === 'message' && e.message.conn === conn && pattern.test(e.message.text) && (!view || e.message.view === view));
    const batch = (await this.next(hit)) as Extract<ServerMessage, { type: 'events' }>;
    const event = batch.events.find(
      (e) => e.type === 'message' && e.message.conn === conn && pattern.test(e.message.text) && (!view || e.message.view === view),
    ) as Extract<LabEvent, { type: 'message' }>;
    return event.message;
  }
}

describe('WebSocket hub', () => {
  it('runs a browser console: greeting, EHLO, STARTTLS from the console, then the decrypted endpoint view', async () => {
    const browser = await Browser.open(`${lab.baseUrl.replace('http', 'ws')}/ws`);
    expect((await browser.next((m) => m.type === 'hello')).type).toBe('hello');
    browser.send({ type: 'console.open', consoleId: 'c1', protocol: 'smtp' });
    const open = (await browser.next((m) => m.type === 'console' && m.status.state === 'open')) as Extract<ServerMessage, { type: 'console' }>;
    const conn = open.status.state === 'open' ? open.status.conn : '';
    await browser.message(conn, /^220 /);
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'EHLO browser.test' });
    const ehlo = await browser.message(conn, /^250-/);
    expect(ehlo.annotation?.ref).toMatch(/RFC 5321/);

    browser.send({ type: 'console.send', consoleId: 'c1', line: 'STARTTLS' });
    await browser.message(conn, /^220 /, 'wire');
    // The console wrapped its socket in TLS: the wire now shows records, the server's view goes on.
    await browser.message(conn, /TLS record/i, 'wire');
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'EHLO again.test' });
    const decrypted = await browser.message(conn, /^250-/, 'endpoint');
    expect(decrypted.view).toBe('endpoint');
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'QUIT' });
    await browser.message(conn, /^221 /, 'endpoint');
    await browser.next((m) => m.type === 'console' && m.status.state === 'closed');
    browser.ws.close();
  });

  it('answers malformed and unknown requests with an error message and stays usable', async () => {
    const browser = await Browser.open(`${lab.baseUrl.replace('http', 'ws')}/ws`);
    browser.send('not json');
    expect(await browser.next((m) => m.type === 'error')).toMatchObject({ type: 'error', message: expect.stringMatching(/JSON/) });
    browser.send({ type: 'console.open', consoleId: '../../etc', protocol: 'smtp' });
    browser.send({ type: 'console.open', consoleId: 'x', protocol: 'ftp' });
    await browser.next((m) => m.type === 'error' && /not running/.test(m.message));
    browser.send({ type: 'step.set', protocol: 'smtp', enabled: true });
    await browser.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && e.state.enabled));
    browser.send({ type: 'step.set', protocol: 'smtp', enabled: false });
    await browser.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && !e.state.enabled));
    browser.ws.close();
  });

  it('serves the JSON API: health, connections, 404 and 400 with readable errors', async () => {
    const health = await lab.api<{ ok: boolean; servers: { protocol: string; listening: boolean }[] }>('/api/health');
    expect(health.ok).toBe(true);
    expect(health.servers[0]).toMatchObject({ protocol: 'smtp', listening: true });
    const list = await lab.api<{ connections: { protocol: string }[] }>('/api/connections?protocol=smtp&limit=5');
    expect(list.connections.every((c) => c.protocol === 'smtp')).toBe(true);
    await expect(lab.api('/api/connections/nope')).rejects.toThrow(/404/);
    await expect(lab.api('/api/connections?limit=-3')).rejects.toThrow(/400.*limit/);
    await expect(lab.api('/api/nothing-here')).rejects.toThrow(/404/);
  });
});
