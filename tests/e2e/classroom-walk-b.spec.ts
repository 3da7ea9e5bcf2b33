import { expect, test, type Browser, type Page } from '@playwright/test';
import { desks, teacherWithClass } from './classroom';
import { terminal, type } from './console';

/**
 * Walk B's classroom findings in a browser, as the walk met them: joining again (#3), a follower's
 * reload mid-session (#7), rewinding to a step that is not there (#6), a long class name (#10) and
 * the header's Class entry in Presenter mode (#9).
 */

/** Set by tests/e2e/run.mjs for the lab it starts. */
const TEACHER_TOKEN = process.env.LAB_TEACHER_TOKEN ?? '';

const newPage = desks();

async function fillJoin(page: Page, code: string, name: string) {
  await page.goto('/join');
  await page.getByLabel('Class code').fill(code);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
}

const sandboxOf = async (page: Page) => ((await (await page.context().request.get('/api/lab')).json()) as { sandbox: string }).sandbox;

test('joining the class again from the same browser keeps its sandbox and says so (walk B #3)', async ({ browser }) => {
  const { teacher, code } = await teacherWithClass(newPage, browser, 'Join twice');
  const chloe = await newPage(browser);
  await fillJoin(chloe, code, 'Chloé');
  await expect(chloe).toHaveURL(/\/class$/);
  const first = await sandboxOf(chloe);
  // A second tab of the same browser opens /join and joins again.
  const tab2 = await chloe.context().newPage();
  await fillJoin(tab2, code, 'Chloé (tab 2)');
  await expect(tab2.getByTestId('join-already')).toHaveText('You are already in this class as Chloé. Opening your class page…');
  await expect(tab2).toHaveURL(/\/class$/);
  expect(await sandboxOf(tab2)).toBe(first);
  await expect(teacher.getByTestId('roster-name')).toHaveText(['Chloé']);
});

test('a code typed as the projector shows it read aloud, "k7qm 2xpa" with a space, joins the class', async ({ browser }) => {
  const { teacher, code } = await teacherWithClass(newPage, browser, 'Spaced code');
  const dev = await newPage(browser);
  await fillJoin(dev, code.toLowerCase().replace('-', ' '), 'Dev');
  await expect(dev).toHaveURL(/\/class$/);
  await expect(teacher.getByTestId('roster-name')).toHaveText(['Dev']);
});

test("a follower who reloads mid-session sees the teacher's session at once, not after the teacher's next line (walk B #7)", async ({ browser }) => {
  test.setTimeout(90_000);
  const { teacher, code } = await teacherWithClass(newPage, browser, 'Reload');
  const eve = await newPage(browser);
  await fillJoin(eve, code, 'Eve');
  await expect(eve).toHaveURL(/\/class$/);
  const console_ = await teacher.context().newPage();
  await console_.goto('/smtp');
  await expect(terminal(console_)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(console_, 'EHLO before-follow.test\n');
  await expect(terminal(console_)).toContainText('S: 250 ');

  // Eve starts following after the session began, then reloads: both times the session is there at once.
  await eve.getByTestId('follow-toggle').click();
  await expect(eve.getByTestId('follow-status')).toHaveText('following: read-only');
  const followed = eve.getByTestId('follow-view').getByTestId('transcript');
  await expect(followed).toContainText('EHLO before-follow.test');
  await eve.reload();
  await expect(eve.getByTestId('follow-status')).toHaveText('following: read-only');
  await expect(followed).toContainText('EHLO before-follow.test');
  await expect(followed).toContainText(/^.*220 /);
});

test('rewinding to step 2.5 or 999 says why on the teacher’s board (walk B #6)', async ({ browser }) => {
  test.setTimeout(90_000);
  const { teacher } = await teacherWithClass(newPage, browser, 'Rewind checks');
  const console_ = await teacher.context().newPage();
  await console_.goto('/smtp');
  await expect(terminal(console_)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(console_, 'NOOP\n');
  await expect(terminal(console_)).toContainText('S: 250 ');
  const own = teacher.getByTestId('own-sessions');
  await expect(own.getByTestId('transcript')).toContainText('NOOP');

  const step = own.getByLabel('Step to rewind to');
  await step.fill('2.5');
  await own.getByRole('button', { name: 'Rewind class' }).click();
  await expect(own.getByTestId('rewind-step-error')).toHaveText('A step is a message number: a whole number, 1 or more (not 2.5).');
  await step.fill('999');
  await own.getByRole('button', { name: 'Rewind class' }).click();
  await expect(teacher.getByTestId('class-action-error')).toContainText(/has \d+ messages: there is no message #999 to rewind the class on/);
  await expect(teacher.getByTestId('class-rewound')).toHaveCount(0);
});

test('the class name says its 80-character limit (walk B #10)', async ({ browser }) => {
  const teacher = await newPage(browser);
  await teacher.goto('/teacher');
  await teacher.getByLabel("Teacher's token").fill(TEACHER_TOKEN);
  await teacher.getByRole('button', { name: 'Sign in' }).click();
  const name = teacher.getByLabel('Class name');
  await name.fill('Networks 2B');
  await expect(teacher.getByTestId('class-name-count')).toHaveText('11 of 80 characters');
  await name.fill('Networks 2B — Tuesday protocols lab with a rather long class name for the projector');
  await expect(teacher.getByTestId('class-name-count')).toHaveText('80 of 80 characters: the most a class name may have; anything longer was cut here.');
});

test("in Presenter mode at 1280×720 the header keeps its Class entry, which leads the signed-in teacher to the teacher's page (walk B #9)", async ({ browser }) => {
  const { teacher, code } = await teacherWithClass(newPage, browser, 'Presenter nav');
  const eve = await newPage(browser);
  await fillJoin(eve, code, 'Eve');
  await expect(eve).toHaveURL(/\/class$/);
  for (const [page, entry, href] of [
    [eve, 'Class', '/class'],
    [teacher, 'Class', '/teacher'],
  ] as const) {
    await page.goto('/smtp');
    await page.getByRole('button', { name: 'Presenter' }).click();
    await expect(page.locator('html')).toHaveClass(/presenter/);
    const nav = page.locator('header nav');
    const link = nav.getByRole('link', { name: entry, exact: true });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('href', href);
    // Every entry on one line, on screen: nothing wraps out of the header or hides.
    const tops = await nav.getByRole('link').evaluateAll((links) => links.map((l) => [(l as HTMLElement).offsetWidth > 0, Math.round(l.getBoundingClientRect().top)] as const));
    expect(tops.every(([shown]) => shown)).toBe(true);
    expect(new Set(tops.map(([, top]) => top)).size).toBe(1);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
  }
  await expect(teacher.getByTestId('join-code').or(teacher.getByTestId('class-list'))).toBeVisible();
});
