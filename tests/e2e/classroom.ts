import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';

/**
 * Browsers of their own (their own cookies: other desks in the room) at 1280×720, closed after each test:
 * Playwright closes only its own `page`, and a teacher page left open would follow the next specs' sessions.
 * Call once at a spec's top level; it returns `newPage(browser)`.
 */
export function desks(): (browser: Browser) => Promise<Page> {
  const opened: BrowserContext[] = [];
  test.afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
  });
  return async (browser) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    opened.push(context);
    return context.newPage();
  };
}

/** A student joins the class `className` with its code and a name; the class page opens. */
export async function joinClass(page: Page, code: string, name: string, className: string) {
  await page.goto('/join');
  const form = page.getByTestId('join-form');
  await form.getByLabel('Class code').fill(code);
  await form.getByLabel('Your name').fill(name);
  await form.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(/\/class$/);
  await expect(page.getByTestId('class-name')).toHaveText(className);
}

/** The teacher (a desk from `newPage`) signs in with the lab's teacher token and creates a class; answers its join code. */
export async function teacherWithClass(newPage: (browser: Browser) => Promise<Page>, browser: Browser, name: string): Promise<{ teacher: Page; code: string }> {
  const token = process.env.LAB_TEACHER_TOKEN ?? '';
  expect(token, 'tests/e2e/run.mjs sets LAB_TEACHER_TOKEN').not.toBe('');
  const teacher = await newPage(browser);
  await teacher.goto('/teacher');
  await teacher.getByLabel("Teacher's token").fill(token);
  await teacher.getByRole('button', { name: 'Sign in' }).click();
  await teacher.getByLabel('Class name').fill(name);
  await teacher.getByRole('button', { name: 'Create class' }).click();
  const code = (await teacher.getByTestId('join-code').textContent()) ?? '';
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  return { teacher, code };
}
