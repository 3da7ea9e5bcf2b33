import fs from 'node:fs';
import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { Client as FtpClient } from 'basic-ftp';
import ssh2 from 'ssh2';
import { LineClient } from '../helpers/line-client';
import { terminal, transcript, type } from './console';

const jump = (page: Page) => page.getByTestId('jump');
const bytesView = (page: Page) => page.getByTestId('bytes-view');
const field = (page: Page, name: string) => page.locator(`[data-testid="byte-field"][data-name="${name}"]`);
/** The seq the player's URL names (?msg=N). */
const urlSeq = (page: Page) => new URL(page.url()).searchParams.get('msg');

/** A short SMTP session typed in the lab's console, then opened in the player from the Connections tab. */
async function smtpSessionInPlayer(page: Page, lines: { send: string; expect: string }[]): Promise<Page> {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  for (const line of lines) {
    await type(page, `${line.send}\n`);
    await expect(terminal(page)).toContainText(line.expect);
  }
  await page.getByRole('tab', { name: 'Connections' }).click();
  const row = page.getByTestId('connection-list').locator('li', { hasText: 'your console' });
  const [player] = await Promise.all([page.waitForEvent('popup'), row.getByRole('link', { name: 'Open in player' }).click()]);
  await expect(player).toHaveURL(/\/sessions\/smtp-[A-Za-z0-9_-]+/);
  await expect(transcript(player)).toContainText(lines.at(-1)?.send ?? '');
  return player;
}

test('an SMTP session in the player: Back, Forward and jump to N move the selection, the terminal and the URL; the URL reopens there', async ({ page }, testInfo) => {
  const player = await smtpSessionInPlayer(page, [
    { send: 'EHLO player.lab.test', expect: '250 SIZE' },
    { send: 'MAIL FROM:<a@b>', expect: 'S: 250 2.1.0 Accepted' },
    { send: 'NOOP', expect: 'S: 250 2.0.0 OK' },
  ]);
  // Live and following: the newest message is selected and everything is drawn.
  await expect(player.getByTestId('session-state')).toHaveText('live');
  // The player's step mode holds external clients; it says so for a lab page's console.
  await expect(player.getByTestId('player-step-console-note')).toBeVisible();
  const count = Number((await player.getByTestId('message-count').textContent())?.replace(/\D/g, ''));
  await expect(jump(player)).toHaveValue(String(count));
  await expect(terminal(player)).toContainText('S: 250 2.0.0 OK');

  await player.getByRole('button', { name: '◀ Back' }).click();
  await expect(jump(player)).toHaveValue(String(count - 1));
  await expect(terminal(player)).toContainText('C: NOOP');
  await expect(terminal(player)).not.toContainText('S: 250 2.0.0 OK');
  await expect(player.getByTestId('message-detail')).toContainText(`#${urlSeq(player)} · command`);

  // Jump to the MAIL command by its position in the timeline.
  const mailAt = (await transcript(player).locator('li').allTextContents()).findIndex((t) => t.includes('MAIL FROM:<a@b>')) + 1;
  await jump(player).fill(String(mailAt));
  await jump(player).press('Enter');
  await expect(jump(player)).toHaveValue(String(mailAt));
  await expect(terminal(player)).toContainText('C: MAIL FROM:<a@b>');
  await expect(terminal(player)).not.toContainText('S: 250 2.1.0 Accepted');
  await expect(player.getByTestId('message-detail')).toContainText('reverse-path');
  const mailSeq = urlSeq(player);
  expect(mailSeq).toMatch(/^\d+$/);
  await expect(player.getByTestId('message-detail')).toContainText(`#${mailSeq} · command`);

  await player.getByRole('button', { name: 'Forward ▶' }).click();
  await expect(terminal(player)).toContainText('S: 250 2.1.0 Accepted');
  await expect(player.getByTestId('message-detail')).toContainText('250');
  expect(Number(urlSeq(player))).toBeGreaterThan(Number(mailSeq));

  // Keyboard: ← steps back, Home goes to the greeting.
  await player.keyboard.press('ArrowLeft');
  await expect(jump(player)).toHaveValue(String(mailAt));
  await expect(player).toHaveURL(new RegExp(`[?&]msg=${mailSeq}$`));
  await player.keyboard.press('Home');
  await expect(jump(player)).toHaveValue('1');
  await expect(terminal(player)).toContainText('S: 220 ');
  await expect(terminal(player)).not.toContainText('C: EHLO');

  // The URL names the message: opening it again selects it.
  await player.goto(`${new URL(player.url()).pathname}?msg=${mailSeq}`);
  await expect(jump(player)).toHaveValue(String(mailAt));
  await expect(player.getByTestId('message-detail')).toContainText(`#${mailSeq} · command`);
  await expect(terminal(player)).toContainText('C: MAIL FROM:<a@b>');
  await expect(terminal(player)).not.toContainText('S: 250 2.1.0 Accepted');
  await player.screenshot({ path: testInfo.outputPath('player-smtp.png') });

  // Play from the greeting at a fast pace: it walks to the end and stops there.
  await player.keyboard.press('Home');
  await player.getByLabel('Pace of Play').selectOption({ label: 'fast (0.25 s)' });
  await player.getByRole('button', { name: 'Play the session' }).click();
  await expect(player.getByRole('button', { name: 'Pause the session' })).toBeVisible();
  await expect(jump(player)).toHaveValue(String(count));
  await expect(player.getByRole('button', { name: 'Play the session' })).toBeVisible();
  await expect(terminal(player)).toContainText('S: 250 2.0.0 OK');
});

