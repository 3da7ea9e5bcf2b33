import { expect, test, type Page } from '@playwright/test';
import { stepThrough, terminal, transcript, type } from './console';


// The firewall and step mode are lab-wide state in the daemon: every test starts with both off.
test.beforeEach(async ({ request }) => {
  await request.post('/api/ftp/firewall', { data: { enabled: false } });
  await request.post('/api/step/ftp', { data: { enabled: false } });
});

async function openFtpLab(page: Page) {
  await page.goto('/ftp');
  await expect(terminal(page)).toContainText('S: 220', { timeout: 20_000 });
  // A normal load connects; it never passes through "Lost contact".
  await expect(page.getByText('Lost contact with the lab daemon')).toHaveCount(0);
  // "Connecting…" is a status line: gone once connected, not left in the scrollback after the
  // console's introduction (it was written again under every batch of lines that came meanwhile).
  await expect(terminal(page)).not.toContainText('Connecting…');
}

/** The terminal shows `texts` in this order (each once at least; the first occurrence counts). */
async function expectInOrder(page: Page, texts: string[]) {
  await expect
    .poll(async () => {
      const shown = (await terminal(page).innerText()).replace(/\s+/g, ' ');
      const at = texts.map((text) => shown.indexOf(text));
      return at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1])) ? 'in order' : texts.map((t, n) => `${t}@${at[n]}`).join(', ');
    })
    .toBe('in order');
}

async function logIn(page: Page) {
  await type(page, 'USER student\n');
  await expect(terminal(page)).toContainText('S: 331');
  await type(page, 'PASS e2e-password\n');
  await expect(terminal(page)).toContainText('S: 230');
}

test('log in, PASV + LIST, and see the data connection as its own lane', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await logIn(page);
  await type(page, 'PASV\n');
  await expect(terminal(page)).toContainText('S: 227');
  // The lab connects to the announced port at once, as curl and ftplib do.
  await expectInOrder(page, ['S: 227', 'The lab connects to 127.0.0.1:', 'Data connection opened']);
  await type(page, 'LIST\n');
  // On screen as on the wire: the data connection closes (end of the listing), then 226.
  await expectInOrder(page, ['Data connection opened', 'C: LIST', 'S: 150', 'Data connection closed by the server', 'README.txt', 'S: 226']);
  await type(page, 'PASV\n');
  await expect(terminal(page)).toContainText('Data connection opened', { timeout: 10_000 });
  await type(page, 'RETR README.txt\n');
  await expectInOrder(page, ['C: RETR README.txt', 'S: 150', 'Data connection closed by the server', 'Welcome to your Protocol Lab sandbox.', 'S: 226']);
  await page.screenshot({ path: testInfo.outputPath('ftp-console-list-retr.png') });
  const lane = page.getByTestId('data-lane').first();
  await expect(lane).toContainText('LIST');
  await expect(lane).toContainText('passive (PASV)');
  await expect(lane).toContainText('150 → 226');
  await expect(lane).toContainText('who connected: client 127.0.0.1:');
  await page.screenshot({ path: testInfo.outputPath('ftp-channels.png') });
  await lane.click();
  await expect(page.getByRole('tab', { name: 'Transcript' })).toHaveAttribute('aria-selected', 'true');
  await expect(transcript(page)).toContainText('Passive data connection');
  await expect(transcript(page)).toContainText('Data connection closed');
  await page.screenshot({ path: testInfo.outputPath('ftp-data-transcript.png') });
  // On a projector the narrower column folds the title bar rather than cut the data connection's name.
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const title = page.getByTestId('transcript-title');
  await expect(title).toContainText('Transcript — ');
  expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth + 1)).toBe(false);
  await page.screenshot({ path: testInfo.outputPath('ftp-data-transcript-presenter.png') });
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test('after an unused PASV the Channels lanes keep their own commands: PASV, PASV, LIST, PASV, RETR', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await logIn(page);
  // Each data connection the lab opens after a 227 is a lane at once (the terminal scrolls its notes away).
  const opened = (n: number) => expect(page.getByTestId('data-lane')).toHaveCount(n);
  await type(page, 'PASV\n');
  await opened(1);
  await type(page, 'PASV\n');
  await opened(2);
  await type(page, 'LIST\n');
  await expect(page.getByTestId('data-lane').nth(1)).toContainText('150 → 226');
  await type(page, 'PASV\n');
  await opened(3);
  await type(page, 'RETR README.txt\n');
  await expect(page.getByTestId('data-lane').nth(2)).toContainText('150 → 226');
  const lanes = page.getByTestId('data-lane');
  await expect(lanes).toHaveCount(3);
  // The first PASV's connection carried nothing: the server closed it when the second PASV came.
  await expect(lanes.nth(0)).toContainText('data connection');
  await expect(lanes.nth(0)).not.toContainText('LIST');
  await expect(lanes.nth(0)).not.toContainText('150 →');
  await expect(lanes.nth(0)).toContainText('closed unused: no transfer');
  await expect(lanes.nth(1)).toContainText('LIST');
  await expect(lanes.nth(1)).toContainText('150 → 226');
  await expect(lanes.nth(2)).toContainText('RETR README.txt');
  await expect(lanes.nth(2)).toContainText('150 → 226');
  await page.screenshot({ path: testInfo.outputPath('ftp-channels-unused-pasv.png') });
});

