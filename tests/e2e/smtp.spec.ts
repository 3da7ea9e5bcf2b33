import { expect, test, type Page } from '@playwright/test';
import { LineClient } from '../helpers/line-client';
import { stepThrough, terminal, transcript, type } from './console';


// Step mode is lab-wide state in the daemon: every test starts with it off.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
});

async function openSmtpLab(page: Page) {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
}

test('the home page lists the labs and opens the SMTP lab', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Protocol Lab' })).toBeVisible();
  await expect(page.getByTestId('lab-smtp')).toContainText('live');
  await page.getByTestId('lab-smtp').click();
  await expect(page).toHaveURL(/\/smtp$/);
  await expect(terminal(page)).toContainText('S: 220 ');
});

test('EHLO typed in the terminal is answered 250 and explained in terminal and transcript', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('S: 250-');
  await expect(terminal(page)).toContainText('250-STARTTLS');
  await expect(terminal(page)).toContainText('↳ 250 EHLO reply');
  const row = transcript(page).locator('li', { hasText: '250-' }).first();
  await expect(row).toContainText('EHLO reply');
  // Clicking the row expands the extension fields.
  await row.getByRole('button').click();
  await expect(page.getByTestId('message-detail')).toContainText('PIPELINING');
  await expect(page.getByTestId('message-detail')).toContainText('RFC 5321');
  await page.screenshot({ path: testInfo.outputPath('smtp-ehlo.png') });
});

test('a whole mail sent by hand arrives in the mailbox panel', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await expect(terminal(page)).toContainText('S: 250 2.1.0 Accepted');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await type(page, 'RCPT TO:<someone@example.com>\n');
  await expect(terminal(page)).toContainText('550 5.7.1');
  await type(page, 'DATA\n');
  await expect(terminal(page)).toContainText('S: 354 ');
  await type(page, 'Subject: Typed by hand in e2e\n\nHello Alice.\n.\n');
  await expect(terminal(page)).toContainText('queued in the lab mailbox');
  // A few more mails from a real client, so the list is longer than the panel.
  for (let i = 0; i < 5; i++) {
    const client = await LineClient.connect(Number(process.env.SMTP_PORT));
    await client.waitFor(/^220 .*\r\n/m);
    for (const line of ['EHLO filler.test', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<bob@lab.test>', 'DATA']) await client.command(line);
    await client.command(`Subject: filler ${i}\r\n\r\nfiller\r\n.`);
    await client.command('QUIT');
    await client.whenClosed();
  }
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toContainText('filler 4');
  await mailbox.getByText('Typed by hand in e2e').click();
  // The open mail has the panel's room: its body reads at 1280×720 without scrolling the panel.
  await expect(mailbox.getByText('Hello Alice.')).toBeInViewport();
  await type(page, 'QUIT\n');
  await expect(terminal(page)).toContainText('S: 221 ');
  await page.screenshot({ path: testInfo.outputPath('smtp-mailbox.png') });
});

test('an open mail shows its whole subject and names its envelope (MAIL FROM, RCPT TO) and arrival as such, not as the header From/To/Date', async ({ page }) => {
  await openSmtpLab(page);
  // Envelope and header section disagree, as with a mailing list or a Bcc: the mailbox must not blur them.
  const subject = 'Envelope versus header fields, a subject long enough to be cut short in the list of mails';
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  await client.waitFor(/^220 .*\r\n/m);
  for (const line of ['EHLO e2e.test', 'MAIL FROM:<bounces@lab.test>', 'RCPT TO:<alice@lab.test>', 'RCPT TO:<bob@lab.test>', 'DATA']) await client.command(line);
  await client.command(`From: The Teacher <teacher@lab.test>\r\nTo: Alice <alice@lab.test>\r\nDate: Tue, 1 Jan 2002 10:00:00 +0100\r\nSubject: ${subject}\r\n\r\nBob is a Bcc.\r\n.`);
  await client.command('QUIT');
  await client.whenClosed();

  const mailbox = page.getByTestId('mailbox');
  await mailbox.getByText(subject).click();
  await expect(mailbox.getByText('Bob is a Bcc.')).toBeVisible();
  const field = (name: string) => mailbox.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
  await expect(field('Subject')).toHaveText(subject);
  await expect(field('Envelope')).toHaveText('MAIL FROM bounces@lab.test RCPT TO alice@lab.test, bob@lab.test');
  await expect(field('Received')).toBeVisible();
  // The header's From:, To: and Date: are the author's words, not these; no row claims to be them.
  await expect(mailbox.locator('dt', { hasText: /^(From|To|Date)$/ })).toHaveCount(0);
});

test('the mail opened from low in the list stays in sight when the list shrinks to make room for it', async ({ page }) => {
  await openSmtpLab(page);
  for (let i = 0; i < 4; i++) {
    const client = await LineClient.connect(Number(process.env.SMTP_PORT));
    await client.waitFor(/^220 .*\r\n/m);
    for (const line of ['EHLO e2e.test', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<bob@lab.test>', 'DATA']) await client.command(line);
    await client.command(`Subject: shrink ${i}\r\n\r\nbody ${i}\r\n.`);
    await client.command('QUIT');
    await client.whenClosed();
  }
  const mailbox = page.getByTestId('mailbox');
  // Newest first: "shrink 0" is the lowest of the four, near the bottom of the list as it stands.
  const row = mailbox.getByTestId('mail-list').getByRole('button', { name: /shrink 0/ });
  await expect(row).toBeInViewport();
  await row.click();
  await expect(mailbox.getByText('body 0')).toBeVisible();
  // The list is cut to a third of the panel: the highlighted row must not be scrolled out of it.
  await expect(row).toBeInViewport({ ratio: 0.9 });
});

test('a command typed past the console\'s width shows once while typed, and ← edits inside it', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  // Two rows and more at the desk's width; the "s" of ".test" typed last, after two ←.
  const address = `${'student.'.repeat(12)}name@lab.test`;
  await type(page, `MAIL FROM:<${address.slice(0, -2)}${address.slice(-1)}>`);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('s');
  const shown = await terminal(page).innerText();
  expect(shown.match(/MAIL FROM:</g) ?? []).toHaveLength(1);
  await page.screenshot({ path: testInfo.outputPath('smtp-long-line.png') });
  await page.keyboard.press('Enter');
  await expect(transcript(page)).toContainText(`MAIL FROM:<${address}>`);
});

test('step mode holds each message at the tap until Step releases it', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await stepThrough(page, 'NOOP', 'S: 250 2.0.0 OK', async () => {
    await page.screenshot({ path: testInfo.outputPath('smtp-step-held.png') });
  });
});

test('in Presenter mode a held command reads in full, and the faults and the sandbox stay on screen', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  await stepThrough(page, 'MAIL FROM:<student@lab.test>', 'S: 250 ', async () => {
    const held = page.getByTestId('held-next').locator('code');
    expect(await held.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    for (const id of ['faults-button', 'sandbox-chip']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 1280, id).toBe(true);
    }
    await page.screenshot({ path: testInfo.outputPath('smtp-held-presenter.png') });
  });
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
});

