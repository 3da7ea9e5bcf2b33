import { expect, test } from '@playwright/test';
import { violations } from './axe';
import { terminal } from './console';

const PAGES = ['/', '/smtp', '/ssh', '/ftp', '/soap', '/zmq', '/policy', '/gateway', '/start', '/sessions', '/teacher', '/join', '/class'];

test('every page, and every tab of it, has no accessibility violation axe-core finds (minor to critical), the session player included', async ({ page, request }) => {
  test.setTimeout(240_000);
  const found: string[] = [];
  for (const path of PAGES) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    for (const line of await violations(page)) found.push(`${path}: ${line}`);
    // Each tab as a user opens it (a page's tab bars: the lab's own and its side panels').
    const tabs = page.getByRole('tab');
    for (let i = 0; i < (await tabs.count()); i++) {
      const tab = tabs.nth(i);
      if (!(await tab.isVisible())) continue;
      const name = (await tab.textContent())?.trim() ?? String(i);
      await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      for (const line of await violations(page)) found.push(`${path} (tab ${name}): ${line}`);
    }
  }
  // The player, on the connection the SMTP page's console opened.
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  const { connections } = (await (await request.get('/api/connections?protocol=smtp&limit=1')).json()) as { connections: { id: string }[] };
  expect(connections.length).toBe(1);
  await page.goto(`/sessions/${connections[0].id}`);
  await expect(page.getByTestId('session-player')).toBeVisible();
  await page.waitForLoadState('networkidle');
  for (const line of await violations(page)) found.push(`player: ${line}`);
  expect(found).toEqual([]);
});
