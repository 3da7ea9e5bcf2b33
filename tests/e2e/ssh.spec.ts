import { expect, test, type Page } from '@playwright/test';

// The SSH lab page: a real SSH client (run by the daemon) in a raw xterm, the handshake timeline,
// faults, and the SFTP file panel. The tests share the daemon's known_hosts, so they run in order.
test.describe.configure({ mode: 'serial' });

const terminal = (page: Page) => page.getByTestId('ssh-terminal').locator('.xterm-rows');
const step = (page: Page, id: string) => page.locator(`[data-step="${id}"]`);

/** Types into the xterm as a user would (keystrokes go to the daemon one by one). */
async function type(page: Page, text: string) {
  await page.getByTestId('ssh-terminal').click();
  await page.keyboard.type(text);
}

async function openSshLab(page: Page) {
  await page.goto('/ssh');
  await expect(terminal(page)).toContainText('Protocol Lab SSH terminal');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
}

test.beforeEach(async ({ request }) => {
  await request.post('/api/step/ssh', { data: { enabled: false } });
});

test('connect from the browser terminal, accept the host key, log in, run ls and see the timeline', async ({ page }, testInfo) => {
  await openSshLab(page);
  // On a projector the status under the terminal reads whole (it was cut to one line: "…; a wrong…").
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const status = page.getByTestId('ssh-status');
  await expect(status).toContainText('a wrong password is just a typo away');
  expect(await status.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.getByTestId('handshake-steps')).toContainText('Version exchange');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(terminal(page)).toContainText('Are you sure you want to continue connecting (yes/no/[fingerprint])?');
  await expect(step(page, 'hostkey')).toHaveAttribute('data-state', 'active');
  await page.screenshot({ path: testInfo.outputPath('ssh-hostkey-question.png') });
  // Presenter mode while the question waits: the terminal narrows, the question (the cursor's line) reflows
  // whole, and the answer is typed after it, not over its middle.
  const questionRow = async () => (await terminal(page).locator('> div').allInnerTexts()).find((row) => row.startsWith('Are you sure')) ?? '';
  const wide = (await questionRow()).length;
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect.poll(async () => (await questionRow()).length).toBeLessThan(wide);
  await expect(terminal(page)).toContainText('Are you sure you want to continue connecting (yes/no/[fingerprint])?');
  await type(page, 'yes');
  await expect(terminal(page)).toContainText('(yes/no/[fingerprint])? yes');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await type(page, '\n');
  await expect(terminal(page)).toContainText('Permanently added');
  await expect(terminal(page)).toContainText("student@127.0.0.1's password:");
  const password = (await page.getByTestId('lab-password').textContent()) ?? '';
  expect(password).toBe('e2e-password');
  await type(page, `${password}\n`);
  await expect(terminal(page)).toContainText('student@lab:');
  await type(page, 'echo hello > notes.txt\n');
  await type(page, 'ls\n');
  await expect(terminal(page)).toContainText('notes.txt');

  // The timeline is filled in from the real messages.
  for (const id of ['tcp', 'version', 'kexinit', 'ecdh', 'hostkey', 'newkeys', 'service', 'userauth', 'channel', 'data']) {
    await expect(step(page, id)).toHaveAttribute('data-state', 'done');
  }
  await expect(step(page, 'hostkey')).toContainText('added to known_hosts');
  await expect(step(page, 'data')).toContainText('ls');
  // A command longer than the column (one word, no spaces) wraps in the step's summary instead of running off its edge.
  await type(page, `echo ${'long'.repeat(60)}\n`);
  await step(page, 'data').click();
  await expect(page.getByTestId('step-summary')).toContainText('longlong');
  expect(await page.getByTestId('step-summary').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await step(page, 'kexinit').click();
  await expect(page.getByTestId('negotiation')).toContainText('curve25519');
  await page.screenshot({ path: testInfo.outputPath('ssh-timeline-kexinit.png') });
  await step(page, 'ecdh').click();
  await expect(page.getByTestId('step-summary')).toContainText('K is never sent');
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).toContainText('KEX_ECDH_REPLY');
  // A bar between the step's explanation and its messages, so two scrolled boxes never read as one overlapping the other.
  const bar = page.getByTestId('step-messages-heading');
  await expect(bar).toHaveText(/^\d+ messages? of this step$/);
  const [barBox, list] = [await bar.boundingBox(), await page.getByTestId('step-detail').getByTestId('transcript').boundingBox()];
  expect(barBox && list && barBox.y + barBox.height <= list.y + 1).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('ssh-timeline-ecdh.png') });

  // The eavesdropper sees the login only as encrypted packets.
  await step(page, 'userauth').click();
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).toContainText('USERAUTH_SUCCESS');
  await page.getByRole('button', { name: 'What an eavesdropper sees' }).click();
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).toContainText('[encrypted');
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).not.toContainText('USERAUTH_SUCCESS');
  // Nothing of the login leaks into the eavesdropper's summaries either.
  await expect(step(page, 'userauth')).toContainText('encrypted');
  await expect(page.getByTestId('step-detail')).not.toContainText('student');
  await expect(page.getByTestId('step-detail')).not.toContainText('method password');
  await page.screenshot({ path: testInfo.outputPath('ssh-timeline-wire.png') });
  await page.getByRole('button', { name: 'Endpoint view' }).click();
  // Only what crossed encrypted is badged "decrypted"; the version lines went in clear.
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).toContainText('decrypted');
  await step(page, 'version').click();
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).toContainText('sent in clear');
  await expect(page.getByTestId('step-detail').getByTestId('transcript')).not.toContainText('decrypted');
  await page.screenshot({ path: testInfo.outputPath('ssh-timeline-version-badges.png') });
  // On the projector the step's column is narrow: the badge stays one line, the title gives way.
  await page.getByRole('button', { name: 'Presenter' }).click();
  const badge = page.getByTestId('step-detail').getByTestId('message-badge').first();
  await expect(badge).toHaveText('sent in clear');
  const rows = await badge.evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight));
  expect(rows).toBeLessThan(1.5);
  await page.screenshot({ path: testInfo.outputPath('ssh-timeline-version-badges-presenter.png') });
  await page.getByRole('button', { name: 'Presenter' }).click();

  await type(page, 'exit\n');
  await expect(terminal(page)).toContainText('Connection to 127.0.0.1 closed.');
  await expect(step(page, 'close')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
});

