import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { LineClient } from '../helpers/line-client';

/**
 * A real SMTP client (a raw socket, like telnet) whose first RCPT is refused; resolves with its
 * local port (how the lab lists it: 127.0.0.1:<port>) once the server has closed the session.
 */
async function refusedRcpt(): Promise<number> {
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  // Read while connected: a closed socket no longer knows its port.
  const port = client.socket.localPort ?? 0;
  await client.waitFor(/^220 .*\r\n/m);
  for (const line of ['EHLO sessions.e2e', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<nobody@lab.test>', 'RCPT TO:<alice@lab.test>', 'QUIT']) await client.command(line);
  await client.whenClosed();
  return port;
}

/** The list's row of the connection from local port `port`. */
const rowOf = (page: Page, port: number) => page.getByTestId('session-row').filter({ hasText: `127.0.0.1:${port}` });

test('searching smtp.reply.5xx after a refused RCPT lists it; clicking opens the player at that message', async ({ page }, testInfo) => {
  const port = await refusedRcpt();
  await page.goto('/sessions');
  await expect(rowOf(page, port)).toBeVisible();
  await page.getByTestId('search-input').fill('smtp.reply.5xx');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('search-summary')).toContainText('annotation key smtp.reply.5xx');
  const hit = page.getByTestId('search-hit').filter({ hasText: `127.0.0.1:${port}` });
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText('550 5.1.1');
  await expect(hit).toContainText('smtp.reply.550');
  await page.screenshot({ path: testInfo.outputPath('sessions-search.png') });
  const conn = (await hit.getAttribute('data-conn'))!;
  const seq = (await hit.getAttribute('data-seq'))!;
  expect(await rowOf(page, port).getAttribute('data-conn')).toBe(conn);
  await hit.click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${conn}\\?msg=${seq}$`));
});

test("every lab's name reads whole in the list, at the desk and in Presenter mode", async ({ page }) => {
  // A connection of the lab with the longest name: a real HTTP client at the access-control service.
  const res = await fetch(`http://127.0.0.1:${process.env.GATEWAY_PORT}/api/library/books`, { headers: { authorization: `Basic ${Buffer.from(`bob:${process.env.LAB_PASSWORD}`).toString('base64')}` } });
  expect(res.status).toBe(200);
  await page.goto('/sessions');
  const labCells = page.getByTestId('session-row').locator('td:nth-child(2)');
  await expect(labCells.filter({ hasText: 'Access control' }).first()).toBeVisible();
  const cut = () => labCells.evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
  expect(await cut()).toEqual([]);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  expect(await cut()).toEqual([]);
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test('in Presenter mode at 1280×720 the list shows six connections or more without scrolling the page, and the last one\'s export menu opens upwards, whole', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // Eight short SMTP sessions from a real client, so the list has more rows than fit; each of another
  // length, so the list does not fold them as one client retrying (repeats.ts).
  for (let i = 0; i < 8; i++) {
    const client = await LineClient.connect(Number(process.env.SMTP_PORT));
    await client.waitFor(/^220 .*\r\n/m);
    for (let n = 0; n < i; n++) await client.command('NOOP');
    await client.command('QUIT');
    await client.whenClosed();
  }
  await page.goto('/sessions');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await expect(page.getByTestId('session-row').nth(7)).toBeAttached();
  const list = page.getByTestId('session-row').first().locator('xpath=ancestor::div[contains(@class, "overflow-auto")][1]');
  const whole = () =>
    list.evaluate((scroller) => {
      const view = scroller.getBoundingClientRect();
      return [...scroller.querySelectorAll('[data-testid="session-row"]')].filter((row) => {
        const r = row.getBoundingClientRect();
        return r.top >= view.top && r.bottom <= view.bottom;
      }).length;
    });
  // Four rows were in sight before: the search panel's 20rem minimum took the rest.
  expect(await whole()).toBeGreaterThanOrEqual(6);
  const body = await page.getByTestId('sessions-body').evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(body).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => document.documentElement.scrollHeight - innerHeight)).toBeLessThanOrEqual(0);
  // The last row in sight opens its export menu upwards: below, the list would cut it off.
  const lastInSight = page.getByTestId('session-row').nth((await whole()) - 1);
  await lastInSight.getByTestId('export-menu').locator('summary').click();
  const menu = lastInSight.getByTestId('export-menu').locator('[data-opens]');
  await expect(menu).toHaveAttribute('data-opens', 'up');
  const [menuBox, listBox] = [await menu.boundingBox(), await list.boundingBox()];
  expect(menuBox && listBox && menuBox.y >= listBox.y && menuBox.y + menuBox.height <= listBox.y + listBox.height).toBe(true);
  await menu.getByRole('link', { name: 'pcapng' }).hover();
  // The first row's opens downwards as before.
  await page.getByTestId('session-row').first().getByTestId('export-menu').locator('summary').click();
  await expect(page.getByTestId('session-row').first().getByTestId('export-menu').locator('[data-opens]')).toHaveAttribute('data-opens', 'down');
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test('a query that cannot be read is explained in words', async ({ page }) => {
  await page.goto('/sessions');
  await page.getByTestId('search-input').fill('smtp.reply.5xx or');
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-error')).toHaveText('Cannot read the search: "or" at character 16 needs something on both sides.');
});

test('a connection exported as JSON and imported back shows as an imported connection', async ({ page }, testInfo) => {
  const port = await refusedRcpt();
  await page.goto('/sessions');
  const row = rowOf(page, port);
  await row.getByTestId('export-menu').locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a[data-format="json"]').click()]);
  const file = testInfo.outputPath('exported.json');
  await download.saveAs(file);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  expect(fs.readFileSync(file, 'utf8')).toContain('RCPT TO:<nobody@lab.test>');

  await page.getByTestId('import-file').setInputFiles(file);
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('Imported 1 connection');
  const imported = result.getByTestId('imported-connection');
  await expect(imported).toHaveCount(1);
  await expect(imported).toContainText('smtp');
  const id = (await imported.getAttribute('href'))!.split('/').pop()!;
  // The imported connection is in the list, marked, and its transcript is searchable like any other.
  await expect(page.locator(`[data-testid="session-row"][data-conn="${id}"]`)).toBeVisible();
  await page.getByTestId('search-input').fill(`conn:${id} smtp.reply.5xx`);
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-hit')).toHaveCount(1);
  await expect(page.getByTestId('search-hit')).toContainText('550 5.1.1');
  await page.screenshot({ path: testInfo.outputPath('sessions-imported.png') });
});
