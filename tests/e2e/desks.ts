import { test, type Browser, type BrowserContext, type Page } from '@playwright/test';

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
