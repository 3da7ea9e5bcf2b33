import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { violations } from './axe';
import { newStudent, startOwnSandbox } from './sandbox';

// A teacher projects a lab at 1280×720 (the config's viewport) in Presenter mode with the class's lesson unfolded
// beside it: the lab keeps about 42rem of its 20px type. Whatever a lesson step asks for must be on screen and whole.

/** Presenter mode, a sandbox of its own (a lesson link starts its lesson), the lesson of `address` unfolded. */
async function presenterWithLesson(browser: Browser, address: string): Promise<Page> {
  const page = await newStudent(browser);
  await startOwnSandbox(page);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await page.goto(address);
  const lesson = page.getByTestId('lesson-panel');
  // Presenter mode starts with the lesson folded to its rail.
  await lesson.getByRole('button', { name: 'Show the lesson' }).click();
  await expect(lesson.getByRole('button', { name: 'Start over' })).toBeVisible();
  return page;
}

/**
 * Why `target` does not show whole: outside the window, or cut by an ancestor that clips (a scroller too: it must
 * fit inside). With `scroll` it is first scrolled into view, as a student would; without, it must show as it is.
 */
async function cutOff(target: Locator, scroll = true): Promise<string[]> {
  if (scroll) await target.scrollIntoViewIfNeeded();
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return ['not laid out'];
    const why: string[] = [];
    if (box.left < -0.5 || box.top < -0.5 || box.right > innerWidth + 0.5 || box.bottom > innerHeight + 0.5) why.push('outside the window');
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const r = up.getBoundingClientRect();
      if (box.left < r.left - 0.5 || box.right > r.right + 0.5 || box.top < r.top - 0.5 || box.bottom > r.bottom + 0.5) {
        why.push(`cut by <${up.tagName.toLowerCase()} class="${up.className}">`);
      }
    }
    return why;
  });
}

/** The page itself never scrolls: its panels do. */
const pageOverflow = (page: Page) => page.evaluate(() => ({ down: document.documentElement.scrollHeight - innerHeight, across: document.documentElement.scrollWidth - innerWidth }));

/** How many characters of `el`'s own monospace type fit across its content box. */
const columnsOf = (target: Locator) =>
  target.evaluate((el) => {
    const probe = document.createElement('span');
    probe.textContent = '0'.repeat(40);
    probe.style.whiteSpace = 'pre';
    el.append(probe);
    const ch = probe.getBoundingClientRect().width / 40;
    probe.remove();
    const style = getComputedStyle(el);
    return Math.floor((el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)) / ch);
  });

test('SSH beside its lesson: the terminal keeps 60 columns, and the host-key question shows with the fingerprints to compare it with', async ({ browser }, testInfo) => {
  const page = await presenterWithLesson(browser, '/ssh?lesson=ssh-host-keys');
  const frame = page.getByTestId('ssh-terminal');
  const grid = frame.locator('[data-cols]');
  // The pty's width, as xterm fitted it (it was 26 columns: every line of ssh's question wrapped three times).
  await expect.poll(async () => Number(await grid.getAttribute('data-cols'))).toBeGreaterThanOrEqual(60);
  expect(Number(await grid.getAttribute('data-rows'))).toBeGreaterThanOrEqual(6);

  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(frame.locator('.xterm-rows')).toContainText('Are you sure you want to continue connecting', { timeout: 20_000 });
  // The step's "Show it" opens the Keys tab: the fingerprint to compare is whole while the question is on screen.
  await page.getByTestId('lesson-step-first-contact').getByRole('button', { name: 'Show it' }).click();
  const fingerprint = page.getByTestId('server-fingerprint').first();
  await expect(fingerprint).toContainText('SHA256:');
  expect(await cutOff(fingerprint, false)).toEqual([]);
  expect(await cutOff(frame, false)).toEqual([]);
  // Every tab of the side panel stays reachable.
  const sideTabs = page.getByRole('tablist').filter({ has: page.getByRole('tab', { name: 'Handshake' }) });
  for (const tab of await sideTabs.getByRole('tab').all()) expect(await cutOff(tab, false)).toEqual([]);
  expect(await pageOverflow(page)).toEqual({ down: 0, across: 0 });
  await page.screenshot({ path: testInfo.outputPath('ssh-presenter-lesson.png') });

  // Below the terminal the tabs have the lab column's whole height (they had 206px: two rows of the handshake),
  // the column scrolling down to them; the terminal keeps its width.
  const cols = await grid.getAttribute('data-cols');
  const tabsPanel = page.locator('section').filter({ has: sideTabs });
  const column = page.getByTestId('ssh-columns');
  expect(await cutOff(tabsPanel)).toEqual([]);
  const [panelHeight, columnHeight] = [(await tabsPanel.boundingBox())?.height ?? 0, await column.evaluate((el) => el.clientHeight)];
  expect(panelHeight).toBeGreaterThanOrEqual(columnHeight - 2);
  expect(await grid.getAttribute('data-cols')).toBe(cols);
  await page.context().close();
});