test("an FTP control connection plays with its data connection's messages in wire order", async ({ page, request }, testInfo) => {
  await page.goto('/ftp');
  await expect(terminal(page)).toContainText('S: 220', { timeout: 20_000 });
  for (const [line, reply] of [
    ['USER student', 'S: 331'],
    ['PASS e2e-password', 'S: 230'],
    ['PASV', 'Data connection opened'],
    ['LIST', 'S: 226'],
  ]) {
    await type(page, `${line}\n`);
    await expect(terminal(page)).toContainText(reply);
  }
  const { connections } = (await (await request.get('/api/connections?protocol=ftp&limit=50')).json()) as { connections: { id: string; parent?: string }[] };
  const control = connections.find((c) => !c.parent && connections.some((d) => d.parent === c.id));
  expect(control).toBeDefined();
  await page.goto(`/sessions/${control?.id}`);
  await expect(page.getByTestId('session-player')).toContainText('+ 1 linked connection');
  await expect(transcript(page)).toContainText('226');
  // The linked data connection's rows come with its own transcript, read after the control connection's: wait for them
  // (read at once, the list sometimes had only the control connection's 14 rows).
  await expect(transcript(page).getByTestId('message-text').filter({ hasText: 'README.txt' }).first()).toBeAttached();
  // Each row's first line, as the transcript prints it.
  const lines = await transcript(page).getByTestId('message-text').allTextContents();
  const list = lines.findIndex((t) => t.startsWith('LIST'));
  const listing = lines.findIndex((t) => t.includes('README.txt'));
  const done = lines.findIndex((t) => t.startsWith('226'));
  expect(list).toBeGreaterThanOrEqual(0);
  expect(listing).toBeGreaterThan(list);
  expect(done).toBeGreaterThan(listing);
  // The data connection's rows are in the ladder too, on a lane of their own.
  await page.getByRole('tab', { name: 'Ladder' }).click();
  await expect(page.getByTestId('ladder-row').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('player-ftp-ladder.png') });
});

test('the player exports the session it shows: pcapng from its own menu', async ({ page }) => {
  const player = await smtpSessionInPlayer(page, [{ send: 'EHLO export.lab.test', expect: '250 SIZE' }]);
  await player.getByTestId('export-menu').locator('summary').click();
  const [download] = await Promise.all([player.waitForEvent('download'), player.getByTestId('export-menu').locator('[data-format="pcapng"]').click()]);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  // A pcapng Section Header Block, little-endian: block type 0x0A0D0D0A, then the byte-order magic 0x1A2B3C4D.
  expect(bytes.subarray(0, 4).toString('hex')).toBe('0a0d0d0a');
  expect(bytes.readUInt32LE(8)).toBe(0x1a2b3c4d);
  expect(bytes.includes(Buffer.from('EHLO export.lab.test'))).toBe(true);
});