test('a held message never moves the page: in Presenter mode the console stays put while a long command is held and released', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  await page.getByLabel('What to hold').selectOption('own');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  const consoleTop = async () => (await page.getByTestId('terminal').boundingBox())?.y;
  const before = await consoleTop();
  const command = 'MAIL FROM:<a.rather.long.address.of.a.student@a-long-domain-name.lab.test>';
  await type(page, `${command}\n`);
  await expect(page.getByTestId('held-count')).toHaveText('1 held');
  await expect(page.getByTestId('held-next')).toContainText(command);
  // Read in full, and the console did not move down to make room for it.
  const held = page.getByTestId('held-next').locator('code');
  expect(await held.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(await consoleTop()).toBe(before);
  await page.screenshot({ path: testInfo.outputPath('smtp-held-long-presenter.png') });
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(page.getByTestId('held-next')).toContainText('S: 503');
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(page.getByTestId('held-count')).toHaveText('0 held');
  await expect(terminal(page)).toContainText('S: 503');
  expect(await consoleTop()).toBe(before);
  await page.getByLabel('Step mode').click();
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
});

test('after STARTTLS the eavesdropper sees only TLS records while the endpoint view goes on', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  await type(page, 'STARTTLS\n');
  await expect(terminal(page)).toContainText('S: 220 ');
  await type(page, 'EHLO secret-name.lab.test\n');
  await expect(terminal(page)).toContainText('C: EHLO secret-name.lab.test');
  await page.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await expect(terminal(page)).toContainText('TLS record');
  await expect(terminal(page)).not.toContainText('secret-name');
  await page.screenshot({ path: testInfo.outputPath('smtp-eavesdropper.png') });
  await page.getByRole('button', { name: 'Endpoint view' }).click();
  await expect(terminal(page)).toContainText('secret-name');
});