test('known_hosts on its tab shows the host key as soon as "yes" adds it, while the login still waits', async ({ page, request }) => {
  await openSshLab(page);
  // A first contact: this sandbox's known_hosts forgets the lab's key (the tests share one lab), as ssh-keygen -R does.
  const host = `[127.0.0.1]:${process.env.SSH_PORT}`;
  expect((await request.post('/api/ssh/known-hosts/remove', { data: { host } })).ok()).toBe(true);
  await page.reload();
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
  await page.getByRole('tab', { name: 'Keys & known_hosts' }).click();
  await expect(page.getByTestId('known-hosts')).not.toContainText('ssh-ed25519');
  // Connect from the terminal's own prompt (Enter runs its ssh command): the tab stays open beside it.
  await type(page, '\n');
  await expect(terminal(page)).toContainText('(yes/no/[fingerprint])?');
  await type(page, 'yes\n');
  await expect(terminal(page)).toContainText("student@127.0.0.1's password:");
  // No tab switch, no login yet: the list follows the terminal's answer.
  await expect(page.getByRole('tab', { name: 'Keys & known_hosts' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('known-hosts')).toContainText('ssh-ed25519');
  await page.getByTestId('ssh-terminal').click();
  await page.keyboard.press('Control+C');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
});

test('a generated key is used only when chosen: the password prompt and a wrong password still show', async ({ page }, testInfo) => {
  await openSshLab(page);
  await page.getByRole('tab', { name: 'Keys & known_hosts' }).click();
  await page.getByRole('button', { name: 'Generate ed25519 key pair' }).click();
  await expect(page.getByTestId('user-key').first()).toContainText('SHA256:');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(terminal(page)).toContainText('is not offered unless you ask');
  await expect(terminal(page)).toContainText("student@127.0.0.1's password:");
  await type(page, 'wrong\n');
  await expect(terminal(page)).toContainText('Permission denied, please try again.');
  await page.screenshot({ path: testInfo.outputPath('ssh-key-not-silent.png') });
  // The step's detail rows wrap at spaces: "publickey,password" was cut as "publickey,passwo" / "rd".
  await step(page, 'userauth').click();
  const failure = page.getByTestId('step-detail').locator('td', { hasText: 'can continue: publickey,password' }).first();
  const rowsOf = (word: string) =>
    failure.evaluate((td, w) => {
      const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(w) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + w.length);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }
      return 0;
    }, word);
  for (const presenter of [false, true]) {
    if (presenter) await page.getByRole('button', { name: 'Presenter' }).click();
    await expect(failure).toBeVisible();
    expect(await rowsOf('publickey,password'), presenter ? 'Presenter' : 'normal').toBe(1);
  }
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.getByTestId('ssh-terminal').click();
  await page.keyboard.press('Control+C');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');

  await page.getByRole('tab', { name: 'Keys & known_hosts' }).click();
  await page.getByRole('button', { name: 'Log in with this key' }).first().click();
  await expect(terminal(page)).toContainText('student@lab:');
  await expect(step(page, 'userauth')).toContainText('publickey');
  await page.screenshot({ path: testInfo.outputPath('ssh-key-login.png') });
  await type(page, 'exit\n');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
});

