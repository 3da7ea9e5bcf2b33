import { expect, test, type Page } from '@playwright/test';
import { terminal, type } from './console';
import { expectDone, panel, step } from './lesson-panel';
import { newStudent, startOwnSandbox } from './sandbox';

// Step mode is the browser's own state in the daemon, scripted faults the sandbox's: every test starts with both off.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
  for (const rule of ['smtp.rcpt-451-second', 'smtp.data-554']) await request.post('/api/faults', { data: { rule, enabled: false } });
});

/** Opens an SMTP lesson on its lab page, started over: Start over connects the console again after the new start. */
async function openLessonFresh(page: Page, lab: string, lesson: string, stepId?: string) {
  await page.goto(`/${lab}?lesson=${lesson}${stepId ? `&step=${stepId}` : ''}`);
  await expect(panel(page)).toContainText('done');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over with a fresh connection');
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^[01]\//);
}

test('a new student presses Start here, opens the first SMTP lesson and sees each typed step turn done', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByTestId('start-here').click();
  await expect(page).toHaveURL(/\/start$/);
  await expect(page.getByRole('heading', { name: 'Start here' })).toBeVisible();
  await expect(page.getByTestId('lesson-path')).toContainText('Your first mail, by hand');
  const card = page.getByTestId('lesson-smtp-first-mail');
  await expect(card).toContainText('not started');
  await expect(card).toContainText('10 min');
  await page.screenshot({ path: testInfo.outputPath('start-here.png') });

  await card.click();
  await expect(page).toHaveURL(/\/smtp\?lesson=smtp-first-mail$/);
  await expect(panel(page)).toContainText('Your first mail, by hand');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  // The lesson was started before the console connected: the greeting is the first proof.
  await expectDone(page, 'greeting');
  await expect(step(page, 'ehlo')).toHaveAttribute('data-done', 'false');
  // The current step is open with what to type.
  await expect(step(page, 'ehlo').getByTestId('try-line')).toContainText('EHLO student.example');

  await type(page, 'HELO student.example\n');
  await expectDone(page, 'ehlo');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await expectDone(page, 'envelope');
  await type(page, 'DATA\n');
  await expectDone(page, 'data');
  await type(page, 'Subject: my first mail\n\nHello Alice, typed by hand.\n.\n');
  await expectDone(page, 'message');
  await expect(step(page, 'bad-sequence').getByTestId('try-line')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('lesson-panel.png') });
  await type(page, 'RCPT TO:<bob@lab.test>\n');
  await expect(terminal(page)).toContainText('S: 503 ');
  await expectDone(page, 'bad-sequence');
  await type(page, 'QUIT\n');
  await expect(terminal(page)).toContainText('S: 221 ');
  await expectDone(page, 'quit');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(page.getByTestId('lesson-progress')).toHaveText('7/7 done');

  // A done step links to the message that proved it.
  await step(page, 'quit').getByRole('button').first().click();
  const proof = step(page, 'quit').getByTestId('step-proof').getByRole('link').last();
  await expect(proof).toHaveAttribute('href', /^\/smtp\?conn=smtp-[\w-]+&msg=smtp-[\w-]+%3A\d+&lesson=smtp-first-mail&step=quit$/);

  // The daemon kept the progress: Start here shows the lesson done.
  await page.goto('/start');
  await expect(page.getByTestId('lesson-smtp-first-mail')).toContainText('✓ done');
});

test('a lesson link opened for the first time counts the greeting of the console the page opens with it', async ({ browser }) => {
  // A student's own sandbox, where no lesson has started yet (a link from the teacher, not Start here).
  const page = await newStudent(browser);
  await startOwnSandbox(page);
  // A busy daemon: the lesson's state and its start each answer a second late, long after the page's console could greet.
  await page.route(/\/api\/lessons\/smtp-first-mail(\/start)?$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.continue();
  });
  await page.goto('/smtp?lesson=smtp-first-mail');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  // The console waited for the start: its greeting is the lesson's first proof, no Reconnect needed.
  await expectDone(page, 'greeting');
  await expect(page.getByTestId('lesson-progress')).toHaveText('1/7 done');
  await page.context().close();
});

test("Start over connects the page's console again: the fresh connection's greeting proves the first step anew", async ({ page }) => {
  await page.goto('/smtp?lesson=smtp-first-mail');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(page, 'HELO student.example\n');
  await expectDone(page, 'ehlo');
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over with a fresh connection');
  // Nothing from before the new start counts; the greeting that turns the first step done again is the new connection's.
  await expect(step(page, 'ehlo')).toHaveAttribute('data-done', 'false');
  await expectDone(page, 'greeting');
  await expect(page.getByTestId('lesson-progress')).toHaveText('1/7 done');
});