test('presenter mode and A+ make the type larger', async ({ page }, testInfo) => {
  await openSmtpLab(page);
  await expect(page.getByTestId('font-size')).toHaveText('14px');
  await page.getByRole('button', { name: 'Larger text' }).click();
  await expect(page.getByTestId('font-size')).toHaveText('15px');
  // Presenter mode keeps its own, larger size (20px unless changed there); leaving it restores the desk size.
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await page.screenshot({ path: testInfo.outputPath('smtp-presenter.png') });
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.getByTestId('font-size')).toHaveText('15px');
});

test('in Presenter mode A− works down to 16px and says why it stops; the page never scrolls sideways', async ({ page }) => {
  await openSmtpLab(page);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  for (const size of [19, 18, 17, 16]) {
    await page.getByRole('button', { name: 'Smaller text' }).click();
    await expect(page.getByTestId('font-size')).toHaveText(`${size}px`);
  }
  await expect(page.getByRole('button', { name: 'Smaller text' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Smaller text' })).toHaveAttribute('title', /Presenter mode keeps text at 16px/);
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Larger text' }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  // A long EHLO reply selected in the transcript used to widen the page past the viewport.
  await type(page, 'EHLO presenter.example\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  await transcript(page).locator('li', { hasText: '250-' }).first().click();
  await expect(page.getByTestId('message-detail')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
});

test('a click into the console to type selects nothing; a click on a line once typing selects its message', async ({ page }) => {
  await openSmtpLab(page);
  const greeting = terminal(page).locator('div', { hasText: /^S: 220 / }).first();
  // Where a user clicks on the greeting's line (xterm's screen layer takes the pointer events).
  const clickGreeting = async () => {
    const box = await greeting.boundingBox();
    if (!box) throw new Error('the greeting is not drawn');
    await page.mouse.click(box.x + 24, box.y + box.height / 2);
  };
  // The first click only gives the console the keyboard, wherever it lands.
  await clickGreeting();
  await page.keyboard.type('NOOP\n');
  await expect(terminal(page)).toContainText('S: 250 2.0.0 OK');
  await expect(transcript(page).locator('[aria-expanded="true"]')).toHaveCount(0);
  // With the keyboard already there, a click on the greeting's line selects the greeting.
  await clickGreeting();
  await expect(transcript(page).locator('li', { has: page.locator('[aria-expanded="true"]') })).toContainText('220 ');
});

test('the transcript keeps following the newest message when Presenter mode makes its rows taller', async ({ page }) => {
  await openSmtpLab(page);
  const rows = transcript(page).locator('li');
  // One click gives the console the keyboard (and selects nothing); then only keys, so no message is selected.
  await page.getByTestId('terminal').click();
  for (let i = 0; i < 8; i++) {
    const before = await rows.count();
    await page.keyboard.type('NOOP\n');
    await expect.poll(() => rows.count()).toBe(before + 2);
  }
  expect(await transcript(page).evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  const fromBottom = () => transcript(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  await expect.poll(fromBottom).toBeLessThan(2);
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
});

test('the console shows QUIT and 221 before "Connection closed", in wire order', async ({ page }) => {
  await openSmtpLab(page);
  await type(page, 'QUIT\n');
  await expect(terminal(page)).toContainText('Connection closed');
  const text = (await terminal(page).textContent()) ?? '';
  const quit = text.indexOf('C: QUIT');
  const bye = text.indexOf('S: 221 ');
  expect(quit).toBeGreaterThanOrEqual(0);
  expect(bye).toBeGreaterThan(quit);
  expect(text.indexOf('Connection closed')).toBeGreaterThan(bye);
  // The status line folds at spaces, also at Presenter mode's width: no word cut in two across rows.
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const statusRows = async () => {
    const rows = await terminal(page).locator(':scope > div').allTextContents();
    const at = rows.findIndex((row) => row.includes('Connection closed'));
    return at < 0 ? '' : rows.slice(at, at + 3).map((row) => row.trimEnd()).filter(Boolean).join(' ');
  };
  // Once the console has written itself again for the new width (xterm's own reflow cuts words meanwhile).
  await expect.poll(statusRows).toContain('Connection closed. Press Reconnect to start a new session.');
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test('a script that connects again and again is one folded line in the connection list, opened by a click', async ({ page }) => {
  // Five quick sessions alike, as a loop in a script makes them (named to this sandbox by the recipient).
  for (let i = 0; i < 5; i++) {
    const client = await LineClient.connect(Number(process.env.SMTP_PORT));
    await client.waitFor(/^220 /m);
    await client.command('EHLO loop.lab.test');
    await client.command('MAIL FROM:<loop@lab.test>');
    await client.command('RCPT TO:<alice@lab.test>');
    await client.command('QUIT');
    await client.whenClosed();
  }
  const { connections } = (await (await page.request.get('/api/connections?protocol=smtp&limit=5')).json()) as { connections: { id: string }[] };
  const loop = new Set(connections.map((c) => c.id));
  await page.goto('/smtp');
  await page.getByRole('tab', { name: 'Connections', exact: true }).click();
  const list = page.getByTestId('connection-list');
  // The fold under this loop's newest session (the page consoles of earlier tests may make a run of their own).
  const run = list.locator(`li[data-conn="${connections[0].id}"] + li[data-testid="connection-repeats"]`);
  await expect(run.getByRole('button')).toHaveText(/^▸ 5 alike connections from 127\.0\.0\.1 in [\d.]+ s — a client retrying\? 4 more$/);
  // Which of the five the list shows: folded, the newest alone; opened, all of them.
  const shown = async () => (await list.locator('li[data-conn]').evaluateAll((els) => els.map((e) => e.getAttribute('data-conn') ?? ''))).filter((id) => loop.has(id));
  await expect.poll(shown).toEqual([connections[0].id]);
  await run.getByRole('button').click();
  await expect.poll(shown).toEqual(connections.map((c) => c.id));
});


test('a client\'s right-to-left override shows as \\u{202E} in the terminal and the transcript, with a note naming it', async ({ page }, testInfo) => {
  // A hostile client: wherever the override is obeyed this reads "MAIL FROM:<admin@lab.test>".
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  await client.waitFor(/^220 /m);
  await client.command('EHLO trojan.lab.test');
  client.write(Buffer.from('MAIL FROM:<\u202Etset.bal@nimda>\r\n', 'utf8'));
  await client.waitFor(/^250 /m);
  await client.command('RCPT TO:<alice@lab.test>');
  await client.command('DATA');
  // A subject that reads "invoice_exe.pdf" where the override is obeyed.
  client.write(Buffer.from('Subject: invoice_\u202Efdp.exe\r\n\r\nnot a pdf\r\n.\r\n', 'utf8'));
  await client.waitFor(/^250 /m);
  await client.command('QUIT');
  await client.whenClosed();
  const { connections } = (await (await page.request.get('/api/connections?protocol=smtp&limit=1')).json()) as { connections: { id: string }[] };
  const { messages } = (await (await page.request.get(`/api/connections/${connections[0].id}`)).json()) as { messages: { id: string; text: string }[] };
  const mailFrom = messages.find((m) => m.text.startsWith('MAIL FROM'));
  // The shared link selects the line, so the terminal shows it whatever came after.
  await page.goto(`/smtp?conn=${connections[0].id}&msg=${mailFrom?.id}`);
  await expect(terminal(page)).toContainText('C: MAIL FROM:<\\u{202E}tset.bal@nimda>');
  await expect(terminal(page)).toContainText('This line holds U+202E RIGHT-TO-LEFT OVERRIDE, shown as \\u{202E}');
  expect(await terminal(page).textContent()).not.toContain('\u202E');
  const row = transcript(page).locator('li', { hasText: 'MAIL FROM' }).first();
  await expect(row).toContainText('MAIL FROM:<\\u{202E}tset.bal@nimda>');
  expect(await transcript(page).textContent()).not.toContain('\u202E');
  await page.screenshot({ path: testInfo.outputPath('smtp-bidi.png') });
  // The mailbox lists the subject marked, and its Source tab shows the stored bytes escaped for display.
  const mailbox = page.getByTestId('mailbox');
  await mailbox.getByText('invoice_\\u{202E}fdp.exe').first().click();
  await mailbox.getByRole('tab', { name: 'Source' }).click();
  await expect(mailbox.locator('pre')).toContainText('Subject: invoice_\\u{202E}fdp.exe');
  expect(await mailbox.textContent()).not.toContain('\u202E');
});
