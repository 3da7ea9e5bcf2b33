import { expect, test, type Page } from '@playwright/test';

const consoleTab = (page: Page) => page.getByTestId('tab-console');
const terminalRows = (page: Page) => consoleTab(page).getByTestId('terminal').locator('.xterm-rows');
const decision = (page: Page) => consoleTab(page).getByTestId('decision-card');

// The catalogue version and step mode are lab-wide: every test starts from v1 with nothing held.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/gateway', { data: { enabled: false } });
  expect((await request.post('/api/access/sync', { data: { version: 'v1' } })).ok()).toBe(true);
});

/** Fills the console's form (the example path and body follow the service) and sends it. */
async function send(page: Page, user: string, service: string, path: RegExp | string) {
  const tab = consoleTab(page);
  await tab.getByLabel('As user').selectOption(user);
  await tab.getByLabel('Service').selectOption(service);
  await expect(tab.getByLabel('Path')).toHaveValue(path);
  if (service.startsWith('soap.')) await expect(tab.getByLabel('Body')).toHaveValue(/<soap:Envelope/);
  await tab.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(decision(page)).toBeVisible();
}

test('the home page lists the access-control lab as live and opens it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('lab-gateway')).toContainText('live');
  await page.getByTestId('lab-gateway').click();
  await expect(page).toHaveURL(/\/gateway$/);
  await expect(page.getByRole('heading', { name: /Access-control lab/ })).toBeVisible();
});

test('the catalogue lists the services with handler and call hierarchy; Sync v2 shows the diff', async ({ page }, testInfo) => {
  await page.goto('/gateway#catalogue');
  const tab = page.getByTestId('tab-catalogue');
  const rows = tab.getByTestId('catalogue-row');
  await expect(rows).toHaveCount(17);
  const enrol = tab.locator('[data-service="courses.enrol"]');
  await expect(enrol).toContainText('POST');
  await expect(enrol).toContainText('/api/courses/{courseId}/enrolments');
  await expect(enrol).toContainText('CoursesController.enrol');
  await expect(enrol).toContainText('premium');
  await enrol.click();
  await expect(tab.getByTestId('call-tree')).toContainText('CourseService.enrol');
  await expect(tab.getByTestId('call-tree')).toContainText('CourseRepository');
  await expect(tab.getByTestId('service-detail')).toContainText('CourseFullError 409');
  await page.screenshot({ path: testInfo.outputPath('gateway-catalogue.png') });

  await tab.getByRole('button', { name: 'Sync v2' }).click();
  const diff = tab.getByTestId('catalogue-diff');
  await expect(diff).toContainText('+ library.renew');
  await expect(diff).toContainText('− accounts.update');
  await expect(diff).toContainText('~ grades.record');
  await expect(diff).toContainText('/api/students/{student}/grades/{courseId}');
  await expect(tab.locator('[data-service="library.renew"]')).toContainText('new');
  await expect(tab.locator('[data-service="library.renew"]')).toContainText('none');
  await expect(tab.locator('[data-service="accounts.update"]')).toHaveCount(0);
  await expect(tab.getByTestId('catalogue-stats')).toContainText('sources v2');
  await page.screenshot({ path: testInfo.outputPath('gateway-sync-v2.png') });
});

