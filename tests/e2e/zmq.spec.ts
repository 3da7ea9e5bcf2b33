import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { pythonWithZmq } from '../helpers/tools.ts';

const rows = (scope: ReturnType<Page['getByTestId']>) => scope.getByTestId('terminal').locator('.xterm-rows');

// Step mode is lab-wide state in the daemon: every test starts with it off, and the REP answers at once.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/zmq', { data: { enabled: false } });
  await request.post('/api/zmq/think', { data: { ms: 0 } });
});

test('the home page lists the ZeroMQ lab as live and opens it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('lab-zmq')).toContainText('live');
  await page.getByTestId('lab-zmq').click();
  await expect(page).toHaveURL(/\/zmq$/);
  await expect(page.getByRole('heading', { name: /ZeroMQ lab/ })).toBeVisible();
});

test('the header names the sockets of the tab on screen, at their ports', async ({ page }) => {
  const base = Number(process.env.ZMQ_BASE_PORT);
  const heading = page.getByRole('heading', { name: /ZeroMQ lab/ });
  await page.goto('/zmq');
  await expect(heading).toContainText(`REP at tcp://127.0.0.1:${base}`);
  await page.getByRole('tab', { name: 'PUB/SUB' }).click();
  await expect(heading).toContainText(`PUB at tcp://127.0.0.1:${base + 1}`);
  await expect(heading).not.toContainText('REP at');
  await page.getByRole('tab', { name: 'PUSH/PULL' }).click();
  await expect(heading).toContainText(`PUSH at tcp://127.0.0.1:${base + 2} · PULL at :${base + 3}`);
});

test('the header keeps its height on every tab at 1280×720: the page does not jump on PUSH/PULL', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/zmq');
  const tabs = page.getByRole('tablist', { name: 'ZeroMQ lab sections' });
  await expect(page.getByRole('heading', { name: /REP at/ })).toBeVisible();
  const top = async () => (await tabs.boundingBox())?.y;
  const first = await top();
  for (const name of ['PUB/SUB', 'PUSH/PULL', 'PAIR', 'CURVE', 'SSH tunnel', 'Own client']) {
    await tabs.getByRole('tab', { name, exact: true }).click();
    await expect(tabs.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
    expect(await top(), name).toBe(first);
  }
});

test('the REQ console sends Hello and shows the reply with its ZMTP frames annotated', async ({ page }, testInfo) => {
  await page.goto('/zmq');
  const tab = page.getByTestId('tab-req');
  const terminal = rows(tab.getByTestId('zmq-console-req'));
  // The quick-insert buttons show once the console's REQ has connected through the tap.
  const hello = tab.getByRole('button', { name: 'hello 1', exact: true });
  await expect(hello).toBeVisible();
  await hello.click();
  // What the seed's script prints, and the reply's frames with their explanations (the terminal follows the end)…
  await expect(terminal).toContainText('Received reply 1 [ World from');
  await expect(terminal).toContainText('"World from');
  await expect(terminal).toContainText('↳ Message frame');
  // …and every frame in order, each explained, in the panel beside it.
  const frames = tab.getByTestId('transcript');
  for (const text of ['signature FF 00 00 00 00 00 00 00 01 7F', 'READY Socket-Type="REP"', 'READY Socket-Type="REQ"', '‹empty› (frame 1, more follow)', '"Hello" (frame 2 of 2)', '"World from']) {
    await expect(frames).toContainText(text);
  }
  await expect(frames).toContainText('Empty delimiter frame');
  await page.screenshot({ path: testInfo.outputPath('zmq-req.png') });
});

