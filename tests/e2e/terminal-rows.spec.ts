import { expect, test, type Page } from '@playwright/test';
import { terminal, transcript, type } from './console';

/**
 * Long wire lines in the console break at word boundaries, under the text after their "S: " / "C: "
 * prefix, where xterm cut them at the last column ("S: 150 … open data con" | "nection") — read on a
 * projector in Presenter mode at 1280×720, and again once larger text has narrowed the console.
 */
test.use({ viewport: { width: 1280, height: 720 } });

/** The console's rows as the user reads them (xterm draws spaces as no-break spaces). */
const rowsOf = async (page: Page) => (await terminal(page).locator(':scope > div').allTextContents()).map((row) => row.replaceAll('\u00a0', ' ').trimEnd());

/**
 * The rows of the last message whose first row starts with `start`: that row and the continuation rows
 * under it (indented three cells, not an annotation's "↳").
 */
function messageRows(rows: string[], start: string): string[] {
  const first = rows.findLastIndex((row) => row.startsWith(start));
  if (first < 0) return [];
  const out = [rows[first]];
  for (let i = first + 1; i < rows.length && /^ {3}[^ ↳]/.test(rows[i]); i++) out.push(rows[i]);
  return out;
}

/** The words a message's rows read, its prefix left off. */
const wordsOf = (rows: string[]) => rows.join(' ').slice(3).trim().split(/\s+/);

const columns = async (page: Page) => Number(await page.getByTestId('terminal').locator('[data-cols]').getAttribute('data-cols'));

/** Waits until the console has written itself again for its width (busy while it re-folds after a resize). */
async function settled(page: Page) {
  await expect(page.getByTestId('terminal')).not.toHaveAttribute('aria-busy', 'true');
}

test('in Presenter mode FTP replies longer than the console break between words, also once larger text has re-folded them, in wire order', async ({ page }, testInfo) => {
  await page.request.post('/api/ftp/firewall', { data: { enabled: false } });
  await page.request.post('/api/step/ftp', { data: { enabled: false } });
  await page.goto('/ftp');
  await expect(terminal(page)).toContainText('S: 220', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await type(page, 'USER student\n');
  await expect(terminal(page)).toContainText('S: 331');
  await type(page, 'PASS e2e-password\n');
  await expect(terminal(page)).toContainText('S: 230');
  await type(page, 'EPSV\n');
  await expect(terminal(page)).toContainText('Data connection opened');
  await type(page, 'RETR README.txt\n');
  await expect(terminal(page)).toContainText('S: 226');
  await settled(page);

  // The console shows only its last rows: selecting a reply in the transcript scrolls the console to it.
  await page.getByRole('tab', { name: 'Transcript' }).click();
  const select = async (text: string, start: string) => {
    await transcript(page).locator('li', { hasText: text }).getByRole('button').first().click();
    await expect(terminal(page)).toContainText(start);
  };
  const reply150 = '150 File status okay; about to open data connection'.split(' ');
  const check = async (label: string) => {
    const cols = await columns(page);
    // The lines are longer than a row here, so they must break somewhere.
    expect(cols, label).toBeLessThan(`S: ${reply150.join(' ')}`.length);
    await select('229 Entering Extended Passive Mode', 'S: 229 ');
    const r229 = messageRows(await rowsOf(page), 'S: 229 ');
    expect(wordsOf(r229).slice(0, 5), `${label}: ${JSON.stringify(r229)}`).toEqual(['229', 'Entering', 'Extended', 'Passive', 'Mode']);
    expect(wordsOf(r229).slice(5), `${label}: ${JSON.stringify(r229)}`).toEqual([expect.stringMatching(/^\(\|\|\|\d+\|\)$/)]);
    await select(reply150.join(' '), 'S: 150 ');
    const rows = await rowsOf(page);
    const r150 = messageRows(rows, 'S: 150 ');
    expect(r150.length, `${label}: ${JSON.stringify(r150)}`).toBeGreaterThan(1);
    expect(wordsOf(r150), label).toEqual(reply150);
    for (const row of [...r150, ...r229]) expect(row.length, label).toBeLessThanOrEqual(cols);
    // The order on screen is the order on the wire.
    const order = ['S: 150 ', '   ↳ 150 ', '•  Data connection closed'].map((start) => rows.findIndex((row) => row.startsWith(start)));
    expect(order.every((at) => at >= 0), `${label}: ${rows.join('\n')}`).toBe(true);
    expect(order, `${label}: ${rows.join('\n')}`).toEqual([...order].sort((a, b) => a - b));
  };
  await check('Presenter mode, 20px');
  await page.screenshot({ path: testInfo.outputPath('ftp-150-presenter.png') });

  // Larger text: fewer columns, everything written again for the new width, the selected reply still in view.
  const before = await columns(page);
  await page.getByRole('button', { name: 'Larger text' }).click();
  await expect.poll(() => columns(page)).toBeLessThan(before);
  await settled(page);
  await expect(terminal(page)).toContainText('S: 150 ');
  await check('Presenter mode, larger text');
  await page.screenshot({ path: testInfo.outputPath('ftp-150-presenter-larger.png') });
});

test('in Presenter mode a click on the continuation row of the long SMTP greeting selects the greeting', async ({ page }) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  // One click gives the console the keyboard (and selects nothing); NOOP moves the greeting off the last rows.
  await type(page, 'NOOP\n');
  await expect(terminal(page)).toContainText('S: 250 ');
  await settled(page);
  const greeting = messageRows(await rowsOf(page), 'S: 220 ');
  expect(greeting.length, JSON.stringify(greeting)).toBeGreaterThan(1);
  expect(wordsOf(greeting).join(' ')).toMatch(/^220 \S+ ESMTP .*machine$/);
  // Where a user clicks on the greeting's last row (xterm's screen layer takes the pointer events).
  const last = greeting.at(-1) ?? '';
  const row = terminal(page).locator(':scope > div').filter({ hasText: last.trim() }).first();
  const box = await row.boundingBox();
  if (!box) throw new Error('the greeting\'s last row is not drawn');
  await page.mouse.click(box.x + 60, box.y + box.height / 2);
  await expect(transcript(page).locator('li', { has: page.locator('[aria-expanded="true"]') })).toContainText('220 ');
  // Every row of the selected message is highlighted, its continuation rows too (#1e3a5f behind the text).
  const highlighted = (text: string) =>
    terminal(page).locator(':scope > div').filter({ hasText: text }).first().locator('span').evaluateAll((spans) => spans.some((el) => getComputedStyle(el).backgroundColor === 'rgb(30, 58, 95)'));
  await expect.poll(() => highlighted(greeting[0].trim())).toBe(true);
  await expect.poll(() => highlighted(last.trim())).toBe(true);
});