test('client mode: ls shows each raw command and opens a data lane', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await page.getByRole('button', { name: 'Client mode' }).click();
  await expect(terminal(page)).toContainText('Friendly client mode');
  await type(page, 'open\n');
  // The terminal shows only its viewport: wait for the last line of the login sequence.
  await expect(terminal(page)).toContainText('S: 200 UTF8 encoding on');
  await type(page, 'ls\n');
  await expect(terminal(page)).toContainText('S: 226');
  // The relay's note before 226, the client's own listing after it: as it happened.
  await expectInOrder(page, ['C: LIST', 'S: 150', 'Data connection closed by the server', 'S: 226', 'ls: ']);
  const lane = page.getByTestId('data-lane').first();
  await expect(lane).toContainText('LIST');
  await expect(lane).toContainText('passive (EPSV)');
  await page.getByRole('tab', { name: 'Transcript' }).click();
  await expect(transcript(page)).toContainText('EPSV');
  await page.getByRole('tab', { name: 'Channels' }).click();
  await page.screenshot({ path: testInfo.outputPath('ftp-client-mode.png') });
});

test('upload a file with a progress bar, then find it in the listing', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByLabel('File to upload').setInputFiles({ name: 'e2e-upload.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(300_000, 7) });
  const progress = page.getByTestId('upload-progress');
  await expect(progress).toContainText('Stored');
  await expect(page.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('file-list')).toContainText('e2e-upload.bin');
  await page.screenshot({ path: testInfo.outputPath('ftp-upload.png') });
  await progress.getByRole('button', { name: 'show its channels' }).click();
  await expect(page.getByTestId('data-lane').filter({ hasText: 'STOR e2e-upload.bin' })).toContainText('226');
});

test('the file panel makes a folder, uploads into it, renames and deletes, each a real FTP command (MKD, STOR, RNFR/RNTO, DELE, RMD)', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await page.getByRole('tab', { name: 'Files' }).click();
  const files = page.getByTestId('file-list');
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('New folder name').fill('e2e-box');
  await page.getByRole('button', { name: 'Create (MKD)' }).click();
  await files.getByRole('button', { name: 'e2e-box/', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Path' })).toContainText('e2e-box');
  await page.getByLabel('File to upload').setInputFiles({ name: 'inner.txt', mimeType: 'text/plain', buffer: Buffer.from('in a folder\n') });
  await expect(page.getByTestId('upload-progress')).toContainText('Stored');
  const inner = files.locator('tr', { hasText: 'inner.txt' });
  // LIST gives each entry's time as text ("Dec 07 00:51"), shown as the server wrote it.
  await expect(inner).toContainText(/[A-Z][a-z]{2} +\d{1,2} +(\d{2}:\d{2}|\d{4})/);
  await inner.hover();
  await inner.getByRole('button', { name: 'Rename inner.txt', exact: true }).click();
  await page.getByLabel('New name for inner.txt').fill('renamed.txt');
  await page.getByLabel('New name for inner.txt').press('Enter');
  const renamed = files.locator('tr', { hasText: 'renamed.txt' });
  await expect(renamed).toBeVisible();
  await renamed.hover();
  await renamed.getByRole('button', { name: 'Delete renamed.txt', exact: true }).click();
  await renamed.getByRole('button', { name: 'Delete (DELE)' }).click();
  await expect(files.locator('tr', { hasText: 'renamed.txt' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: '~' }).click();
  const box = files.locator('tr', { hasText: 'e2e-box' });
  await box.hover();
  await box.getByRole('button', { name: 'Delete e2e-box', exact: true }).click();
  await box.getByRole('button', { name: 'Delete (RMD)' }).click();
  await expect(files.locator('tr', { hasText: 'e2e-box' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('ftp-file-panel-folders.png') });
  // The panel's own session, in the connection list by name, carried each command.
  const { connections } = (await (await page.request.get('/api/connections?protocol=ftp&limit=50')).json()) as { connections: { id: string; label?: string }[] };
  const panel = connections.find((c) => c.label === 'ftp file panel');
  expect(panel).toBeDefined();
  const { messages } = (await (await page.request.get(`/api/connections/${panel?.id}?limit=500`)).json()) as { messages: { dir: string; kind: string; text: string }[] };
  const commands = messages.filter((m) => m.dir === 'client' && m.kind === 'command').map((m) => m.text);
  expect(commands).toEqual(expect.arrayContaining(['MKD /e2e-box', 'LIST -a /e2e-box', 'RNFR /e2e-box/inner.txt', 'RNTO /e2e-box/renamed.txt', 'DELE /e2e-box/renamed.txt', 'RMD /e2e-box']));
});

test('step mode holds each control message at the tap until Step releases it', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await stepThrough(page, 'NOOP', 'S: 200', async () => {
    // At 1280×720 the toolbar keeps to two rows, and what is held reads in full (nothing cut off).
    const toolbar = await page.getByTestId('ftp-toolbar').boundingBox();
    expect(toolbar?.height ?? 0).toBeLessThan(90);
    const chip = page.getByTestId('held-next').locator('code');
    expect(await chip.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: testInfo.outputPath('ftp-step-held.png') });
  });
});

test('step mode holds the data connection of a LIST too: the listing waits at the tap until Step', async ({ page }) => {
  await openFtpLab(page);
  await logIn(page);
  await type(page, 'PASV\n');
  await expect(terminal(page)).toContainText('Data connection opened', { timeout: 10_000 });
  await page.getByLabel('What to hold').selectOption('own');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await type(page, 'LIST\n');
  // Step through LIST and 150 until what is held is on the data connection (a child of this console's).
  const held = page.getByTestId('held-next');
  for (let i = 0; i < 6; i++) {
    await expect(held).toBeVisible();
    const shown = await held.innerText();
    if (shown.includes('data (passive')) break;
    await page.getByRole('button', { name: 'Step ▸' }).click();
    // The chip moves on before the next look, so no Step goes past the data connection unseen. Compared as
    // innerText, like `shown`: toHaveText's default (textContent) drops the line breaks between the chip's
    // parts, so it never equalled `shown` and did not wait (the next look could still see the old message).
    await expect(held).not.toHaveText(shown, { useInnerText: true });
  }
  await expect(held).toContainText('data (passive');
  await expect(terminal(page)).toContainText('S: 150');
  await expect(terminal(page)).not.toContainText('S: 226');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).not.toBeChecked();
  await expectInOrder(page, ['S: 150', 'Data connection closed by the server', 'README.txt', 'S: 226']);
});

test('with the client firewall on, active mode fails with 425', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await page.getByRole('switch', { name: /Client Firewall/i }).click();
  await expect(page.getByRole('switch', { name: /Client Firewall/i })).toContainText('on');
  await expect(page.getByTestId('firewall-note')).toContainText('425');
  await logIn(page);
  await type(page, 'PORT\n');
  await expect(terminal(page)).toContainText('S: 200');
  await type(page, 'LIST\n');
  await expect(terminal(page)).toContainText('S: 425');
  const lane = page.getByTestId('data-lane').first();
  await expect(lane).toContainText('active (PORT/EPRT)');
  await expect(lane).toContainText('425');
  await expect(lane).toContainText('firewall');
  await page.screenshot({ path: testInfo.outputPath('ftp-firewall-425.png') });
  // Passive still works behind the same firewall.
  await type(page, 'PASV\n');
  await expect(terminal(page)).toContainText('S: 227');
  await type(page, 'LIST\n');
  await expect(terminal(page)).toContainText('S: 226');
});