test('the tunnel switch: direct, an eavesdropper reads Hello; through SSH, only SSH packets', async ({ page }, testInfo) => {
  await page.goto('/zmq#tunnel');
  const tab = page.getByTestId('tab-tunnel');
  const direct = rows(tab.getByTestId('wire-direct'));
  const tunnelled = rows(tab.getByTestId('wire-tunnel'));

  const directHello = tab.getByTestId('zmq-console-req').getByRole('button', { name: 'hello 1', exact: true });
  await expect(directHello).toBeVisible();
  await directHello.click();
  await expect(direct).toContainText('"Hello"');
  await expect(direct).toContainText('"World from');

  await tab.getByRole('button', { name: 'Through the SSH tunnel' }).click();
  const tunnelConsole = tab.getByTestId('zmq-console-tunnel');
  const tunnelHello = tunnelConsole.getByRole('button', { name: 'hello 1', exact: true });
  await expect(tunnelHello).toBeVisible();
  await tunnelHello.click();
  await expect(rows(tunnelConsole)).toContainText('Received reply 1 [ World from');
  // The same request crossed the SSH connection: its wire view shows SSH packets, never the words.
  await expect(tunnelled).toContainText('[encrypted');
  await expect(tunnelled).not.toContainText('Hello');
  await expect(tunnelled).not.toContainText('World');
  // The tunnelled ZMTP connection is listed under the SSH connection that carries it.
  const tree = tab.getByTestId('tunnel-tree');
  await expect(tree.locator('[data-depth="0"]')).toContainText('SSH');
  await expect(tree.locator('[data-depth="1"]')).toContainText('ZMTP');
  // The whole SSH wire transcript (not only the rows in view): no Hello, no World anywhere.
  const sshConn = await tree.locator('[data-depth="0"]').getAttribute('data-conn');
  const zmtpConn = await tree.locator('[data-depth="1"]').getAttribute('data-conn');
  const transcript = async (id: string | null) => {
    const res = await page.request.get(`/api/connections/${id}?limit=2000`);
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { messages: { view: string; text: string }[] }).messages;
  };
  const sshWire = (await transcript(sshConn)).filter((m) => m.view === 'wire');
  expect(sshWire.some((m) => m.text.startsWith('[encrypted'))).toBe(true);
  expect(sshWire.filter((m) => /Hello|World/.test(m.text))).toEqual([]);
  // Inside the tunnel, the ZMTP connection itself still carries the words (the lab decodes it at the REP's tap).
  expect((await transcript(zmtpConn)).some((m) => m.text.includes('"Hello"'))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('zmq-tunnel.png') });
});

test('a client retrying with a wrong CURVE key is one folded run, in the lab and on the sessions page', async ({ page, request }, testInfo) => {
  const curvePort = Number(process.env.ZMQ_BASE_PORT) + 5;
  const tries = 6;
  // pyzmq with a server key that is not the lab’s: libzmq’s handshake fails and it reconnects (400–800 ms later here).
  // It closes on its sixth refusal, before the next try starts, so every try is one whole failed handshake.
  const wrongKey = `
import zmq
ctx = zmq.Context(); s = ctx.socket(zmq.REQ)
s.curve_serverkey = zmq.curve_keypair()[0]
s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
s.reconnect_ivl = 400
monitor = s.get_monitor_socket(zmq.EVENT_DISCONNECTED)
monitor.rcvtimeo = 20000
s.connect("tcp://127.0.0.1:${curvePort}"); s.send(b"Hello")
for _ in range(${tries}): monitor.recv_multipart()
s.disable_monitor(); monitor.close(linger=0); s.close(linger=0); ctx.term()`;
  const since = Date.now();
  await promisify(execFile)(await pythonWithZmq(), ['-c', wrongKey]);
  // This client's tries (earlier runs of the lab may have their own), newest first, once the daemon has seen each close.
  type Listed = { id: string; server?: string; label?: string; startedAt: number; endedAt: number | null };
  let retries: Listed[] = [];
  await expect
    .poll(async () => {
      const { connections } = (await (await request.get('/api/connections?protocol=zmq&limit=500')).json()) as { connections: Listed[] };
      retries = connections.filter((c) => c.server === `127.0.0.1:${curvePort}` && !c.label && c.startedAt >= since);
      return retries.length === tries && retries.every((c) => c.endedAt !== null);
    }, { message: `${tries} closed tries of the wrong-key client in /api/connections` })
    .toBe(true);
  const summary = new RegExp(`^▸ ${tries} alike connections from 127\\.0\\.0\\.1 in [\\d.]+ s — a client retrying\\? ${tries - 1} more$`);
  // A run's line follows its newest row: this client's run (another run may be listed too) follows its newest try.
  const runAfterNewest = `[data-conn="${retries[0].id}"] + `;
  // Which of the retries a list shows (newest first), by their connection ids.
  const retryIds = new Set(retries.map((c) => c.id));
  const shown = async (rows: Locator) => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-conn') ?? ''))).filter((id) => retryIds.has(id));

  await page.goto('/zmq#curve');
  const tab = page.getByTestId('tab-curve');
  await tab.getByRole('tab', { name: 'Connections', exact: true }).click();
  const list = tab.getByTestId('connection-list');
  const run = list.locator(`${runAfterNewest}[data-testid="zmq-repeats"]`);
  await expect(run).toHaveCount(1);
  await expect(run.getByRole('button')).toHaveText(summary);
  // Folded, the newest retry stands for all of them; opened, every one is listed.
  await expect.poll(() => shown(list.getByTestId('zmq-connection'))).toEqual([retries[0].id]);
  await run.getByRole('button').click();
  await expect(run.getByRole('button')).toHaveAttribute('aria-expanded', 'true');
  await expect.poll(() => shown(list.getByTestId('zmq-connection'))).toEqual(retries.map((c) => c.id));
  // Every socket's connections share the list: each row names the port it came to (the CURVE socket's here).
  await expect(list.locator(`[data-conn="${retries[0].id}"]`)).toContainText(`:${curvePort}`);
  await page.screenshot({ path: testInfo.outputPath('zmq-retries.png') });

  await page.goto('/sessions');
  // Other labs' runs may be listed too (an SMTP loop of another spec): this one is the pyzmq client's.
  const sessionsRun = page.locator(`${runAfterNewest}[data-testid="session-repeats"]`);
  await expect(sessionsRun).toHaveCount(1);
  await expect.poll(() => shown(page.getByTestId('session-row'))).toEqual([retries[0].id]);
  await sessionsRun.getByRole('button').click();
  await expect.poll(() => shown(page.getByTestId('session-row'))).toEqual(retries.map((c) => c.id));
});