test('the bytes view lights the field of a clicked byte, and the bytes of a field pointed at', async ({ page }, testInfo) => {
  const player = await smtpSessionInPlayer(page, [
    { send: 'EHLO bytes.lab.test', expect: '250 SIZE' },
    { send: 'MAIL FROM:<a@b>', expect: 'S: 250 2.1.0 Accepted' },
  ]);
  await transcript(player).locator('li', { hasText: 'MAIL FROM:<a@b>' }).getByRole('button').click();
  await expect(bytesView(player)).toHaveAttribute('data-state', 'ready');
  // "MAIL FROM:<a@b>\r\n": 17 bytes, each drawn in hex and as text.
  await expect(bytesView(player).locator('[data-offset]')).toHaveCount(34);
  await expect(bytesView(player)).toContainText('4d 41 49 4c');

  // The "a" of <a@b> is byte 11: clicking it lights the reverse-path field and all of <a@b>.
  await bytesView(player).locator('[data-offset="11"]').first().click();
  await expect(field(player, 'reverse-path')).toHaveAttribute('data-active', 'true');
  await expect(field(player, 'verb')).not.toHaveAttribute('data-active');
  await expect(bytesView(player).locator('[data-offset][data-active]')).toHaveCount(10);
  await expect(bytesView(player).locator('[data-offset="10"][data-active]')).toHaveCount(2);
  await expect(bytesView(player).locator('[data-offset="14"][data-active]')).toHaveCount(2);
  await player.screenshot({ path: testInfo.outputPath('player-bytes-smtp.png') });

  // And the other way: pointing at the verb in the list lights M A I L.
  await field(player, 'verb').hover();
  await expect(field(player, 'verb')).toHaveAttribute('data-active', 'true');
  await expect(bytesView(player).locator('[data-offset][data-active]')).toHaveCount(8);
  await expect(bytesView(player).locator('[data-offset="0"][data-active]')).toHaveCount(2);
  await expect(bytesView(player).locator('[data-offset="11"][data-active]')).toHaveCount(0);
});

test('the bytes view shows where each ZMTP field lies: a READY\'s flags, size, name and Socket-Type on their own octets', async ({ page, request }, testInfo) => {
  await page.goto('/zmq');
  const tab = page.getByTestId('tab-req');
  const hello = tab.getByRole('button', { name: 'hello 1', exact: true });
  await expect(hello).toBeVisible();
  await hello.click();
  await expect(tab.getByTestId('transcript')).toContainText('"World from');
  // Connections come newest first: the REQ console's own.
  const { connections } = (await (await request.get('/api/connections?protocol=zmq&limit=50')).json()) as { connections: { id: string; label?: string }[] };
  const req = connections.find((c) => c.label === 'REQ console');
  expect(req).toBeDefined();
  await page.goto(`/sessions/${req?.id}`);
  await transcript(page).locator('li', { hasText: 'READY Socket-Type="REQ"' }).getByRole('button').click();
  await expect(bytesView(page)).toHaveAttribute('data-state', 'ready');
  // Every field is on the octets that carry it: none is left "not spelled by any byte" (all were, but "READY").
  await expect(bytesView(page)).not.toContainText('Not spelled by any byte');
  await bytesView(page).locator('[data-offset="0"]').first().click();
  await expect(field(page, 'flags')).toHaveAttribute('data-active', 'true');
  await expect(field(page, 'flags')).toContainText('0x04 (COMMAND)');
  // Socket-Type: its name's length, the name, the value's four-octet length and "REQ": 1 + 11 + 4 + 3 octets.
  await field(page, 'Socket-Type').hover();
  await expect(bytesView(page).locator('[data-offset][data-active]')).toHaveCount(2 * 19);
  await page.screenshot({ path: testInfo.outputPath('player-bytes-zmtp.png') });
});