test('SOAP beside its lesson: the fault editor is whole, the fault it provokes reads whole, and the wire keeps 60 columns', async ({ browser }, testInfo) => {
  const page = await presenterWithLesson(browser, '/soap?lesson=soap-faults&step=client-fault');
  const composer = page.getByTestId('composer');
  const envelope = composer.getByRole('textbox', { name: 'Request envelope' });
  await expect(envelope).toHaveValue(/<cal:month>1<\/cal:month>/);
  const controls = [
    composer.getByRole('combobox', { name: 'Operation' }),
    composer.getByRole('button', { name: 'SOAP 1.2', exact: true }),
    composer.getByRole('textbox', { name: 'Month', exact: true }),
    envelope,
    composer.getByRole('button', { name: 'Send ▸' }),
    composer.getByRole('combobox', { name: 'Provoke a fault' }),
  ];
  for (const control of controls) expect(await cutOff(control)).toEqual([]);
  // The envelope shows at least its first ten lines (it had three at 1280×720 beside the lesson).
  const lines = await envelope.evaluate((el) => el.clientHeight / parseFloat(getComputedStyle(el).lineHeight));
  expect(lines).toBeGreaterThanOrEqual(10);

  // The step: month 13 in SOAP 1.1, provoked from the fault menu; the answer's fault reads whole.
  await composer.getByRole('combobox', { name: 'Provoke a fault' }).selectOption('month13');
  await expect(envelope).toHaveValue(/<cal:month>13<\/cal:month>/);
  await composer.getByRole('button', { name: 'Send ▸' }).click();
  const fault = page.getByTestId('result-box').getByRole('definition');
  await expect(fault.first()).toContainText('soap:Client');
  await expect(page.getByTestId('result-box')).toContainText('500');
  for (const part of await fault.all()) expect(await cutOff(part)).toEqual([]);

  // The wire: every line of the exchange, at a width its XML and notes read at.
  const wire = page.getByRole('region', { name: 'HTTP on the wire' });
  await expect(wire.getByTestId('terminal')).toContainText('S: </soap:Envelope>');
  expect(await cutOff(wire)).toEqual([]);
  expect(Number(await wire.locator('[data-cols]').getAttribute('data-cols'))).toBeGreaterThanOrEqual(60);
  expect(await pageOverflow(page)).toEqual({ down: 0, across: 0 });
  await page.screenshot({ path: testInfo.outputPath('soap-presenter-lesson.png') });
  await page.context().close();
});

test('WS-Policy beside its lesson: the call form and the ladder show together, the wire reads at 40 characters and the WSDL at 45', async ({ browser }, testInfo) => {
  const page = await presenterWithLesson(browser, '/policy?lesson=policy-intersection#call');
  const form = page.getByTestId('call-form');
  const call = form.getByRole('button', { name: 'Call' });
  for (const control of [page.getByRole('button', { name: '1.0 only' }), form.getByRole('combobox', { name: 'Operation' }), call]) expect(await cutOff(control)).toEqual([]);
  await call.click();
  await expect(page.getByTestId('call-result')).toContainText('✓');
  // The ladder beside the form: its rungs read whole without leaving the form.
  const ladder = page.getByRole('region', { name: /^Ladder/ });
  await expect(ladder).toContainText('TerminateSequence');
  expect(await cutOff(call, false)).toEqual([]);
  expect(await cutOff(ladder, false)).toEqual([]);

  // The wire: each message's line has room for 40 characters (it had four: "<s…").
  const wire = page.getByRole('region', { name: 'SOAP on the wire' });
  const rows = wire.getByTestId('message-text');
  await expect(rows.first()).toBeVisible();
  expect(await cutOff(wire)).toEqual([]);
  expect(await columnsOf(rows.first())).toBeGreaterThanOrEqual(40);
  const envelopeEnd = rows.filter({ hasText: /^<\/soap:Envelope>$/ }).last();
  expect(await cutOff(envelopeEnd)).toEqual([]);
  expect(await envelopeEnd.evaluate((el) => (el.firstElementChild as HTMLElement).scrollWidth <= (el.firstElementChild as HTMLElement).clientWidth)).toBe(true);
  expect(await pageOverflow(page)).toEqual({ down: 0, across: 0 });
  await page.screenshot({ path: testInfo.outputPath('policy-presenter-lesson.png') });

  // The other lesson reads the WSDL as published line by line: its pane has the larger share (it had 33 characters).
  await page.getByRole('tab', { name: '1 · Provider WSDL' }).click();
  const wsdl = page.getByTestId('policy-wsdl');
  await expect(wsdl).toContainText('wsdl:definitions');
  expect(await columnsOf(wsdl)).toBeGreaterThanOrEqual(45);
  await page.context().close();
});