test('the CURVE console answers in the eavesdropper view too: help and wrongkey print, as in the endpoint view', async ({ page }) => {
  await page.goto('/zmq#curve');
  const tab = page.getByTestId('tab-curve');
  const terminal = rows(tab.getByTestId('zmq-console-curve'));
  // As the report did: the eavesdropper view first (the lesson's step 1), then the chips.
  await page.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await expect(page.getByRole('button', { name: 'What an eavesdropper sees' })).toHaveAttribute('aria-pressed', 'true');
  // Wait for the handshake's end, as a student reads it (the chips show once the connection is accepted; help
  // typed earlier waits for the handshake: the test below).
  await expect(terminal).toContainText('READY (CURVE)');
  await tab.getByRole('button', { name: 'help', exact: true }).click();
  await expect(terminal).toContainText('CURVE REQ console');
  await tab.getByRole('button', { name: 'wrongkey', exact: true }).click();
  await expect(terminal).toContainText('Handshake failed — server: handshake:error', { timeout: 15_000 });
  // The frames still follow the view: the sealed boxes, never the plaintext the endpoint view opens.
  await tab.getByRole('button', { name: 'hello 1', exact: true }).click();
  await expect(terminal).toContainText('Received reply 1 [ World from');
  await expect(terminal).not.toContainText('"Hello"');
});

test('Presenter mode at 1280×720 beside the lesson: frame rows are whole, and the page stays within the window', async ({ page }, testInfo) => {
  await page.goto('/zmq?lesson=zmq-security&step=null');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const showLesson = page.getByTestId('lesson-panel').getByRole('button', { name: 'Show the lesson' });
  if (await showLesson.isVisible()) await showLesson.click();
  await expect(page.getByTestId('lesson-panel').getByRole('button', { name: 'Start over' })).toBeVisible();
  const tab = page.getByTestId('tab-req');
  await tab.getByRole('button', { name: 'hello 1', exact: true }).click();
  const frames = tab.getByTestId('transcript');
  await expect(frames).toContainText('"World from');
  // The report's rows: "READY Socket-Type="R…", "[15] "World from 565…". Each first line fits its row.
  const clipped = await frames.getByTestId('message-text').evaluateAll((els) =>
    els.flatMap((el) => {
      const line = el.firstElementChild as HTMLElement | null;
      return line && line.scrollWidth > line.clientWidth + 1 ? [line.textContent ?? ''] : [];
    }),
  );
  await page.screenshot({ path: testInfo.outputPath('zmq-presenter.png') });
  expect(clipped).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(720);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).not.toHaveClass(/presenter/);
});

test('help typed while the CURVE console is still connecting is kept, and prints on screen after the handshake', async ({ page }) => {
  // The daemon's word that the CURVE console is open is held until help has been typed: the window a student
  // types into on a slow page load or after Reconnect, made as wide as the test needs. Everything else passes.
  let typed = () => {};
  const typing = new Promise<void>((resolve) => (typed = resolve));
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const message: unknown = typeof m === 'string' ? JSON.parse(m) : null;
      const opens = typeof message === 'object' && message !== null && 'type' in message && message.type === 'console' && 'consoleId' in message && String(message.consoleId).startsWith('zmq-curve-') && JSON.stringify(message).includes('"state":"open"');
      if (opens) void typing.then(() => ws.send(m));
      else ws.send(m);
    });
  });
  await page.goto('/zmq#curve');
  const tab = page.getByTestId('tab-curve');
  const console_ = tab.getByTestId('zmq-console-curve');
  const terminal = rows(console_);
  await expect(terminal).toContainText('Connecting…');
  await console_.getByTestId('terminal').click();
  await page.keyboard.type('help\n');
  typed();
  // The handshake's last frame and the help, both on screen: not lost, and not scrolled away by the handshake's
  // eight annotated frames (the daemon runs it once the handshake is done).
  await expect(terminal).toContainText('READY (CURVE)');
  await expect(terminal).toContainText('wrongkey    try a second client');
  await expect(terminal).toContainText('CURVE REQ console');
});
