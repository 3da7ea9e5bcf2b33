import { expect, test, type Page } from '@playwright/test';
import { terminal, type } from './console';

/**
 * The lit pixels (brighter than the terminal's background) in the screen cell of the first `_` on
 * the console row that reads `text`: 0 when the row cuts the glyph off. The screenshot is decoded by
 * the page's own image decoder, so the test reads what the user sees, not the DOM.
 */
async function litPixelsOfUnderscore(page: Page, text: string): Promise<number> {
  const row = terminal(page).locator(':scope > div', { hasText: text }).last();
  const cell = await row.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf('_') ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const glyph = range.getBoundingClientRect();
      const line = el.getBoundingClientRect();
      return { x: glyph.left, y: line.top, width: glyph.width, height: line.height };
    }
    return null;
  });
  if (!cell) throw new Error(`no "_" on the row reading ${text}`);
  const png = await page.screenshot({ clip: cell });
  return page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    let lit = 0;
    // The background is #020617; a glyph's pixels are far brighter.
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 150) lit++;
    return lit;
  }, png.toString('base64'));
}

// A tall window: at 28 px the console's few rows at 720 px high would scroll the echoed line away.
test.use({ viewport: { width: 1280, height: 1600 } });

test('underscores stay visible in the terminal at every text size the lab offers (KEX_ECDH_INIT never reads "KEX ECDH INIT")', async ({ page }) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(page, 'NOOP under_score\n');
  await expect(terminal(page)).toContainText('C: NOOP under_score');
  const size = page.getByTestId('font-size');
  const smaller = page.getByRole('button', { name: 'Smaller text' });
  const larger = page.getByRole('button', { name: 'Larger text' });
  while (await smaller.isEnabled()) await smaller.click();
  const cut: string[] = [];
  for (;;) {
    const px = (await size.textContent()) ?? '?';
    // The console redraws at the new size (busy until its lines are folded for the new width); the
    // echoed line is on screen again before it is measured.
    await expect(page.getByTestId('terminal')).not.toHaveAttribute('aria-busy', 'true');
    await expect(terminal(page)).toContainText('C: NOOP under_score');
    if ((await litPixelsOfUnderscore(page, 'C: NOOP under_score')) === 0) cut.push(px);
    if (!(await larger.isEnabled())) break;
    await larger.click();
    await expect(size).not.toHaveText(px);
  }
  expect(await size.textContent()).toBe('28px');
  expect(cut, 'text sizes whose underscore the terminal row cut off').toEqual([]);
});