test("after STARTTLS the eavesdropper's view parses the console's ClientHello from the captured bytes", async ({ page }, testInfo) => {
  const player = await smtpSessionInPlayer(page, [
    { send: 'EHLO tls.lab.test', expect: '250 SIZE' },
    { send: 'STARTTLS', expect: 'S: 220 ' },
    { send: 'EHLO inside.lab.test', expect: 'C: EHLO inside.lab.test' },
  ]);
  // The endpoint view shows what the server read inside TLS; it has no bytes of its own.
  await transcript(player).locator('li', { hasText: 'EHLO inside.lab.test' }).getByRole('button').click();
  await expect(bytesView(player)).toHaveAttribute('data-state', 'none');
  await expect(bytesView(player)).toContainText('no wire bytes');

  await player.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await transcript(player).locator('li', { hasText: 'ClientHello' }).first().getByRole('button').click();
  await expect(bytesView(player)).toHaveAttribute('data-state', 'ready');
  await expect(field(player, 'legacy_record_version')).toContainText('TLS 1.0 (0x0301)');
  await expect(field(player, 'legacy_version')).toContainText('TLS 1.2 (0x0303)');
  await expect(field(player, 'host name')).toContainText('lab.test');
  await expect(field(player, 'extension supported_versions')).toContainText('TLS 1.3');
  // The record version's two bytes explain themselves.
  await bytesView(player).locator('[data-offset="1"]').first().click();
  await expect(field(player, 'legacy_record_version')).toContainText('RFC 8446 §5.1, Appendix D');
  await player.screenshot({ path: testInfo.outputPath('player-bytes-tls.png') });
  // On a projector: larger type, 8 bytes a row, nothing wider than the screen.
  await player.getByRole('button', { name: 'Presenter' }).click();
  await expect(player.locator('html')).toHaveClass(/presenter/);
  await bytesView(player).locator('[data-offset="1"]').first().click();
  expect(await player.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  // The title, the view switch and the lab's link share one row (the title cut, whole in its tooltip), so the
  // terminal and the transcript keep that row's height.
  const title = await player.getByTestId('player-title').boundingBox();
  const views = await player.getByRole('button', { name: 'What an eavesdropper sees' }).boundingBox();
  expect(title && views && Math.abs(title.y + title.height / 2 - (views.y + views.height / 2))).toBeLessThan(8);
  await expect(player.getByTestId('player-title')).toHaveAttribute('title', /^Session player — SMTP · browser console · 127\.0\.0\.1:\d+ → /);
  await player.screenshot({ path: testInfo.outputPath('player-bytes-tls-presenter.png') });
});

test('a live connection: step mode holds the rest at the tap while Back browses what was released', async ({ page }, testInfo) => {
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  try {
    await client.waitFor(/^220 /m);
    await client.command('EHLO live.lab.test');
    // Once students have sandboxes (the classroom specs made some), an unauthenticated session is
    // filed by its first recipient: name the owner's domain so it is this (the default) sandbox's.
    await client.command('MAIL FROM:<live@lab.test>');
    await client.command('RCPT TO:<alice@lab.test>');
    const { connections } = (await (await page.request.get('/api/connections?protocol=smtp&limit=20')).json()) as { connections: { id: string; client: string }[] };
    const mine = connections.find((c) => c.client.endsWith(`:${client.socket.localPort}`));
    expect(mine).toBeDefined();
    await page.goto(`/sessions/${mine?.id}`);
    await expect(transcript(page)).toContainText('EHLO live.lab.test');
    await expect(page.getByTestId('session-state')).toHaveText('live');
    await expect(page.getByTestId('player-step-console-note')).toHaveCount(0);

    // Hold this sandbox's external clients, then send a command: it waits at the tap.
    await page.getByLabel('Step mode').click();
    await expect(page.getByLabel('Step mode')).toBeChecked();
    client.send('NOOP');
    await expect(page.getByTestId('held-count')).toHaveText('1 held');
    const count = await page.getByTestId('message-count').textContent();

    // Back browses the released messages; the held NOOP stays out of the timeline.
    await page.keyboard.press('Home');
    await expect(jump(page)).toHaveValue('1');
    await expect(terminal(page)).not.toContainText('C: EHLO');
    await expect(page.getByTestId('message-count')).toHaveText(count ?? '');

    // Released, it appends to the timeline while the selection stays where the user went.
    await page.getByRole('button', { name: 'Step ▸' }).click();
    await expect(transcript(page)).not.toContainText('NOOP');
    await expect(page.getByTestId('message-count')).not.toHaveText(count ?? '');
    await expect(jump(page)).toHaveValue('1');
    await page.screenshot({ path: testInfo.outputPath('player-live-step.png') });
    await page.keyboard.press('End');
    await expect(terminal(page)).toContainText('C: NOOP');
    await page.getByLabel('Step mode').click();
    await expect(page.getByLabel('Step mode')).not.toBeChecked();
    await client.waitFor(/^250 /m);
  } finally {
    client.close();
  }
});

test('a message selected in a lab transcript opens the player at that message (every lab page, whatever its connection list)', async ({ page }) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(page, 'EHLO link.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  await type(page, 'MAIL FROM:<linked@lab.test>\n');
  await expect(terminal(page)).toContainText('S: 250 2.1.0 Accepted');
  await transcript(page).locator('li', { hasText: 'MAIL FROM:<linked@lab.test>' }).getByRole('button').first().click();
  const link = page.getByTestId('open-in-player');
  const [player] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await expect(player).toHaveURL(/\/sessions\/smtp-[A-Za-z0-9_-]+\?msg=\d+$/);
  await expect(player.getByTestId('message-detail')).toContainText(`#${urlSeq(player)} · command`);
  await expect(player.getByTestId('message-detail')).toContainText('reverse-path');
  await expect(terminal(player)).toContainText('C: MAIL FROM:<linked@lab.test>');
  await expect(terminal(player)).not.toContainText('S: 250 2.1.0 Accepted');
});

/** One exec over SSH with ssh2's client, as any SSH client would run it; resolves with the connection's client port. */
function sshExec(command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(process.env.SSH_PORT), '127.0.0.1');
    const client = new ssh2.Client();
    client.once('error', reject);
    client.once('ready', () =>
      client.exec(command, (err, stream) => {
        if (err) return reject(err);
        stream.resume();
        stream.once('close', () => {
          client.end();
          resolve(sock.localPort ?? 0);
        });
      }),
    );
    sock.once('connect', () => client.connect({ sock, username: 'student', password: 'e2e-password', hostVerifier: () => true }));
  });
}