test("a student in their own sandbox logs in to FTP with the lesson's Send buttons: the lines name their login", async ({ browser }) => {
  const page = await newStudent(browser, '/ftp');
  const sandbox = await startOwnSandbox(page);
  await page.goto('/ftp?lesson=ftp-two-channels');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  const login = step(page, 'login');
  // The daemon filled the lines in for this sandbox: its id is the user, its password the password.
  const lines = login.getByTestId('try-line').locator('code');
  await expect(lines).toHaveText([`USER ${sandbox}`, /^PASS [\w-]+$/]);
  await login.getByRole('button', { name: 'Send' }).first().click();
  await expect(terminal(page)).toContainText('S: 331 ');
  await login.getByRole('button', { name: 'Send' }).nth(1).click();
  await expect(terminal(page)).toContainText('S: 230 ');
  await expectDone(page, 'login');
  await page.context().close();
});

test("the SSH lesson's first line is sent from its Send button into the terminal's prompt, and the version exchange proves the step; Start over ends the session at a fresh prompt", async ({ page }) => {
  await page.goto('/ssh?lesson=ssh-handshake');
  await expect(page.getByTestId('ssh-status')).toBeVisible();
  const version = step(page, 'version');
  // The terminal has no connection yet, only its prompt: the line that makes one can still be sent.
  await expect(version.getByTestId('try-line').locator('code')).toHaveText([/^ssh student@127\.0\.0\.1 -p \d+$/]);
  await version.getByRole('button', { name: 'Send' }).click();
  await expectDone(page, 'version');
  const sshTerminal = page.getByTestId('ssh-terminal');
  // In a session: asked about the host key (a new sandbox's first connection) or for the password.
  await expect(page.getByTestId('ssh-status')).toContainText(/Type yes|Connected/);
  await expect(sshTerminal).toContainText(/continue connecting|password:/);

  // Start over ends that session: a fresh terminal greets at its prompt, and only a new connection proves the step again.
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over with a fresh terminal');
  await expect(step(page, 'version')).toHaveAttribute('data-done', 'false');
  await expect(sshTerminal).toContainText('Type help for more.');
  await expect(sshTerminal).not.toContainText(/continue connecting|password:/);
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
  await version.getByRole('button', { name: 'Send' }).click();
  await expectDone(page, 'version');
});

test("a lesson's shell command is offered to copy, never sent into the lab's console", async ({ page }) => {
  await page.goto('/ftp?lesson=ftps&step=plain');
  // The FTP console is open, and would take a line.
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  const plain = step(page, 'plain');
  await expect(plain.getByTestId('shell-lines').locator('code')).toHaveText([/^curl ftp:\/\/student:[^@]+@127\.0\.0\.1:\d+\/README\.txt$/]);
  await expect(plain.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(plain.getByRole('button', { name: 'Send' })).toHaveCount(0);
});

test("a question on a held reply names it as the server's (FTP's 227), not the student's", async ({ page }) => {
  await page.goto('/ftp?lesson=ftp-two-channels&step=pasv');
  const question = step(page, 'pasv').getByTestId('lesson-question');
  await expect(question).toContainText("Step mode holds the server's reply 227");
  await expect(question).not.toContainText('your reply');
});

test('a held DATA asks what the server will answer; after Step the real 354 says the answer was correct', async ({ page }, testInfo) => {
  await openLessonFresh(page, 'smtp', 'smtp-first-mail', 'data');
  await expectDone(page, 'greeting');
  await type(page, 'EHLO student.example\n');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await expectDone(page, 'envelope');

  // The deep-linked step offers step mode to the student.
  const question = step(page, 'data').getByTestId('lesson-question');
  await expect(question).toContainText('Step mode holds your command DATA at the tap');
  await question.getByRole('button', { name: 'Hold the next message' }).click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await type(page, 'DATA\n');
  await expect(page.getByTestId('held-next')).toContainText('C: DATA');
  await expect(question).toContainText('What will the server answer?');
  await page.screenshot({ path: testInfo.outputPath('lesson-question.png') });
  await question.getByRole('button', { name: '354' }).click();
  await expect(question.getByTestId('lesson-answer-pending')).toContainText('You said 354');

  // Step releases DATA; the server's reply is held in its turn, a second Step delivers it.
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(page.getByTestId('held-next')).toContainText('354');
  await expect(question.getByTestId('lesson-verdict')).toHaveCount(0);
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(terminal(page)).toContainText('S: 354 ');
  await expect(question.getByTestId('lesson-verdict')).toContainText('Correct');
  await expect(question.getByTestId('lesson-verdict')).toContainText('the server answered 354');
  await expect(question.getByTestId('lesson-verdict')).toContainText('RFC 5321 §4.1.1.4');
  await expectDone(page, 'data');
  // The lesson moves on, but the verdict stays open and in view until the student closes it.
  await expect(step(page, 'message')).toHaveAttribute('data-done', 'false');
  await expect(question.getByTestId('lesson-verdict')).toBeInViewport();
  // Nothing held: no word about it. The mail's first line, held while step mode is still on: the verdict says so.
  await expect(question.getByTestId('lesson-still-held')).toHaveCount(0);
  await type(page, 'Subject: from the lesson\n');
  await expect(page.getByTestId('held-next')).toContainText('Subject: from the lesson');
  await expect(question.getByTestId('lesson-still-held')).toContainText('press Play');
  // The next step, the one the student is on, says so too: its lines wait behind the step mode the question turned on.
  await expect(step(page, 'message').getByTestId('lesson-step-held')).toContainText('Subject: from the lesson');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).not.toBeChecked();
  await expect(question.getByTestId('lesson-still-held')).toHaveCount(0);
  await expect(step(page, 'message').getByTestId('lesson-step-held')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('lesson-verdict.png') });
  // The student goes on: once the message is sent, the panel brings the next open step into view
  // (it stayed on the answered question, and the next steps opened out of sight below it).
  // The daemon's copy of the progress, refreshed after the message counted, must not pull the panel back to the verdict.
  const stored = page.waitForResponse(async (r) => {
    if (r.request().method() !== 'GET' || !/\/api\/lessons\/smtp-first-mail$/.test(new URL(r.url()).pathname)) return false;
    const state = (await r.json()) as { status: { step: string; done: boolean }[] };
    return state.status.some((s) => s.step === 'message' && s.done);
  });
  await type(page, '\nHello.\n.\n');
  await expectDone(page, 'message');
  await expect(step(page, 'bad-sequence')).toHaveAttribute('data-done', 'false');
  await expect(step(page, 'bad-sequence').locator('button[aria-expanded]').first()).toBeInViewport({ ratio: 1 });
  await stored;
  // Two frames: React has applied the refreshed state and run its effects.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await expect(step(page, 'bad-sequence').locator('button[aria-expanded]').first()).toBeInViewport({ ratio: 1 });
});