test('as bob a premium-only call is denied: 403 in the terminal, the decision and its trace beside it, the ladder stops at the interceptor', async ({ page }, testInfo) => {
  await page.goto('/gateway');
  await send(page, 'bob', 'library.borrow', '/api/library/loans');
  await expect(decision(page)).toHaveAttribute('data-outcome', 'deny');
  // The terminal scrolls to the interceptor's note, the answer right under it.
  await expect(terminalRows(page)).toContainText('Interceptor denied: bob (Basic) → library.borrow');
  // The note's trace, link by link, up to where the chain broke.
  await expect(terminalRows(page)).toContainText('✓ groups community university');
  await expect(terminalRows(page)).toContainText('✗ service library.borrow');
  await expect(terminalRows(page)).toContainText('S: HTTP/1.1 403 Forbidden');
  // The whole transcript: request, then the decision, then the answer, as on the wire.
  const conn = await consoleTab(page).getByTestId('request-conn').textContent();
  const res = await page.request.get(`/api/connections/${conn}?limit=500`);
  const texts = ((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
  const at = (re: RegExp) => texts.findIndex((t) => re.test(t));
  expect(at(/^POST \/api\/library\/loans HTTP\/1\.1$/)).toBeGreaterThanOrEqual(0);
  expect(at(/^Interceptor denied: bob/)).toBeGreaterThan(at(/^POST \/api\/library\/loans/));
  expect(at(/^HTTP\/1\.1 403 Forbidden$/)).toBeGreaterThan(at(/^Interceptor denied: bob/));
  const trace = decision(page).getByTestId('decision-trace');
  await expect(trace).toContainText('✓ groups community university');
  await expect(trace).toContainText('✓ products basic');
  await expect(trace).toContainText('✗ service');
  await expect(decision(page)).toContainText('It is in feature library-write of product premium');
  const ladder = consoleTab(page).getByTestId('access-ladder');
  await expect(ladder.getByTestId('ladder-arrow')).toHaveCount(4);
  await expect(ladder).toContainText('deny at service');
  await expect(ladder).toContainText('403 problem+json');
  const fits = () => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth);
  expect(await fits()).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('gateway-bob-denied.png') });
});

test("in Presenter mode at 1280×720 the request form is whole (Send not covered by the switches, a click sends), the ladder's lane names read apart and its labels whole at 16 px", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/gateway');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const form = consoleTab(page).getByTestId('request-form');
  const switches = consoleTab(page).getByRole('region', { name: 'Switches (apply at once)' });
  // The form's panel ends above the switches' panel (its column scrolls instead).
  const [formBox, switchesBox] = [await form.boundingBox(), await switches.boundingBox()];
  expect(formBox && switchesBox && formBox.y + formBox.height <= switchesBox.y).toBe(true);
  // A click lands on Send itself (Playwright refuses a click another element would receive).
  await send(page, 'bob', 'library.borrow', '/api/library/loans');
  // Each subscription switch names its group and product whole, wrapping in the narrow column ("→ b…" before).
  const subscriptions = switches.getByTestId('subscription-label');
  await expect(subscriptions.first()).toBeVisible();
  expect(await subscriptions.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent))).toEqual([]);
  // The service's products read on a line of their own under its select (cut in the closed select before).
  await expect(consoleTab(page).getByTestId('service-products')).toHaveText(/^in \S/);
  // The path reads whole: on its own row at the projector's type size ("/api/libr" before).
  expect(await consoleTab(page).getByLabel('Path').evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(decision(page)).toHaveAttribute('data-outcome', 'deny');
  const ladder = consoleTab(page).getByTestId('access-ladder');
  // The ladder's lane names read apart: at least a space (4 px) between one and the next ("decision pointhandler" had 1 px).
  const lanes = await ladder.getByTestId('ladder-lane').evaluateAll((groups) =>
    groups
      .map((g) => {
        const lines = [...g.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
        return { name: lines.map((l) => l.text).join(' '), left: Math.min(...lines.map((l) => l.box.left)), right: Math.max(...lines.map((l) => l.box.right)) };
      })
      .sort((a, b) => a.left - b.left),
  );
  expect(lanes.map((l) => l.name)).toEqual(['client', 'interceptor', 'decision point', 'handler']);
  expect(lanes.slice(1).filter((lane, i) => lane.left < lanes[i].right + 4).map((l) => l.name)).toEqual([]);
  // Each arrow's label reads whole at 16 px (Presenter mode's 20 px page type), inside the panel: "403 problem+…" was cut at 12 px.
  await expect(ladder.getByTestId('ladder-arrow')).toHaveCount(4);
  const svg = await ladder.locator('svg').boundingBox();
  const labels = await ladder.getByTestId('ladder-arrow').evaluateAll((arrows) =>
    arrows.map((a) => {
      const text = a.querySelector('text');
      const box = text?.getBoundingClientRect();
      return { text: text?.textContent, whole: a.querySelector('title')?.textContent?.split('\n')[0], size: text ? getComputedStyle(text).fontSize : '', left: box?.left ?? -1, right: box?.right ?? -1 };
    }),
  );
  expect(labels.map((l) => l.text)).toEqual(['POST /api/library/loans', 'library.borrow?', 'deny at service', '403 problem+json']);
  for (const l of labels) {
    expect(l.text).toBe(l.whole);
    expect(l.size).toBe('16px');
    expect(l.left).toBeGreaterThanOrEqual(svg?.x ?? Infinity);
    expect(l.right).toBeLessThanOrEqual((svg?.x ?? 0) + (svg?.width ?? 0));
  }
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).not.toHaveClass(/presenter/);
});

