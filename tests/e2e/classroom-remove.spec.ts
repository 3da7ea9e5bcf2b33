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
