import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

/** Every /ws message in arrival order, and a wait for the first one matching a test. */
async function openBrowser() {
  const ws = new WebSocket(`${lab.baseUrl.replace('http', 'ws')}/ws`);
  const received: ServerMessage[] = [];
  let waiters: { test: (m: ServerMessage) => boolean; resolve: () => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    received.push(message);
    waiters = waiters.filter((w) => (w.test(message) ? (w.resolve(), false) : true));
  });
  await new Promise((resolve) => ws.once('open', resolve));
  const until = (test: (m: ServerMessage) => boolean) =>
    received.some(test) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));
  return { ws, received, until };
}

/** Position of the first message that carries a transcript line of `conn` matching `pattern`. */
const indexOfLine = (received: ServerMessage[], conn: string, pattern: RegExp) =>
  received.findIndex((m) => m.type === 'events' && m.events.some((e) => e.type === 'message' && e.message.conn === conn && pattern.test(e.message.text)));

describe('SMTP browser console', () => {
  it('shows C: QUIT and S: 221 before "Connection closed", as they happened on the wire', async () => {
    const browser = await openBrowser();
    browser.ws.send(JSON.stringify({ type: 'console.open', consoleId: 'c1', protocol: 'smtp' }));
    await browser.until((m) => m.type === 'console' && m.status.state === 'open');
    const open = browser.received.find((m) => m.type === 'console' && m.status.state === 'open');
    const conn = open?.type === 'console' && open.status.state === 'open' ? open.status.conn : '';
    await browser.until((m) => indexOfLine([m], conn, /^220 /) === 0);
    browser.ws.send(JSON.stringify({ type: 'console.send', consoleId: 'c1', line: 'QUIT' }));
    await browser.until((m) => m.type === 'console' && m.status.state === 'closed');

    const closedAt = browser.received.findIndex((m) => m.type === 'console' && m.status.state === 'closed');
    const quitAt = indexOfLine(browser.received, conn, /^QUIT$/);
    const byeAt = indexOfLine(browser.received, conn, /^221 /);
    expect(quitAt).toBeGreaterThanOrEqual(0);
    expect(byeAt).toBeGreaterThanOrEqual(quitAt);
    expect(closedAt).toBeGreaterThan(byeAt);
    browser.ws.close();
  });
});
