import { expect, type Page } from '@playwright/test';

/** The lesson dock beside a lab page's terminal, and one of its steps. */
export const panel = (page: Page) => page.getByTestId('lesson-panel');
export const step = (page: Page, id: string) => page.getByTestId(`lesson-step-${id}`);

/** Waits for a step of the open lesson to turn done (the lesson panel reads the live transcript). */
export async function expectDone(page: Page, id: string) {
  await expect(step(page, id)).toHaveAttribute('data-done', 'true');
}