test('with a lesson open at 1280×720 the domain model shows every column, the services last, and its editor below it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/gateway?lesson=gateway-catalogue');
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await page.getByRole('tab', { name: 'Model' }).click();
  const diagram = page.getByTestId('model-diagram');
  const lastService = diagram.locator('text').filter({ hasText: /^accounts\.get$/ });
  await expect(lastService).toBeVisible();
  // The diagram's visible box holds the services column (beside the editor it had been cut after "FEATU").
  const box = await diagram.boundingBox();
  const service = await lastService.boundingBox();
  expect(service && box && service.x + service.width <= box.x + box.width).toBe(true);
  await page.getByTestId('tab-model').getByRole('button', { name: 'Suspend club netclub → premium' }).scrollIntoViewIfNeeded();
  await expect(page.getByTestId('tab-model').getByRole('button', { name: 'Suspend club netclub → premium' })).toBeInViewport();
});

test('suspending a subscription in two clicks denies the next call; activating it permits the next', async ({ page }, testInfo) => {
  await page.goto('/gateway');
  await send(page, 'alice', 'accounts.update', '/api/accounts/me');
  await expect(decision(page)).toHaveAttribute('data-outcome', 'permit');
  await expect(terminalRows(page)).toContainText('S: HTTP/1.1 200 OK');

  // Two clicks: the Model tab, then Suspend on the subscription.
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByTestId('tab-model').getByRole('button', { name: 'Suspend club netclub → premium' }).click();
  await expect(page.getByTestId('tab-model').getByRole('button', { name: 'Activate club netclub → premium' })).toBeVisible();

  await page.getByRole('tab', { name: 'Request console' }).click();
  await consoleTab(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(decision(page)).toHaveAttribute('data-outcome', 'deny');
  await expect(decision(page).getByTestId('decision-trace')).toContainText('club netclub → premium (suspended)');
  await expect(consoleTab(page).getByTestId('request-result')).toContainText('403');
  // The 403's body (the decision's trace) is long enough to scroll its status line out of the terminal's
  // rows, so the wire is read at its end: the trace names the suspended subscription.
  await expect(terminalRows(page)).toContainText('club netclub → premium (suspended)');

  // The switch beside the console grants it back; the very next call is permitted.
  await consoleTab(page).getByRole('button', { name: 'Activate club netclub → premium' }).click();
  await expect(consoleTab(page).getByRole('button', { name: 'Suspend club netclub → premium' })).toBeVisible();
  await consoleTab(page).getByRole('button', { name: 'Send', exact: true }).click();
  await expect(decision(page)).toHaveAttribute('data-outcome', 'permit');
  await expect(terminalRows(page)).toContainText('S: HTTP/1.1 200 OK');

  // Each change took effect at the next request, and the log says after how long.
  await page.getByRole('tab', { name: 'Decisions' }).click();
  const changes = page.getByTestId('change-row');
  await expect(changes.first()).toContainText(/next request [\d.]+ (µs|ms|s) later/);
  await expect(changes.nth(1)).toContainText(/next request [\d.]+ (µs|ms|s) later/);
  await page.getByTestId('decision-row').first().click();
  await expect(page.getByTestId('tab-decisions').getByTestId('access-ladder').getByTestId('ladder-arrow')).toHaveCount(6);
  await page.screenshot({ path: testInfo.outputPath('gateway-decisions.png') });
});

test('mallory, blacklisted, is denied everywhere, SOAP included', async ({ page }, testInfo) => {
  await page.goto('/gateway');
  for (const [service, path, status] of [
    ['library.search', '/api/library/books?q=tcp', '403'],
    ['courses.list', '/api/courses?term=2025-spring', '403'],
    ['accounts.me', '/api/accounts/me', '403'],
    ['soap.calendar.getMonth', '/soap/calendar', '500'],
  ] as const) {
    await send(page, 'mallory', service, path);
    await expect(decision(page)).toHaveAttribute('data-outcome', 'deny');
    await expect(decision(page).getByTestId('decision-trace')).toContainText('✗ blacklist');
    await expect(consoleTab(page).getByTestId('request-result')).toContainText(status);
  }
  await expect(terminalRows(page)).toContainText('soap:Client');
  await page.screenshot({ path: testInfo.outputPath('gateway-mallory.png') });
});

test('a shared link to a message of an access-control exchange opens it in a fresh browser: the exchange, that message, its decision', async ({ browser, request }, testInfo) => {
  // An outside client's call, as in the lessons (curl): bob may not borrow (premium only).
  const basic = Buffer.from(`bob:${process.env.LAB_PASSWORD}`).toString('base64');
  const res = await fetch(`http://127.0.0.1:${process.env.GATEWAY_PORT}/api/library/loans`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: '{"isbn":"9780132126953"}',
  });
  expect(res.status).toBe(403);
  // The client has its answer before the lab has dissected and stored it: wait for the stored status line.
  let conn = '';
  let status: { id: string; text: string } | undefined;
  await expect
    .poll(async () => {
      const { connections } = (await (await request.get('/api/connections?protocol=gateway&limit=5')).json()) as { connections: { id: string; label?: string }[] };
      conn = connections.find((c) => !c.label)?.id ?? '';
      if (!conn) return undefined;
      const { messages } = (await (await request.get(`/api/connections/${conn}?limit=500`)).json()) as { messages: { id: string; text: string }[] };
      status = messages.find((m) => m.text === 'HTTP/1.1 403 Forbidden');
      return status?.id;
    })
    .toBeTruthy();
  if (!status) throw new Error('no stored 403 status line');

  // A fresh browser context (a classmate, or a lesson's "Proved by" link opened in a new window).
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`/gateway?conn=${encodeURIComponent(conn)}&msg=${encodeURIComponent(status.id)}`);
  await expect(consoleTab(page).getByTestId('request-conn')).toHaveText(conn);
  // The terminal scrolls to the linked message (the request line is above it, out of view).
  await expect(terminalRows(page)).toContainText('S: HTTP/1.1 403 Forbidden');
  await expect(consoleTab(page).getByTestId('request-terminal')).toHaveAttribute('data-selected', status.id);
  await expect(decision(page)).toHaveAttribute('data-outcome', 'deny');
  await expect(consoleTab(page).getByTestId('access-ladder')).toContainText('deny at service');
  await page.screenshot({ path: testInfo.outputPath('gateway-deep-link.png') });
  // A bare seq is short for the message id.
  await page.goto(`/gateway?conn=${encodeURIComponent(conn)}&msg=${status.id.slice(status.id.lastIndexOf(':') + 1)}`);
  await expect(consoleTab(page).getByTestId('request-terminal')).toHaveAttribute('data-selected', status.id);
  await context.close();
});