test('a rotated host key makes the next connect print the MITM warning', async ({ page }, testInfo) => {
  await openSshLab(page);
  await page.getByRole('tab', { name: 'Keys & known_hosts' }).click();
  await expect(page.getByTestId('known-hosts')).toContainText('ssh-ed25519');

  await page.getByRole('tab', { name: 'Failures' }).click();
  await page.getByRole('button', { name: 'Rotate host key' }).click();
  await expect(page.getByRole('status')).toContainText('New host keys generated');
  await type(page, 'clear\n');
  await page.getByRole('button', { name: 'Connect now' }).click();
  await expect(terminal(page)).toContainText('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
  await expect(terminal(page)).toContainText('Host key verification failed.');
  await expect(step(page, 'hostkey')).toHaveAttribute('data-state', 'failed');
  await expect(step(page, 'userauth')).toHaveAttribute('data-state', 'skipped');
  await page.screenshot({ path: testInfo.outputPath('ssh-host-key-changed.png') });

  // ssh-keygen -R equivalent: the next connect asks again, as on first contact.
  await page.getByRole('tab', { name: 'Failures' }).click();
  await page.getByRole('button', { name: 'Remove from known_hosts' }).click();
  await expect(page.getByRole('status')).toContainText('Removed line');
  await page.screenshot({ path: testInfo.outputPath('ssh-faults.png') });
  await type(page, 'clear\n');
  await page.getByRole('button', { name: 'Connect now' }).click();
  await expect(terminal(page)).toContainText('Are you sure you want to continue connecting');
  await type(page, 'no\n');
  await expect(terminal(page)).toContainText('Host key verification failed.');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
});

test("after the host-key what-if rotates the key, the Own client and Keys & known_hosts tabs show the new fingerprint without a reload", async ({ page, request }) => {
  const host = `[127.0.0.1]:${process.env.SSH_PORT}`;
  const ed25519 = async () => ((await (await request.get('/api/ssh/host-keys')).json()) as { keys: { type: string; fingerprint: string }[] }).keys.find((k) => k.type === 'ssh-ed25519')?.fingerprint ?? '';
  expect((await request.post('/api/ssh/known-hosts/remove', { data: { host } })).ok()).toBe(true);
  await openSshLab(page);
  // The terminal learns the current key (yes), then leaves at the password prompt.
  await type(page, '\n');
  await expect(terminal(page)).toContainText('(yes/no/[fingerprint])?');
  await type(page, 'yes\n');
  await expect(terminal(page)).toContainText("student@127.0.0.1's password:");
  await page.keyboard.press('Control+C');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
  const before = await ed25519();

  await page.getByRole('tab', { name: 'Own client' }).click();
  const recipes = page.locator('pre');
  await expect(recipes.filter({ hasText: before }).first()).toBeVisible();

  // The lesson's Try it: the fault rotates the key as the next connection opens (the terminal's Enter keeps this tab).
  expect((await request.post('/api/faults', { data: { rule: 'ssh.hostkey-change', enabled: true, scope: 'sandbox', times: 1 } })).ok()).toBe(true);
  await type(page, 'clear\n');
  await type(page, '\n');
  await expect(terminal(page)).toContainText('Host key verification failed.');
  const after = await ed25519();
  expect(after).not.toBe(before);
  await expect(recipes.filter({ hasText: after }).first()).toBeVisible();
  await expect(recipes.filter({ hasText: before })).toHaveCount(0);
  // The Keys tab (where the lessons send the student to compare) names the server's fingerprint as OpenSSH
  // prints it, and the terminal's known_hosts line as no longer the server's key.
  await page.getByRole('tab', { name: 'Keys & known_hosts' }).click();
  await expect(page.getByTestId('server-host-keys')).toContainText(`ED25519 key fingerprint is ${after}`);
  await expect(page.getByTestId('known-host-verdict')).toContainText('not the server’s current ED25519 key');
  // After the student forgets the old line and accepts again (step 4), the line is the current key.
  await page.getByRole('button', { name: 'Remove' }).first().click();
  await type(page, '\n');
  // The question is new output (the first one went with `clear`); the new fingerprint alone was already on
  // screen in the warning, and "yes" typed before the question is asked would be answered to nothing.
  await expect(terminal(page)).toContainText('(yes/no/[fingerprint])?');
  await type(page, 'yes\n');
  await expect(page.getByTestId('known-host-verdict')).toContainText('the server’s current ED25519 key');
  await page.keyboard.press('Control+C');

  await request.post('/api/faults', { data: { rule: 'ssh.hostkey-change', enabled: false } });
  expect((await request.post('/api/ssh/known-hosts/remove', { data: { host } })).ok()).toBe(true);
});

test('uploading through the file panel shows progress and the SSH_FXP transcript', async ({ page }, testInfo) => {
  await openSshLab(page);
  await page.getByRole('tab', { name: 'Files (SFTP)' }).click();
  await expect(page.getByTestId('file-list')).toContainText('notes.txt');
  const body = Buffer.alloc(256 * 1024, 'protocol lab ');
  await page.getByTestId('upload-input').setInputFiles({ name: 'e2e-upload.txt', mimeType: 'text/plain', buffer: body });
  await expect(page.getByTestId('upload-progress')).toContainText('Uploaded e2e-upload.txt (256.0 KB)');
  await expect(page.getByTestId('upload-progress').getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('file-list')).toContainText('e2e-upload.txt');
  const sftp = page.getByTestId('sftp-transcript');
  await expect(sftp).toContainText('SSH_FXP_OPEN /e2e-upload.txt');
  await expect(sftp).toContainText('SSH_FXP_WRITE /e2e-upload.txt');
  await expect(sftp).toContainText('SSH_FXP_CLOSE /e2e-upload.txt');
  await page.screenshot({ path: testInfo.outputPath('ssh-file-panel.png') });

  await page.getByRole('tab', { name: 'Own client' }).click();
  await expect(page.locator('pre', { hasText: 'ssh -p ' })).toContainText('SHA256:');
  await page.screenshot({ path: testInfo.outputPath('ssh-own-client.png') });
});
