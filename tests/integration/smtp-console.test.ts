import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { LineClient } from '../helpers/line-client.ts';
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

  it("is listed and stored as opened by a lab page (the player's step mode cannot hold it); an external client is not", async () => {
    const browser = await TestBrowser.open(lab);
    browser.send({ type: 'console.open', consoleId: 'c2', protocol: 'smtp' });
    const fromPage = await browser.consoleOpen('c2');
    await browser.message(fromPage, /^220 /);
    const swaks = await LineClient.connect(lab.port('smtp'));
    await swaks.waitFor(/^220 /m);
    const port = swaks.socket.localPort;
    const { connections } = await lab.api<{ connections: ConnectionInfo[] }>('/api/connections?protocol=smtp&limit=50');
    const external = connections.find((c) => c.client.endsWith(`:${port}`));
    expect(connections.find((c) => c.id === fromPage)?.openedByPage).toBe(true);
    expect(external).toBeDefined();
    expect(external?.openedByPage).toBeUndefined();
    // The transcript page (what the player loads) says the same, after both have closed.
    browser.send({ type: 'console.send', consoleId: 'c2', line: 'QUIT' });
    await swaks.command('QUIT');
    await swaks.whenClosed();
    await browser.message(fromPage, /^221 /);
    expect((await lab.api<{ connection: ConnectionInfo }>(`/api/connections/${fromPage}`)).connection.openedByPage).toBe(true);
    expect((await lab.api<{ connection: ConnectionInfo }>(`/api/connections/${external?.id}`)).connection.openedByPage).toBeUndefined();
    browser.close();
  });
});
