import { expect, test } from '@playwright/test';

/**
 * The "Own client" recipes (copy-paste commands for real clients) read whole at 1280×720 in Presenter
 * mode: a long token (a host key, a fingerprint, a long URL) wraps inside the box instead of making the
 * student scroll it sideways to see the end of a command.
 */
test.use({ viewport: { width: 1280, height: 720 } });

const LABS = ['smtp', 'ssh', 'ftp', 'soap', 'zmq', 'policy', 'gateway'];

test('every lab\'s Own client recipes wrap in their box in Presenter mode, none scrolls sideways', async ({ page }, testInfo) => {
  await page.goto('/smtp');
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const sideways: string[] = [];
  for (const lab of LABS) {
    await page.goto(`/${lab}`);
    await expect(page.locator('html')).toHaveClass(/presenter/);
    await page.getByRole('tab', { name: 'Own client' }).click();
    const recipes = page.getByTestId('client-recipes');
    await expect(recipes, lab).toBeVisible();
    const names = await recipes.getByTestId('client-recipe-name').allTextContents();
    expect(names.length, lab).toBeGreaterThan(0);
    for (const name of names) {
      await recipes.getByTestId('client-recipe-name').filter({ hasText: name }).first().click();
      const box = recipes.getByTestId('client-recipe');
      await expect(box).toBeVisible();
      const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      if (scroll > client + 1) {
        sideways.push(`${lab} · ${name}: ${scroll} > ${client} px`);
        await page.screenshot({ path: testInfo.outputPath(`${lab}-${name.replace(/\W+/g, '-')}.png`) });
      }
    }
  }
  expect(sideways, 'recipes that scroll sideways').toEqual([]);
});
