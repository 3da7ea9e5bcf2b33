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
