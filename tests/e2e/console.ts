import { expect, type Page } from '@playwright/test';

/** The rows of a lab page's xterm console (what the user reads). */
export const terminal = (page: Page) => page.getByTestId('terminal').locator('.xterm-rows');
export const transcript = (page: Page) => page.getByTestId('transcript');

/** Types into the xterm console as a user would (the helper textarea receives keystrokes). */
export async function type(page: Page, text: string) {
  await page.getByTestId('terminal').click();
  await page.keyboard.type(text);
}

/**
 * Walks step mode, for this page's console only, through one command and its reply: both are
 * held at the tap until Step.
 * `whileHeld` runs while the command is held (screenshots, layout checks).
 */
export async function stepThrough(page: Page, command: string, reply: string, whileHeld: () => Promise<void> = async () => {}) {
  // Hold only this page's console (step mode is the browser's own; other browsers and clients pass).
  await page.getByLabel('What to hold').selectOption('own');
  // The checkbox reflects the daemon's state, so it turns on once the daemon confirms.
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await type(page, `${command}\n`);
  await expect(page.getByTestId('held-count')).toHaveText('1 held');
  // The chip names what is held: direction, text and the connection (the browser's own console).
  await expect(page.getByTestId('held-next')).toContainText(`C: ${command}`);
  await expect(page.getByTestId('held-next')).toContainText('console');
  await expect(terminal(page)).not.toContainText(`C: ${command}`);
  await whileHeld();
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(terminal(page)).toContainText(`C: ${command}`);
  // The server answered at once, but its reply now waits at the tap too.
  await expect(page.getByTestId('held-count')).toHaveText('1 held');
  await expect(page.getByTestId('held-next')).toContainText(reply);
  await expect(terminal(page)).not.toContainText(reply);
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(terminal(page)).toContainText(reply);
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).not.toBeChecked();
  await expect(page.getByTestId('held-count')).toHaveCount(0);
}