test("an SSH session in the player: the server's own record of the key exchange is badged as sent in clear, what follows NEWKEYS as decrypted", async ({ page, request }, testInfo) => {
  const port = await sshExec('echo badges');
  const { connections } = (await (await request.get('/api/connections?protocol=ssh&limit=50')).json()) as { connections: { id: string; client: string }[] };
  const session = connections.find((c) => c.client.endsWith(`:${port}`));
  expect(session).toBeDefined();
  const { messages } = (await (await request.get(`/api/connections/${session?.id}`)).json()) as { messages: { seq: number; view: string; dir: string; text: string }[] };
  const seqOf = (pred: (m: { view: string; dir: string; text: string }) => boolean) => messages.find((m) => m.view === 'endpoint' && pred(m))?.seq;
  const selectedRow = transcript(page).locator('li:has(button[aria-expanded="true"])');

  // The server's KEX_ECDH_REPLY: the endpoint view's record of a packet an eavesdropper read as well.
  await page.goto(`/sessions/${session?.id}?msg=${seqOf((m) => m.text.startsWith('KEX_ECDH_REPLY'))}`);
  await expect(selectedRow).toContainText('KEX_ECDH_REPLY');
  await expect(selectedRow.getByTestId('message-badge')).toHaveText('sent in clear');
  await expect(page.getByTestId('message-detail')).toContainText('seen by the server; it crossed the wire in clear');
  await expect(page.getByTestId('bytes-view')).toContainText('sent in clear');
  await page.screenshot({ path: testInfo.outputPath('player-ssh-in-clear.png') });

  // After each side's NEWKEYS the same view holds what only the endpoints could read.
  await page.goto(`/sessions/${session?.id}?msg=${seqOf((m) => m.text === 'USERAUTH_SUCCESS')}`);
  await expect(selectedRow).toContainText('USERAUTH_SUCCESS');
  await expect(selectedRow.getByTestId('message-badge')).toHaveText('decrypted');
  await expect(page.getByTestId('message-detail')).toContainText('seen by the server after decryption');

  // A lab note never crossed the wire: no badge, and it says so.
  await page.goto(`/sessions/${session?.id}?msg=${seqOf((m) => m.dir === 'note')}`);
  await expect(page.getByTestId('message-detail')).toContainText('a lab note, not on the wire');
  await expect(selectedRow.getByTestId('message-badge')).toHaveCount(0);
});

