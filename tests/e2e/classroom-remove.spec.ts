import { expect, test, type Page } from '@playwright/test';
import { desks, joinClass } from './classroom';

/** Set by tests/e2e/run.mjs for the lab it starts. */
const TEACHER_TOKEN = process.env.LAB_TEACHER_TOKEN ?? '';
const CLASS = 'Remove drill';

const newPage = desks();

test("the teacher removes a duplicate join from the roster, after a confirm; that student's page says it left the class, and the sandbox stays its own", async ({ browser }, testInfo) => {
  expect(TEACHER_TOKEN, 'tests/e2e/run.mjs sets LAB_TEACHER_TOKEN').not.toBe('');
  const teacher = await newPage(browser);
  await teacher.goto('/teacher');
  await teacher.getByTestId('teacher-sign-in').getByLabel("Teacher's token").fill(TEACHER_TOKEN);
  await teacher.getByTestId('teacher-sign-in').getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByLabel('Class name').fill(CLASS);
  await teacher.getByRole('button', { name: 'Create class' }).click();
  const code = (await teacher.getByTestId('join-code').textContent()) ?? '';

  // Ana joins at her desk, then again from a second browser: two rows, one of them a mistake.
  const ana = await newPage(browser);
  const again = await newPage(browser);
  await joinClass(ana, code, 'Ana', CLASS);
  await joinClass(again, code, 'Ana', CLASS);
  await expect(teacher.getByTestId('roster-name')).toHaveText(['Ana', 'Ana']);
  const duplicate = (await (await again.context().request.get('/api/lab')).json()) as { sandbox: string };
  // The duplicate's page follows the teacher.
  await again.getByTestId('follow-toggle').click();
  await expect(again.getByTestId('follow-status')).toHaveText('following: read-only');

  const row = teacher.locator(`[data-testid=roster-row][data-sandbox="${duplicate.sandbox}"]`);
  // Remove asks first; Cancel leaves the row.
  await row.getByRole('button', { name: 'Remove…' }).click();
  const confirm = row.getByTestId('roster-remove-confirm');
  await expect(confirm).toContainText('Their sandbox keeps its files, mail and progress');
  await teacher.screenshot({ path: testInfo.outputPath('roster-remove-confirm.png') });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(teacher.getByTestId('roster-name')).toHaveText(['Ana', 'Ana']);

  await row.getByRole('button', { name: 'Remove…' }).click();
  await row.getByTestId('roster-remove-confirm').getByRole('button', { name: 'Remove Ana' }).click();
  await expect(teacher.getByTestId('roster-removed')).toContainText(`Removed Ana (${duplicate.sandbox}) from the class`);
  await expect(teacher.getByTestId('roster-name')).toHaveText(['Ana']);
  await expect(row).toHaveCount(0);

  // The removed page is told, at once, and keeps working in its own sandbox.
  const told = again.getByTestId('class-removed');
  await expect(told).toContainText(`The teacher removed you from the class ${CLASS}`);
  await expect(told).toContainText(duplicate.sandbox);
  await expect(again.getByTestId('class-room')).toHaveCount(0);
  await again.screenshot({ path: testInfo.outputPath('class-removed.png') });
  await again.reload();
  await expect(again.getByText('This browser is not in a class')).toBeVisible();
  const after = (await (await again.context().request.get('/api/lab')).json()) as { sandbox: string; class: unknown };
  expect(after).toMatchObject({ sandbox: duplicate.sandbox, class: null });

  // Ana's own row and page are untouched.
  await expect(ana.getByTestId('class-room')).toBeVisible();
  await expect(ana.getByTestId('class-removed')).toHaveCount(0);
});

test("a student removed while on a lab page is told there at once: the header's class goes, following stops, the sandbox's work stays", async ({ browser }, testInfo) => {
  const name = 'Remove from a lab';
  const teacher = await newPage(browser);
  await teacher.goto('/teacher');
  await teacher.getByTestId('teacher-sign-in').getByLabel("Teacher's token").fill(TEACHER_TOKEN);
  await teacher.getByTestId('teacher-sign-in').getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByLabel('Class name').fill(name);
  await teacher.getByRole('button', { name: 'Create class' }).click();
  const code = (await teacher.getByTestId('join-code').textContent()) ?? '';

  const bo = await newPage(browser);
  await joinClass(bo, code, 'Bo', name);
  const { sandbox } = (await (await bo.context().request.get('/api/lab')).json()) as { sandbox: string };
  await bo.getByTestId('follow-toggle').click();
  await expect(bo.getByTestId('follow-status')).toHaveText('following: read-only');
  // On to the SMTP lab by the header (the header stays: no page load), the class named by its Class link.
  await bo.locator('header nav').getByRole('link', { name: 'SMTP', exact: true }).click();
  await expect(bo).toHaveURL(/\/smtp$/);
  await expect(bo.getByTestId('class-nav-link')).toHaveAttribute('data-class', name);
  await expect(bo.getByTestId('class-nav-link')).toHaveAttribute('title', `Your class: ${name}`);

  const row = teacher.locator(`[data-testid=roster-row][data-sandbox="${sandbox}"]`);
  await row.getByRole('button', { name: 'Remove…' }).click();
  await row.getByTestId('roster-remove-confirm').getByRole('button', { name: 'Remove Bo' }).click();
  await expect(teacher.getByTestId('roster-removed')).toContainText(`Removed Bo (${sandbox})`);

  // The lab page says it, with what is kept, and the header no longer names the class.
  const told = bo.getByTestId('class-removed-notice');
  await expect(told).toContainText(`The teacher removed you from the class ${name}`);
  await expect(told).toContainText('you no longer follow');
  await expect(told).toContainText(`Your sandbox ${sandbox} keeps its files, mail and lesson progress`);
  await expect(bo.getByTestId('class-nav-link')).not.toHaveAttribute('data-class', /.+/);
  await expect(bo.getByTestId('class-nav-link')).not.toHaveAttribute('title', /.+/);
  await bo.screenshot({ path: testInfo.outputPath('class-removed-on-lab.png') });
  // The next lab page of the tab says it too, until read.
  await bo.locator('header nav').getByRole('link', { name: 'FTP & FTPS', exact: true }).click();
  await expect(bo).toHaveURL(/\/ftp$/);
  await expect(bo.getByTestId('class-removed-notice')).toContainText(name);
  await bo.getByTestId('class-removed-notice').getByRole('button', { name: 'OK' }).click();
  await expect(bo.getByTestId('class-removed-notice')).toHaveCount(0);

  // Following stopped for good: joining again (a mistake undone) starts not following, in the same sandbox.
  await joinClass(bo, code, 'Bo', name);
  await expect(bo.getByTestId('follow-status')).toHaveText('not following');
  const after = (await (await bo.context().request.get('/api/lab')).json()) as { sandbox: string };
  expect(after.sandbox).toBe(sandbox);
});