test("a what-if arms a scripted fault once; the injected 451 is seen and marks the step's what-if", async ({ page }, testInfo) => {
  await openLessonFresh(page, 'smtp', 'smtp-relays');
  const first = step(page, 'local-recipients');
  const whatIf = first.getByTestId('lesson-whatif');
  await expect(whatIf).toContainText('451 4.3.0');
  await whatIf.getByRole('button', { name: /arm the fault once/ }).click();
  await expect(whatIf).toContainText('Armed for the next time');

  await type(page, 'EHLO student.example\n');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await type(page, 'RCPT TO:<bob@lab.test>\n');
  // The lab answered the second RCPT itself, and said so.
  await expect(terminal(page)).toContainText('S: 451 4.3.0');
  await expect(whatIf.getByTestId('lesson-whatif-seen')).toBeVisible();
  await expect(first).toContainText('what if ✓');
  // Armed once: the next transaction is the server's own again, and proves the step itself.
  await type(page, 'RSET\n');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await type(page, 'RCPT TO:<bob@lab.test>\n');
  await expectDone(page, 'local-recipients');
  // The armed what-if stays open and in view when its step turns done.
  await expect(whatIf.getByTestId('lesson-whatif-seen')).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('lesson-whatif.png') });
});

test('Start here and a lab page with its lesson read at 1280×720 in Presenter mode', async ({ page }, testInfo) => {
  await page.goto('/start');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await expect(page.getByTestId('lesson-smtp-first-mail')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('start-here-presenter.png') });
  await page.goto('/smtp?lesson=smtp-first-mail&step=data');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  // On a projector the lab's panels need the width: the lesson starts folded to a rail with its progress.
  await expect(panel(page).getByRole('button', { name: 'Show the lesson' })).toBeVisible();
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^\d+\/7$/);
  await page.screenshot({ path: testInfo.outputPath('lesson-folded-presenter.png') });
  await panel(page).getByRole('button', { name: 'Show the lesson' }).click();
  await expect(step(page, 'data').getByTestId('lesson-question')).toBeVisible();
  // Nothing scrolls sideways: the lesson sits beside the terminal.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: testInfo.outputPath('lesson-panel-presenter.png') });
  // Unfolded stays unfolded in Presenter mode; the desk keeps its own choice (open).
  await page.reload();
  await expect(step(page, 'data')).toBeVisible();
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).not.toHaveClass(/presenter/);
  await expect(step(page, 'data')).toBeVisible();

  // In Presenter mode, unfolded: a step's long URLs and namespaces stay inside the narrow panel, and a shell command is a line to copy.
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.goto('/soap?lesson=soap-envelopes&step=soap11');
  const soap11 = step(page, 'soap11');
  await expect(soap11.getByTestId('shell-lines')).toContainText('curl -s http://');
  const overflowing = await soap11.locator('p, [data-testid=try-line]').evaluateAll((paragraphs) => paragraphs.filter((p) => p.scrollWidth > p.clientWidth).map((p) => p.textContent));
  expect(overflowing).toEqual([]);
  // A line to type wraps at its spaces: no short word (a port, a user name) is cut across two lines ("-p 3|322").
  await page.goto('/ssh?lesson=ssh-passwords-keys&step=wrong-password');
  const line = step(page, 'wrong-password').getByTestId('try-line').filter({ hasText: '-p ' }).locator('code');
  await expect(line).toContainText(`-p ${process.env.SSH_PORT}`);
  const cutWords = await line.evaluate((code) => {
    const text = code.firstChild;
    if (!text?.textContent) return ['(no text)'];
    const cut: string[] = [];
    let at = 0;
    for (const word of text.textContent.split(' ')) {
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + word.length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (word.length > 0 && word.length < 20 && tops.size > 1) cut.push(word);
      at += word.length + 1;
    }
    return cut;
  });
  expect(cutWords).toEqual([]);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).not.toHaveClass(/presenter/);
});

