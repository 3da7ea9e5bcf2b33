import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { terminal, transcript, type } from './console';

test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
});

test('selecting a message puts it in the URL, and opening that URL selects it again', async ({ page, browser }, testInfo) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(page, 'EHLO deep-link.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  const row = transcript(page).locator('li', { hasText: '250-' }).first();
  await row.getByRole('button').click();
  const id = await row.getAttribute('data-id');
  expect(id).toMatch(/^smtp-[\w-]+:\d+$/);
  const conn = id!.slice(0, id!.lastIndexOf(':'));
  // replaceState: the address names the connection and the message, with no new history entry.
  await expect(page).toHaveURL(`/smtp?conn=${encodeURIComponent(conn)}&msg=${encodeURIComponent(id!)}`);

  // A second browser (a classmate) opens the shared link: the same connection, read only, the same message open.
  const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await other.goto(new URL(page.url()).pathname + new URL(page.url()).search);
  await expect(other.getByRole('region', { name: /\(read only\)$/ })).toBeVisible();
  await expect(terminal(other)).toContainText('C: EHLO deep-link.lab.test');
  const shared = transcript(other).locator(`li[data-id="${id}"]`);
  await expect(shared.getByRole('button').first()).toHaveAttribute('aria-expanded', 'true');
  await expect(other.getByTestId('message-detail')).toContainText('PIPELINING');
  await other.screenshot({ path: testInfo.outputPath('smtp-deep-link.png') });
  // A bare seq is short for the message id.
  await other.goto(`/smtp?conn=${encodeURIComponent(conn)}&msg=${id!.slice(id!.lastIndexOf(':') + 1)}`);
  await expect(transcript(other).locator(`li[data-id="${id}"]`).getByRole('button').first()).toHaveAttribute('aria-expanded', 'true');
  await other.close();
});

test('a shared link to a connection that is gone says so, instead of an empty terminal waiting for a greeting', async ({ page }) => {
  // Pruned, never there, or another sandbox's: the daemon answers all three alike, and the page says it.
  for (const lab of ['smtp', 'ssh', 'ftp', 'soap', 'gateway']) {
    const conn = `${lab}-gone0001`;
    await page.goto(`/${lab}?conn=${conn}&msg=3`);
    await expect(page.getByText(`Cannot show connection ${conn}: No connection ${conn}.`)).toBeVisible();
    await expect(page.getByText(/Waiting for the server/)).toHaveCount(0);
  }
});