/** Elements inside `target` (and it) that scroll sideways: their content is wider than they are (text for screen readers only, 1px wide, aside). */
const scrollsAcross = (target: Locator) =>
  target.evaluate((root) =>
    [root, ...root.querySelectorAll('*')]
      .filter((el) => el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${el.scrollWidth} > ${el.clientWidth}`),
  );

test('SOAP and WS-Policy beside a lesson: a Wire ↓ button says the wire is on the second screen and takes you there; side by side it is gone', async ({ browser }) => {
  const page = await presenterWithLesson(browser, '/soap?lesson=soap-faults');
  const wire = page.getByRole('region', { name: 'HTTP on the wire' });
  const cue = page.getByRole('button', { name: 'Wire: scroll down to HTTP on the wire' });
  // The first screen shows the composer: the wire is below it, and the button on the first screen says so.
  await expect(cue).toBeVisible();
  expect(await cutOff(cue, false)).toEqual([]);
  expect(await cutOff(wire, false)).not.toEqual([]);
  expect(await violations(page)).toEqual([]);
  await cue.click();
  await expect.poll(() => cutOff(wire, false)).toEqual([]);
  await expect(cue).toBeHidden();
  // Keyboard users go on from the second screen, not from the top of the page.
  expect(await wire.evaluate((el) => document.activeElement !== document.body && document.activeElement!.contains(el))).toBe(true);

  // The same on WS-Policy's Call tab; with the lesson folded the panels stand side by side and there is no button.
  await page.goto('/policy?lesson=policy-intersection#call');
  const lesson = page.getByTestId('lesson-panel');
  const policyCue = page.getByRole('button', { name: 'Wire: scroll down to SOAP on the wire' });
  await expect(policyCue).toBeVisible();
  expect(await cutOff(policyCue, false)).toEqual([]);
  await lesson.getByRole('button', { name: 'Fold the lesson away' }).click();
  await expect(policyCue).toBeHidden();
  expect(await cutOff(page.getByRole('region', { name: 'SOAP on the wire' }), false)).toEqual([]);
  await lesson.getByRole('button', { name: 'Show the lesson' }).click();
  await expect(policyCue).toBeVisible();
  await page.context().close();
});

test('WS-Policy in Presenter mode, beside its lesson and without: the Effective tab fits its pane, and the WSDL shows no blank lines', async ({ browser }, testInfo) => {
  const page = await presenterWithLesson(browser, '/policy?lesson=policy-intersection');
  const lesson = page.getByTestId('lesson-panel');

  // The WSDL: a namespace declaration longer than the pane wraps under itself, its first row never left empty
  // (its indent was four spaces, and the line broke after them), and nothing scrolls sideways.
  const wsdl = page.getByTestId('policy-wsdl');
  await expect(wsdl).toContainText('xmlns:wsu=');
  const blankRows = await wsdl.getByTestId('wsdl-line').evaluateAll((lines) =>
    lines.flatMap((line) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let first: Text | null = null;
      while (!first && walker.nextNode()) if (/\S/.test(walker.currentNode.textContent ?? '')) first = walker.currentNode as Text;
      if (!first) return [];
      const range = document.createRange();
      range.selectNodeContents(line);
      const row = range.getClientRects()[0];
      const offset = first.data.search(/\S/);
      range.setStart(first, offset);
      range.setEnd(first, offset + 1);
      const char = range.getBoundingClientRect();
      return char.top > row.top + 1 ? [line.textContent ?? ''] : [];
    }),
  );
  expect(blankRows).toEqual([]);
  expect(await scrollsAcross(wsdl)).toEqual([]);

  // The Effective tab: the matrix of provider × client alternatives fits the pane (it scrolled sideways, the chosen
  // pair off to the right); so does the rest of the computation.
  await page.getByTestId('cache-bar').getByRole('button', { name: /(Fetch|Refresh) provider policy/ }).click();
  await page.getByRole('tab', { name: '2 · Effective policy' }).click();
  const effective = page.getByTestId('effective-policy');
  const chosen = effective.locator('[data-testid="matrix-cell"][data-chosen="true"]');
  await expect(chosen).toHaveAccessibleName(/^P1 × C2: compatible\./);
  await expect(effective.getByTestId('matrix-cell')).toHaveCount(12);
  expect(await scrollsAcross(effective)).toEqual([]);
  expect(await scrollsAcross(page.getByTestId('chosen'))).toEqual([]);
  expect(await cutOff(chosen)).toEqual([]);
  expect(await violations(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('policy-effective-presenter-lesson.png') });

  // Without the lesson the pane is wider, still short of the table's six columns at Presenter's type.
  await lesson.getByRole('button', { name: 'Fold the lesson away' }).click();
  await expect(lesson.getByRole('button', { name: 'Show the lesson' })).toBeVisible();
  await expect.poll(() => scrollsAcross(effective)).toEqual([]);
  expect(await cutOff(chosen)).toEqual([]);
  expect(await pageOverflow(page)).toEqual({ down: 0, across: 0 });
  await page.screenshot({ path: testInfo.outputPath('policy-effective-presenter.png') });
  await page.context().close();
});
