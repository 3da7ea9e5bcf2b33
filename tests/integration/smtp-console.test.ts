import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

/** Position of the first message that carries a transcript line of `conn` matching `pattern`. */
const indexOfLine = (received: ServerMessage[], conn: string, pattern: RegExp) =>
  received.findIndex((m) => m.type === 'events' && m.events.some((e) => e.type === 'message' && e.message.conn === conn && pattern.test(e.message.text)));

describe('SMTP browser console', () => {
  it('shows C: QUIT and S: 221 before "Connection closed", as they happened on the wire', async () => {
    const browser = await TestBrowser.open(lab);
    browser.send({ type: 'console.open', consoleId: 'c1', protocol: 'smtp' });
    const conn = await browser.consoleOpen('c1');
    await browser.message(conn, /^220 /);
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'QUIT' });
    const closedAt = await browser.arrivals.indexOf((f) => f.message.type === 'console' && f.message.status.state === 'closed');

    const quitAt = indexOfLine(browser.messages, conn, /^QUIT$/);
    const byeAt = indexOfLine(browser.messages, conn, /^221 /);
    expect(quitAt).toBeGreaterThanOrEqual(0);
    expect(byeAt).toBeGreaterThanOrEqual(quitAt);
    expect(closedAt).toBeGreaterThan(byeAt);
    browser.close();
  });
});