test("the SSH handshake lesson in its normal flow: step mode from step 1 reaches step 5's held question, whose verdict names the client's NEWKEYS", async ({ page, request }) => {
  await request.post('/api/step/ssh', { data: { enabled: false } });
  await page.goto('/ssh?lesson=ssh-handshake');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over with a fresh terminal');
  // Step 1 is open and says to turn step mode on first; the student does, then presses Enter in the terminal.
  await expect(step(page, 'version')).toContainText('Turn on step mode first');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await page.getByTestId('ssh-terminal').click();
  await page.keyboard.press('Enter');
  // Step ▸ until the server's KEX_ECDH_REPLY is held: step 5's question comes forward by itself.
  const question = step(page, 'newkeys').getByTestId('lesson-question');
  const held = page.getByTestId('held-next');
  for (let i = 0; i < 12; i++) {
    await expect(held).toBeVisible();
    const text = (await held.textContent()) ?? '';
    if (text.includes('KEX_ECDH_REPLY')) break;
    await page.getByRole('button', { name: 'Step ▸' }).click();
    // The row shows the next held message before the loop reads it again (or nothing, until one arrives).
    await expect.poll(async () => ((await held.count()) ? await held.textContent() : '')).not.toBe(text);
  }
  await expect(held).toContainText('KEX_ECDH_REPLY');
  await expect(question).toContainText('what is the next message the client sends?');
  await question.getByRole('button', { name: 'NEWKEYS' }).click();
  await expect(question.getByTestId('lesson-answer-pending')).toContainText('see what the client sends');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).not.toBeChecked();
  // The client sends NEWKEYS once it accepts the key: on first contact only after yes.
  const sshTerminal = page.getByTestId('ssh-terminal');
  await expect(sshTerminal).toContainText(/continue connecting|password:/);
  if (/continue connecting/.test((await sshTerminal.textContent()) ?? '')) {
    await sshTerminal.click();
    await page.keyboard.type('yes\n');
  }
  await expect(question.getByTestId('lesson-verdict')).toContainText('the client sent NEWKEYS');
  await expect(question.getByTestId('lesson-verdict')).not.toContainText('the server answered');
  // Leave the shared lab as found: no session, the key forgotten (the SSH spec starts with a first contact).
  await sshTerminal.click();
  await page.keyboard.press('Control+C');
  await request.post('/api/ssh/known-hosts/remove', { data: { host: `[127.0.0.1]:${process.env.SSH_PORT}` } });
});

test('Start over on the Host-keys lesson opens step 1, even after a later step was opened to read its what-if', async ({ page }) => {
  await page.goto('/ssh?lesson=ssh-host-keys');
  await expect(page.getByTestId('ssh-status')).toContainText('Press Connect');
  await step(page, 'changed').getByRole('button', { name: /The key changes/ }).click();
  await expect(step(page, 'changed').getByRole('button', { name: /The key changes/ })).toHaveAttribute('aria-expanded', 'true');
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over with a fresh terminal');
  await expect(step(page, 'first-contact').getByRole('button', { name: /First contact/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(step(page, 'changed').getByRole('button', { name: /The key changes/ })).toHaveAttribute('aria-expanded', 'false');
});