test('every lab on the home page is live and opens its own page, not a "coming" page', async ({ page }) => {
  // Every lab announced so far is built (ZeroMQ, WS-Policy and access control were the last "coming" ones).
  await page.goto('/');
  for (const slug of ['smtp', 'ssh', 'ftp', 'soap', 'zmq', 'policy', 'gateway']) {
    await expect(page.getByTestId(`lab-${slug}`)).toContainText('live');
  }
  for (const slug of ['zmq', 'policy', 'gateway']) {
    const res = await page.goto(`/${slug}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByTestId('lab-coming')).toHaveCount(0);
  }
});

test('an address that names no lab answers 404 with the list of labs', async ({ page }, testInfo) => {
  const res = await page.goto('/no-such-lab');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('lab-not-found')).toContainText('No lab here');
  await expect(page.getByTestId('lab-not-found').getByRole('link', { name: 'SSH & SFTP' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('lab-not-found.png') });
});

test('every page of the lab loads without a script error (a hydration mismatch included)', async ({ page }) => {
  // React reports a page whose server HTML the browser re-parsed differently (a div inside a p) as a
  // console error and re-renders it on the client: visible only here, so every page is opened.
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
  const pages = ['/', '/start', '/smtp', '/ssh', '/ftp', '/soap', '/zmq', '/policy', '/gateway', '/sessions', '/class', '/join', '/teacher'];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Hydration runs after the first paint: wait until the page's scripts have run.
    await page.waitForLoadState('networkidle');
  }
  expect(errors).toEqual([]);
});

test('the header marks the page that is open: a lab, and Sessions for the player', async ({ page }) => {
  const nav = page.getByRole('navigation');
  await page.goto('/ssh');
  await expect(nav.locator('[aria-current="page"]')).toHaveText('SSH & SFTP');
  await page.goto('/sessions');
  await expect(nav.locator('[aria-current="page"]')).toHaveText('Sessions');
  await page.goto('/');
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(0);
});

test("a lab page names its lessons beside its title and leads to them on Start here", async ({ page }) => {
  await page.goto('/ftp');
  const link = page.getByTestId('lab-lessons-link');
  await expect(link).toHaveText(/^\d+ lessons?$/);
  const count = Number((await link.textContent())?.split(' ')[0]);
  await link.click();
  await expect(page).toHaveURL(/\/start#lessons-ftp$/);
  const group = page.getByTestId('lessons-ftp');
  await expect(group).toBeInViewport();
  await expect(group.locator('a[href*="?lesson="]')).toHaveCount(count);
  // In Presenter mode the row keeps its room for the lab's own controls.
  await page.goto('/ftp');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await expect(page.getByTestId('lab-lessons-link')).toBeHidden();
  await page.getByRole('button', { name: 'Presenter' }).click();
});

/** `n` SSH clients at once that send their version line and hang up 2.5 s later (each a row of its own: none is a short retry). */
async function sshVersionClients(n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) => new Promise<void>((resolve, reject) => {
      const sock = net.connect(Number(process.env.SSH_PORT), '127.0.0.1', () => sock.write(`SSH-2.0-ListTest${i}\r\n`));
      sock.once('error', reject);
      sock.resume();
      setTimeout(() => {
        sock.destroy();
        resolve();
      }, 2_500);
    })),
  );
}

/** The connection list's box, its panel's, and how far it is scrolled. */
const listGeometry = (page: Page) =>
  page.getByTestId('connection-list').evaluate((list) => {
    const panel = list.closest('section')!.getBoundingClientRect();
    const box = list.getBoundingClientRect();
    return { listBottom: box.bottom, listHeight: box.height, panelBottom: panel.bottom, panelHeight: panel.height, scrollTop: list.scrollTop };
  });

test("the SSH lab's Connections tab fills its panel with the list and says how many rows are below, normal and Presenter", async ({ page, request }, testInfo) => {
  await sshVersionClients(30);
  await expect.poll(async () => ((await (await request.get('/api/connections?protocol=ssh&limit=100')).json()) as { connections: { endedAt: number | null }[] }).connections.filter((c) => c.endedAt).length).toBeGreaterThanOrEqual(30);
  await page.goto('/ssh');
  for (const mode of ['normal', 'presenter']) {
    if (mode === 'presenter') {
      await page.getByRole('button', { name: 'Presenter' }).click();
      await expect(page.locator('html')).toHaveClass(/presenter/);
    }
    await page.getByRole('tab', { name: 'Connections', exact: true }).click();
    const list = page.getByTestId('connection-list');
    await expect(list.locator('li[data-conn]').nth(29)).toBeAttached();
    await expect(list.locator('li').first()).toBeVisible();
    // The list reaches down to the panel's bottom (it stopped at 14 rem, half the panel empty below it).
    const at = await listGeometry(page);
    expect(at.panelBottom - at.listBottom).toBeLessThan(48);
    expect(at.listHeight).toBeGreaterThan(at.panelHeight / 2);
    // It says that it goes on, and how far; a click scrolls on.
    const more = page.getByTestId('connection-list-more');
    await expect(more).toHaveText(/^↓ \d+ more below/);
    await page.screenshot({ path: testInfo.outputPath(`ssh-connections-${mode}.png`) });
    await more.click();
    await expect.poll(async () => (await listGeometry(page)).scrollTop).toBeGreaterThan(0);
    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(more).toBeHidden();
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(more).toBeVisible();
  }
});