test('FTPS: the eavesdropper sees USER/PASS in plain FTP but only TLS records after AUTH TLS', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await logIn(page);
  await page.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await expect(page.getByTestId('wire-hint')).toBeVisible();
  await expect(terminal(page)).toContainText('C: USER student');
  // The eavesdropper reads the password exactly as typed (the annotation says it is the lab password).
  await expect(terminal(page)).toContainText('C: PASS e2e-password');
  await page.screenshot({ path: testInfo.outputPath('ftp-plain-wire.png') });

  await page.getByRole('button', { name: 'Endpoint view' }).click();
  await page.getByRole('button', { name: 'Reconnect' }).click();
  await expect(terminal(page)).toContainText('S: 220');
  await page.getByRole('button', { name: 'AUTH TLS', exact: true }).click();
  await expect(terminal(page)).toContainText('S: 234');
  await expect(terminal(page)).toContainText('TLS established');
  await logIn(page);
  await type(page, 'PBSZ 0\n');
  await expect(page.getByRole('button', { name: 'PROT C', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'PROT C', exact: true }).click();
  await expect(terminal(page)).toContainText('C: PROT C');
  await type(page, 'PASV\n');
  await expect(terminal(page)).toContainText('S: 227');
  await type(page, 'LIST\n');
  await expect(terminal(page)).toContainText('S: 226');
  await expect(page.getByTestId('control-lane')).toContainText('TLS (AUTH TLS)');
  await expect(page.getByTestId('data-lane').first()).toContainText('clear');

  await page.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await expect(terminal(page)).toContainText('TLS Application Data');
  await expect(terminal(page)).not.toContainText('C: USER student');
  await page.screenshot({ path: testInfo.outputPath('ftp-ftps-wire.png') });
});