test('a session of a thousand messages: "message N" shows all four digits of N, in normal and Presenter type', async ({ page, request }) => {
  // 600 NOOPs, pipelined by the hundred, and their 250s: 1,200+ messages, all stored (LAB_TRANSCRIPT_MESSAGES is 6000 in the e2e lab).
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  const local = `127.0.0.1:${client.socket.localPort}`;
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO many.example');
  // Once students have sandboxes (the classroom specs made some), an unauthenticated session is filed by its
  // first recipient: name the owner's domain so it is this (the default) sandbox's.
  await client.command('MAIL FROM:<many@lab.test>');
  await client.command('RCPT TO:<alice@lab.test>');
  for (let i = 0; i < 6; i++) {
    client.write('NOOP\r\n'.repeat(100));
    for (let j = 0; j < 100; j++) await client.waitFor(/^250 2\.0\.0 OK\r\n/m);
  }
  await client.command('QUIT');
  await client.whenClosed();
  const { connections } = (await (await request.get('/api/connections?protocol=smtp&limit=50')).json()) as { connections: { id: string; client: string }[] };
  const session = connections.find((c) => c.client === local);
  expect(session).toBeDefined();

  await page.goto(`/sessions/${session?.id}?msg=1188`);
  await expect(jump(page)).toHaveValue('1188');
  // The number fits its box beside the spin buttons: nothing scrolls out of sight.
  const fits = () => jump(page).evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(await fits()).toBe(true);
  // The smallest desk type: the spin buttons keep their width while the digits shrink.
  const smaller = page.getByRole('button', { name: 'A−' });
  while (await smaller.isEnabled()) await smaller.click();
  expect(await fits()).toBe(true);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  expect(await fits()).toBe(true);
});

test('an FTP session with 120 data connections plays whole: the control connection and every listing, in wire order', async ({ page }) => {
  // A script listing a directory again and again (or a mirror of many files): one data connection per listing.
  const client = new FtpClient(15_000);
  await client.access({ host: '127.0.0.1', port: Number(process.env.FTP_PORT), user: 'student', password: process.env.LAB_PASSWORD });
  const local = `127.0.0.1:${client.ftp.socket.localPort}`;
  for (let i = 0; i < 120; i++) await client.list();
  client.close();
  const { connections } = (await (await page.request.get('/api/connections?protocol=ftp&limit=200')).json()) as { connections: { id: string; client: string; parent?: string }[] };
  const control = connections.find((c) => c.client === local && !c.parent);
  expect(control).toBeDefined();
  expect(connections.filter((c) => c.parent === control?.id)).toHaveLength(120);

  await page.goto(`/sessions/${control?.id}`);
  await expect(page.getByTestId('session-player')).toContainText('+ 120 linked connections');
  // Every message: the control connection's and the 120 data connections' (each at least its open note and its listing).
  await expect.poll(async () => Number((await page.getByTestId('message-count').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(120 * 2);
  await page.getByRole('button', { name: 'First message' }).click();
  await expect(page.getByTestId('message-detail')).toContainText('#1 · reply');
  await expect(transcript(page)).toContainText('220');
});
