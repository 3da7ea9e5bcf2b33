import { expect, test, type Locator, type Page } from '@playwright/test';
import { desks, joinClass } from './classroom';
import { violations } from './axe';
import { LineClient } from '../helpers/line-client';
import { terminal, type } from './console';

/** Set by tests/e2e/run.mjs for the lab it starts. */
const TEACHER_TOKEN = process.env.LAB_TEACHER_TOKEN ?? '';

const newPage = desks();

/** The first lines of the rows of a transcript, top to bottom. */
async function rowTexts(transcript: Locator): Promise<string[]> {
  return transcript.locator('li button > span:nth-child(3) > span:first-child').allTextContents();
}

test('a teacher runs a class: two students join, one follows the teacher’s session live, the teacher freezes it, rewinds it and projects a student', async ({ browser }, testInfo) => {
  expect(TEACHER_TOKEN, 'tests/e2e/run.mjs sets LAB_TEACHER_TOKEN').not.toBe('');
  test.setTimeout(150_000);

  // The teacher signs in: a wrong token is refused in words, the right one opens the classes.
  const teacher = await newPage(browser);
  await teacher.goto('/teacher');
  const signIn = teacher.getByTestId('teacher-sign-in');
  await signIn.getByLabel("Teacher's token").fill('teach-a-guess');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(teacher.getByTestId('teacher-sign-in-error')).toContainText("That is not the teacher's token");
  await signIn.getByLabel("Teacher's token").fill(TEACHER_TOKEN);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByLabel('Class name').fill('Networks 101');
  await teacher.getByRole('button', { name: 'Create class' }).click();
  const code = (await teacher.getByTestId('join-code').textContent()) ?? '';
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  await expect(teacher.getByTestId('join-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/join$/);

  // Two students join with the code (a wrong code is refused in the form); the roster names both.
  const ana = await newPage(browser);
  const ben = await newPage(browser);
  await ben.goto('/join');
  await ben.getByLabel('Class code').fill('ZZZZ-ZZZZ');
  await ben.getByLabel('Your name').fill('Ben');
  await ben.getByRole('button', { name: 'Join' }).click();
  await expect(ben.getByTestId('join-error')).toContainText('No class has that code');
  await joinClass(ana, code.toLowerCase(), 'Ana', 'Networks 101');
  await joinClass(ben, code, 'Ben', 'Networks 101');
  await expect(teacher.getByTestId('roster-name')).toHaveText(['Ana', 'Ben']);
  // On a teacher's laptop whose clock runs two hours ahead of the lab machine, the students who just
  // joined were still seen seconds ago: the roster counts on the daemon's clock.
  const skewed = await teacher.context().newPage();
  await skewed.clock.setFixedTime(Date.now() + 2 * 3600_000);
  await skewed.goto('/teacher');
  await skewed.getByRole('row').filter({ hasText: code }).getByRole('button', { name: 'Open' }).click();
  await expect(skewed.getByTestId('roster-row').filter({ hasText: 'Ana' })).toContainText(/\d+ s ago/);
  await skewed.close();
  // Each student sees its own login for its own clients.
  const anaLogin = (await (await ana.context().request.get('/api/lab')).json()) as { user: string; password: string };
  await expect(ana.getByTestId('student-user')).toHaveText(anaLogin.user);
  await ana.getByTestId('student-login').getByRole('button', { name: 'Show' }).click();
  await expect(ana.getByTestId('student-password')).toHaveText(anaLogin.password);

  // Ana follows; Ben does not.
  await ana.getByTestId('follow-toggle').click();
  await expect(ana.getByTestId('follow-status')).toHaveText('following: read-only');
  await expect(ben.getByTestId('follow-status')).toHaveText('not following');
  // A reload of Ana's page keeps her following (it said "not following" while the roster still said she was).
  await ana.reload();
  await expect(ana.getByTestId('follow-status')).toHaveText('following: read-only');

  // The teacher works in an SMTP console on its own lab page (same browser: the teacher's sandbox).
  const console_ = await teacher.context().newPage();
  await console_.goto('/smtp');
  await expect(terminal(console_)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(console_, 'EHLO teacher.test\n');
  await expect(terminal(console_)).toContainText('S: 250 ');
  await type(console_, 'NOOP\n');
  await expect(terminal(console_)).toContainText('C: NOOP');

  // Ana's page shows the teacher's lines, in the order they were said.
  const followed = ana.getByTestId('follow-view').getByTestId('transcript');
  await expect(followed).toContainText('NOOP');
  const lines = await rowTexts(followed);
  const at = (re: RegExp) => lines.findIndex((line) => re.test(line));
  expect(at(/^220 /), lines.join('\n')).toBeGreaterThanOrEqual(0);
  expect(at(/^220 /)).toBeLessThan(at(/^EHLO teacher\.test/));
  expect(at(/^EHLO teacher\.test/)).toBeLessThan(at(/^250[- ]/));
  expect(at(/^250[- ]/)).toBeLessThan(at(/^NOOP/));
  // Whose session the rows are: the teacher may have several at once, each run of rows names its connection.
  await expect(followed.getByTestId('transcript-connection').first()).toHaveText(/^SMTP · browser console · times from its start$/);
  // Ben, who does not follow, shows none of it (Ana's page had it, so Ben's would have too).
  await expect(ben.getByTestId('follow-view')).toHaveCount(0);
  await expect(ben.locator('main')).not.toContainText('teacher.test');

  // The teacher's board: its own session, newest first; screenshots at the desk and in Presenter mode.
  const own = teacher.getByTestId('own-sessions').getByTestId('transcript');
  await expect(own).toContainText('NOOP');
  await teacher.screenshot({ path: testInfo.outputPath('teacher-board.png') });
  await ana.screenshot({ path: testInfo.outputPath('class-following.png') });
  // Both pages, full of a live class, pass axe-core's serious and critical rules.
  expect(await violations(teacher)).toEqual([]);
  expect(await violations(ana)).toEqual([]);

  // Freeze on EHLO: Ana's view stops there and says so; what the teacher says next waits.
  await own.locator('li', { hasText: 'EHLO teacher.test' }).first().getByRole('button').first().click();
  await teacher.getByRole('button', { name: 'Freeze class here' }).click();
  await expect(teacher.getByTestId('class-frozen')).toBeVisible();
  await expect(ana.getByTestId('frozen-banner')).toContainText('Frozen by the teacher');
  await expect(followed).toContainText('EHLO teacher.test');
  await expect(followed).not.toContainText('NOOP');
  await type(console_, 'RSET\n');
  await expect(terminal(console_)).toContainText('C: RSET');
  await expect(ana.getByTestId('frozen-banner')).toContainText(/later (message waits|messages wait)/);
  await expect(followed).not.toContainText('RSET');
  await ana.screenshot({ path: testInfo.outputPath('class-frozen.png') });

  // A page opened during the freeze shows it too (the class's state is read when the page opens; the reload
  // keeps following).
  await ana.reload();
  await expect(ana.getByTestId('follow-status')).toHaveText('following: read-only');
  await expect(ana.getByTestId('frozen-banner')).toContainText('Frozen by the teacher');
  await expect(ana.getByTestId('follow-view').getByTestId('transcript')).toContainText('EHLO teacher.test');
  await expect(ana.getByTestId('follow-view').getByTestId('transcript')).not.toContainText('NOOP');

  // Unfreeze: the later lines show, in order.
  await teacher.getByTestId('class-frozen').getByRole('button', { name: 'Unfreeze' }).click();
  await expect(ana.getByTestId('frozen-banner')).toHaveCount(0);
  await expect(followed).toContainText('RSET');
  const thawed = await rowTexts(followed);
  expect(thawed.findIndex((l) => /^NOOP/.test(l))).toBeLessThan(thawed.findIndex((l) => /^RSET/.test(l)));

  // Rewind everyone to the EHLO step of the recording (still selected): Ana's page opens the session player there.
  await teacher.getByRole('button', { name: /^Rewind class to step \d+$/ }).click();
  await expect(ana.getByTestId('class-rewind')).toContainText('Rewound by the teacher');
  await expect(ana.getByTestId('session-player')).toBeVisible();
  await expect(ana.getByTestId('session-player').locator('[aria-expanded="true"]')).toContainText('EHLO teacher.test');
  await ana.screenshot({ path: testInfo.outputPath('class-rewound.png') });
  await teacher.getByTestId('class-rewound').getByRole('button', { name: 'Clear' }).click();
  await expect(ana.getByTestId('class-rewind')).toHaveCount(0);
  await expect(followed).toContainText('RSET');

  // Ben opens a console of his own; the teacher puts it on the projector (the teacher's screen only).
  const benLab = await ben.context().newPage();
  await benLab.goto('/smtp');
  await expect(terminal(benLab)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(benLab, 'EHLO ben.test\n');
  await expect(terminal(benLab)).toContainText('S: 250 ');
  const benRow = teacher.getByTestId('roster-row').filter({ hasText: 'Ben' });
  await benRow.getByRole('button', { name: 'Project' }).click();
  await expect(teacher.getByTestId('projector').getByTestId('transcript')).toContainText('EHLO ben.test');
  await expect(ana.locator('main')).not.toContainText('ben.test');
  await teacher.screenshot({ path: testInfo.outputPath('teacher-projector.png') });
  expect(await violations(teacher)).toEqual([]);

  // On a projector at 1280×720 the projected session takes the screen: its messages in view, the join code on a line
  // (the code's card and the roster pushed the session below the fold before).
  await teacher.getByRole('button', { name: 'Presenter' }).click();
  await expect(teacher.locator('html')).toHaveClass(/presenter/);
  await expect(teacher.getByTestId('projector').getByTestId('transcript').locator('li', { hasText: 'EHLO ben.test' })).toBeInViewport({ ratio: 1 });
  await expect(teacher.getByTestId('join-code')).toHaveText(code);
  await expect(teacher.getByTestId('join-code')).toBeInViewport();
  await teacher.screenshot({ path: testInfo.outputPath('teacher-projector-presenter.png') });
  await teacher.getByRole('tab', { name: 'Your sessions' }).click();
  await expect(teacher.getByTestId('roster-row').filter({ hasText: 'Ben' })).toBeVisible();
  await teacher.screenshot({ path: testInfo.outputPath('teacher-board-presenter.png') });
  await ana.getByRole('button', { name: 'Presenter' }).click();
  await ana.screenshot({ path: testInfo.outputPath('class-following-presenter.png') });
});

test('in Presenter mode at 1280×720 the roster shows a class of four whole (room for two and a half before): the page scrolls, not a two-row box', async ({ browser }) => {
  const teacher = await newPage(browser);
  await teacher.setViewportSize({ width: 1280, height: 720 });
  await teacher.goto('/teacher');
  await teacher.getByRole('button', { name: 'Presenter' }).click();
  await expect(teacher.locator('html')).toHaveClass(/presenter/);
  await teacher.getByLabel("Teacher's token").fill(TEACHER_TOKEN);
  await teacher.getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByLabel('Class name').fill('Networks 101');
  await teacher.getByRole('button', { name: 'Create class' }).click();
  const code = (await teacher.getByTestId('join-code').textContent()) ?? '';
  const names = ['Ana', 'Ben', 'Chiara-Lucia Fernández', 'Dev'];
  for (const name of names) await joinClass(await newPage(browser), code, name, 'Networks 101');
  await expect(teacher.getByTestId('roster-name')).toHaveText(names);

  const box = teacher.getByTestId('roster').locator('xpath=..');
  const inner = await box.evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));
  expect(inner.scroll, 'the roster scrolls inside its box').toBeLessThanOrEqual(inner.client + 1);
  // The sessions panel still has its room below, reached by scrolling the page.
  await teacher.getByRole('tab', { name: 'Your sessions' }).scrollIntoViewIfNeeded();
  await expect(teacher.getByRole('tab', { name: 'Your sessions' })).toBeInViewport();
});

test("the teacher's session picker folds a client that retries again and again into one entry", async ({ browser }) => {
  // Five alike short sessions from a real client in the teacher's own sandbox: logged in with the lab login (one that
  // ends without a login, once students have sandboxes, may be a student's and is left out of what the class sees).
  const login = Buffer.from('\0student\0e2e-password').toString('base64');
  for (let i = 0; i < 5; i++) {
    const client = await LineClient.connect(Number(process.env.SMTP_PORT));
    await client.waitFor(/^220 .*\r\n/m);
    await client.command('EHLO retry.example');
    expect(await client.command(`AUTH PLAIN ${login}`)).toMatch(/^235 /m);
    await client.command('QUIT');
    await client.whenClosed();
  }
  const teacher = await newPage(browser);
  await teacher.goto('/teacher');
  await teacher.getByLabel("Teacher's token").fill(TEACHER_TOKEN);
  await teacher.getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByLabel('Class name').fill('Retries');
  await teacher.getByRole('button', { name: 'Create class' }).click();
  const picker = teacher.getByTestId('own-sessions').getByLabel('Your session');
  // Other specs' clients may sit beside them in the list: these five are at least one run of five.
  const run = picker.locator('option', { hasText: /SMTP · client · .* · newest of \d+ alike/ });
  await expect(run).toHaveCount(1);
  expect(Number(/newest of (\d+)/.exec((await run.textContent()) ?? '')?.[1])).toBeGreaterThanOrEqual(5);
});