test('FTPS with PROT P: the eavesdropper view hides the file contents the lab decrypted', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await page.getByRole('button', { name: 'AUTH TLS', exact: true }).click();
  await expect(terminal(page)).toContainText('TLS established');
  await logIn(page);
  await type(page, 'PBSZ 0\n');
  await expect(terminal(page)).toContainText('S: 200');
  await type(page, 'PROT P\n');
  await expect(terminal(page)).toContainText('Protection level Private');
  await type(page, 'PASV\n');
  await expect(terminal(page)).toContainText('S: 227');
  await type(page, 'RETR README.txt\n');
  const contents = 'Welcome to your Protocol Lab sandbox.';
  // Both before 226: the relay saw the server close after TLS records, and the lab's client read
  // the end of the file (TLS close_notify, which comes just before that close, so either note may be first).
  await expectInOrder(page, ['C: RETR README.txt', 'S: 150', 'of TLS records. PROT P: an eavesdropper', 'S: 226']);
  await expectInOrder(page, ['C: RETR README.txt', 'S: 150', "The lab's client decrypted", contents, 'S: 226']);
  await page.screenshot({ path: testInfo.outputPath('ftp-protp-endpoint.png') });
  await page.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await expect(terminal(page)).toContainText('PROT P: an eavesdropper sees their lengths, not the contents.');
  await expect(terminal(page)).not.toContainText('C: RETR');
  await expect(terminal(page)).not.toContainText(contents);
  await page.screenshot({ path: testInfo.outputPath('ftp-protp-wire.png') });
});

test('FTPS vs SFTP: the comparison table fills from real sessions', async ({ page }, testInfo) => {
  await openFtpLab(page);
  await page.getByRole('tab', { name: 'FTPS vs SFTP' }).click();
  await page.getByRole('button', { name: 'Run comparison' }).click();
  const table = page.getByTestId('compare-table');
  await expect(table).toContainText('TCP connections', { timeout: 30_000 });
  await expect(table).toContainText('control');
  await expect(table).toContainText('ssh');
  await page.screenshot({ path: testInfo.outputPath('ftp-compare.png') });
});
