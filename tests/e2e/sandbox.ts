import { expect, type Browser, type Page } from '@playwright/test';

/** What a student sandbox id looks like (lib/sandbox/directory.ts SANDBOX_ID); `local` never matches. */
export const SANDBOX_ID = /^[a-hjkmnp-z2-9]{6}$/;

export const chipId = (page: Page) => page.getByTestId('sandbox-chip-id');
export const card = (page: Page) => page.getByTestId('sandbox-card');

/** Opens the sandbox card from the title line's chip. */
export async function openCard(page: Page) {
  await page.getByTestId('sandbox-chip').click();
  await expect(card(page)).toBeVisible();
}

/** "Start my own sandbox": the page reloads into a new sandbox, whose id the chip then names. */
export async function startOwnSandbox(page: Page): Promise<string> {
  await expect(chipId(page)).toHaveText('local');
  await openCard(page);
  await card(page).getByRole('button', { name: 'Start my own sandbox' }).click();
  await expect(chipId(page)).toHaveText(SANDBOX_ID);
  return (await chipId(page).textContent()) ?? '';
}

/** A new browser (its own cookies: a student at another desk) on a lab page, the SMTP lab's unless named. */
export async function newStudent(browser: Browser, path = '/smtp'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(path);
  return page;
}
