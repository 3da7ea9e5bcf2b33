import { expect, test, type Page } from '@playwright/test';

const httpTab = (page: Page) => page.getByTestId('tab-http');
const terminal = (page: Page) => httpTab(page).getByTestId('terminal').locator('.xterm-rows');
const transcript = (page: Page) => httpTab(page).getByTestId('transcript');
const envelope = (page: Page) => page.getByLabel('Request envelope');

// Step mode is lab-wide state in the daemon: every test starts with it off.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/soap', { data: { enabled: false } });
});

async function openSoapLab(page: Page) {
  await page.goto('/soap');
  await expect(envelope(page)).toHaveValue(/<cal:getMonth>/, { timeout: 20_000 });
}

test('the home page lists the SOAP lab as live and opens it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('lab-soap')).toContainText('live');
  await page.getByTestId('lab-soap').click();
  await expect(page).toHaveURL(/\/soap$/);
  await expect(page.getByRole('heading', { name: /SOAP lab/ })).toBeVisible();
});

test('getMonth over HTTP: the request and response envelopes are annotated in terminal and transcript', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await expect(page.getByLabel('HTTP headers for this version')).toContainText('SOAPAction: "http://lab.test/soap/calendar/getMonth"');
  await page.getByRole('button', { name: 'Send ▸' }).click();

  // The terminal follows the end of the exchange (xterm renders only the rows in view)…
  await expect(terminal(page)).toContainText('S: </soap:Envelope>');
  await expect(terminal(page)).toContainText('January 2003');
  // …and the transcript holds every line, each explained.
  const rows = transcript(page);
  for (const title of ['POST /soap/calendar', 'SOAPAction (SOAP 1.1)', 'Content-Type', 'Envelope', 'Operation getMonth', '200 OK', 'Response getMonthResponse']) {
    await expect(rows).toContainText(title);
  }
  await expect(rows).toContainText('POST /soap/calendar HTTP/1.1');
  // Selecting the operation element in the transcript scrolls the terminal back to it, and shows its namespace.
  const op = rows.locator('li', { hasText: 'Operation getMonth' }).first();
  await op.getByRole('button').click();
  await expect(httpTab(page).getByTestId('message-detail')).toContainText('http://lab.test/soap/calendar');
  await expect(terminal(page)).toContainText('↳ Operation getMonth');
  await expect(terminal(page)).toContainText('<cal:getMonth>');
  // The result as a client library would read it.
  await expect(page.getByTestId('result')).toContainText('200 OK');
  await expect(page.getByTestId('result')).toContainText('Mo Tu We Th Fr Sa Su');
  await page.screenshot({ path: testInfo.outputPath('soap-http-getmonth.png') });
});

test('month 13 comes back as a Client fault in 1.1 and a Sender fault in 1.2', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByLabel('Month', { exact: true }).fill('13');
  await expect(envelope(page)).toHaveValue(/<cal:month>13<\/cal:month>/);
  await page.getByRole('button', { name: 'Send ▸' }).click();
  // The terminal follows the end of the answer: the fault's detail, each field explained.
  await expect(terminal(page)).toContainText('↳ argument "month": Which input parameter');
  await expect(transcript(page)).toContainText('Fault code soap:Client');
  await expect(transcript(page)).toContainText('HTTP/1.1 500 Internal Server Error');
  await expect(page.getByLabel('Fault', { exact: true })).toContainText('soap:Client');

  await page.getByRole('button', { name: 'SOAP 1.2' }).click();
  await expect(envelope(page)).toHaveValue(/http:\/\/www\.w3\.org\/2003\/05\/soap-envelope/);
  await expect(page.getByLabel('HTTP headers for this version')).toContainText('application/soap+xml; charset=utf-8; action=');
  // The action parameter reads on screen, not cut off behind an ellipsis.
  const cut = await page.getByLabel('HTTP headers for this version').locator('div').evaluateAll((rows) => rows.filter((row) => row.scrollWidth > row.clientWidth).map((row) => row.textContent));
  expect(cut).toEqual([]);
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(terminal(page)).toContainText('↳ value "13": What the request actually sent');
  await expect(transcript(page)).toContainText('got 13.</soap:Text>');
  await expect(transcript(page)).toContainText('HTTP/1.1 400 Bad Request');
  await expect(transcript(page)).toContainText('Fault code soap:Sender');
  await expect(transcript(page)).toContainText('Reason (1.2)');
  await expect(page.getByLabel('Fault', { exact: true })).toContainText('soap:Sender');
  await expect(page.getByLabel('Fault', { exact: true })).toContainText('month must be an integer from 1 to 12; got 13.');
  await page.screenshot({ path: testInfo.outputPath('soap-http-fault.png') });
});

test('HTTP typed by hand in the raw console reaches the service', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByRole('button', { name: 'Type HTTP by hand' }).click();
  await page.getByRole('button', { name: 'Type it for me' }).click();
  await expect(terminal(page)).toContainText('January 2003');
  await expect(terminal(page)).toContainText('Connection closed.');
  await expect(transcript(page)).toContainText('POST /soap/calendar HTTP/1.1');
  await expect(transcript(page)).toContainText('HTTP/1.1 200 OK');
  await page.screenshot({ path: testInfo.outputPath('soap-raw-console.png') });
  // On a projector the console the class reads gets two thirds of the column, the transcript the rest.
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const heights = async () => Promise.all([terminal(page), transcript(page)].map(async (l) => (await l.locator('xpath=ancestor::section[1]').boundingBox())?.height ?? 0));
  await expect.poll(async () => { const [console_, list] = await heights(); return console_ / list; }).toBeGreaterThan(1.8);
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
});

test('the WSDL viewer explains each part and shows the document', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByRole('tab', { name: 'WSDL' }).click();
  const parts = page.getByTestId('wsdl-parts');
  for (const part of ['<wsdl:types>', '<wsdl:message>', '<wsdl:portType>', '<wsdl:binding>', '<wsdl:service>']) await expect(parts).toContainText(part);
  await expect(parts).toContainText('CalendarSoap12Binding');
  await expect(page.getByTestId('raw-wsdl')).toContainText('wsdl:definitions');
  await page.screenshot({ path: testInfo.outputPath('soap-wsdl.png') });
});

test('three mailed requests with different think times are answered out of order and matched by In-Reply-To', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByRole('tab', { name: 'Mail binding' }).click();
  await page.getByRole('button', { name: 'Clear table' }).click();
  await expect(page.getByTestId('correlation-row')).toHaveCount(0);
  await page.getByRole('button', { name: 'Send 3 with different delays' }).click();

  const rows = page.getByTestId('correlation-row');
  await expect(rows).toHaveCount(3);
  // Think times 1500, 800 and 0 ms: the last request sent is answered first.
  await expect(rows.nth(2)).toHaveAttribute('data-arrival', '1');
  await page.screenshot({ path: testInfo.outputPath('soap-mail-filling.png') });
  await expect(rows.nth(1)).toHaveAttribute('data-arrival', '2');
  await expect(rows.nth(0)).toHaveAttribute('data-arrival', '3');
  for (let i = 0; i < 3; i++) {
    await expect(rows.nth(i)).toHaveAttribute('data-sent', String(i + 1));
    await expect(rows.nth(i)).toHaveAttribute('data-state', 'answered');
  }
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByText('Answers crossed')).toBeVisible();

  // The first request: its answer's In-Reply-To is its Message-ID.
  await rows.nth(0).click();
  const detail = page.getByTestId('mail-detail');
  await expect(detail.getByTestId('mail-view')).toContainText('application/soap+xml');
  const messageId = (await rows.nth(0).getByTestId('message-id').getAttribute('title'))!;
  await expect(detail.getByTestId('mail-view')).toContainText(messageId);
  await detail.getByRole('tab', { name: 'Answer mail' }).click();
  await expect(detail.getByTestId('mail-view')).toContainText('In-Reply-To');
  await expect(detail.getByTestId('mail-view')).toContainText(messageId);
  await expect(detail.getByTestId('mail-view')).toContainText('January 2003');
  await page.screenshot({ path: testInfo.outputPath('soap-mail-answer.png') });
  await detail.getByRole('tab', { name: 'SMTP of answer' }).click();
  await expect(detail.getByTestId('transcript')).toContainText('RCPT TO:<student@lab.test>');
  await page.screenshot({ path: testInfo.outputPath('soap-mail-smtp.png') });
});

test('the own-client recipes use the lab’s real ports', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByRole('tab', { name: 'Own client' }).click();
  const port = process.env.SERVICE_PORT;
  const tab = page.getByTestId('tab-clients');
  await expect(tab).toContainText(`http://127.0.0.1:${port}/soap/calendar`);
  await tab.getByRole('button', { name: 'swaks (mail)' }).click();
  await expect(tab).toContainText(`swaks --server 127.0.0.1:${process.env.SMTP_PORT}`);
  await expect(tab).toContainText('Message-Id: <my-request-1@lab.test>');
  await page.screenshot({ path: testInfo.outputPath('soap-own-client.png') });
});

test('the HTTP view fits 1280×720 without page scroll, also in presenter mode, where the answer reads under the envelope', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(terminal(page)).toContainText('S: </soap:Envelope>');
  const fits = () => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth);
  expect(await fits()).toBe(true);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await expect(page.getByRole('button', { name: 'Send ▸' })).toBeInViewport();
  expect(await fits()).toBe(true);
  // The answer box sits whole inside its column (it scrolls, never cut), and the envelope gives way to it:
  // the month's title and the weekdays read without scrolling (it showed only "200 OK" at 70 px before).
  const box = await page.getByTestId('result-box').boundingBox();
  const composer = await page.getByTestId('composer').boundingBox();
  expect(box && composer && box.y + box.height <= composer.y + composer.height).toBe(true);
  const lineIn = (text: string) =>
    page.getByTestId('result-box').evaluate((el, wanted) => {
      const pre = el.querySelector('pre');
      if (!pre?.textContent?.includes(wanted)) return false;
      const lineHeight = parseFloat(getComputedStyle(pre).lineHeight);
      const index = pre.textContent.split('\n').findIndex((l) => l.includes(wanted));
      const lineBottom = pre.getBoundingClientRect().top + (index + 1) * lineHeight - el.scrollTop;
      return lineBottom <= el.getBoundingClientRect().bottom;
    }, text);
  expect(await lineIn('January 2003')).toBe(true);
  expect(await lineIn('Mo Tu We Th Fr Sa Su')).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('soap-http-presenter.png') });
});

test('step mode holds the HTTP request at the tap and the terminal follows it while it is in flight', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(page.getByTestId('held-count')).toContainText('held');
  await expect(page.getByRole('button', { name: 'Sending…' })).toBeVisible();
  // One Step releases the whole request (start line, headers, envelope); the answer waits for the next.
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(terminal(page)).toContainText('C: </soap:Envelope>');
  await expect(terminal(page)).not.toContainText('S: HTTP/1.1 200 OK');
  await expect(page.getByTestId('held-next')).toContainText('HTTP/1.1 200');
  await page.screenshot({ path: testInfo.outputPath('soap-http-step.png') });
  // Leaving step mode releases everything held.
  await page.getByLabel('Step mode').click();
  await expect(terminal(page)).toContainText('S: </soap:Envelope>');
  await expect(page.getByTestId('result')).toContainText('200 OK');
});

test('with a lesson open beside it, what step mode holds stays in the HTTP tab: cut short, never under the lesson', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/soap?lesson=soap-faults');
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(page.getByTestId('held-next')).toContainText('POST /soap/calendar');
  // One Step releases the whole request; the server's answer is held next, in the same row.
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(page.getByTestId('held-next')).toContainText('HTTP/1.1 200');
  const lesson = await page.getByTestId('lesson-panel').boundingBox();
  const box = await page.getByTestId('held-next').boundingBox();
  expect(box && lesson && box.x + box.width <= lesson.x).toBe(true);
  await page.getByLabel('Step mode').click();
  await expect(page.getByTestId('result')).toContainText('200 OK');
});

test('each fault preset starts from the clean envelope, so presets never stack', async ({ page }, testInfo) => {
  await openSoapLab(page);
  const preset = page.getByLabel('Provoke a fault');
  await preset.selectOption('version');
  await expect(envelope(page)).toHaveValue(/http:\/\/www\.w3\.org\/2003\/05\/soap-envelope/);
  await preset.selectOption('must');
  await expect(envelope(page)).toHaveValue(/mustUnderstand/);
  // The VersionMismatch edit is gone: the SOAP 1.1 envelope is back, with only the new header block.
  await expect(envelope(page)).not.toHaveValue(/http:\/\/www\.w3\.org\/2003\/05\/soap-envelope/);
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(page.getByLabel('Fault', { exact: true })).toContainText('MustUnderstand');
  await page.screenshot({ path: testInfo.outputPath('soap-preset-must.png') });
});

test('an envelope edited by hand says so beside Send, never over the envelope\'s text, and resets from the fields', async ({ page }) => {
  await openSoapLab(page);
  await envelope(page).fill(`${(await envelope(page).inputValue()).replace('<cal:month>', '<cal:month>1')}`);
  const reset = page.getByRole('button', { name: 'edited · reset' });
  await expect(reset).toBeVisible();
  const [button, text] = [await reset.boundingBox(), await envelope(page).boundingBox()];
  const overlaps = button && text && button.x < text.x + text.width && text.x < button.x + button.width && button.y < text.y + text.height && text.y < button.y + button.height;
  expect(overlaps).toBe(false);
  await reset.click();
  await expect(reset).toHaveCount(0);
  await expect(envelope(page)).not.toHaveValue(/<cal:month>1\d/);
});

test('a mailed request the lab refuses says why beside the form, and a good one afterwards clears it', async ({ page }) => {
  await openSoapLab(page);
  await page.getByRole('tab', { name: 'Mail binding' }).click();
  await page.getByRole('button', { name: 'Clear table' }).click();
  await expect(page.getByTestId('correlation-row')).toHaveCount(0);
  const problem = page.getByTestId('mail-error');
  // Over the 10 s the service thinks at most: refused before anything is mailed, and the page says so.
  await page.getByLabel('Mail think time').fill('99999');
  await page.getByRole('button', { name: 'Mail it ▸' }).click();
  await expect(problem).toContainText('think time');
  await expect(problem).toContainText('10000');
  await expect(page.getByTestId('correlation-row')).toHaveCount(0);
  await page.getByLabel('Mail think time').fill('0');
  await page.getByLabel('Mail year').fill('0');
  await page.getByRole('button', { name: 'Mail it ▸' }).click();
  await expect(problem).toContainText('year');
  await expect(page.getByTestId('correlation-row')).toHaveCount(0);
  await page.getByLabel('Mail year').fill('2003');
  await page.getByRole('button', { name: 'Mail it ▸' }).click();
  await expect(page.getByTestId('correlation-row')).toHaveCount(1);
  await expect(problem).toHaveCount(0);
});

test('a think time the service will not take is named as such by the composer, and Send sends nothing until it is fixed', async ({ page }) => {
  await openSoapLab(page);
  const problem = page.getByTestId('composer-error');
  // Every exchange the console sends is listed in the HTTP tab's connection menu.
  const sent = page.locator('select', { hasText: 'latest exchange' }).locator('option', { hasText: 'SOAP HTTP console' });
  const before = await sent.count();
  for (const bad of ['99999', 'soon']) {
    await page.getByTestId('composer').getByLabel('Think time').fill(bad);
    await expect(problem).toContainText('think time');
    await expect(problem).toContainText('0 to 10000');
    await page.getByRole('button', { name: 'Send ▸' }).click();
  }
  await page.getByTestId('composer').getByLabel('Think time').fill('50');
  await expect(problem).toHaveCount(0);
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(page.getByTestId('result')).toContainText('January 2003');
  // Only the last Send went out.
  await expect(sent).toHaveCount(before + 1);
});

test('Send right after changing the month sends the month on screen', async ({ page }) => {
  await openSoapLab(page);
  // No wait between the two: the editor regenerates after a typing pause, Send must not use the old text.
  await page.getByLabel('Month', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Send ▸' }).click();
  await expect(page.getByTestId('result')).toContainText('July 2003');
  await expect(envelope(page)).toHaveValue(/<cal:month>7<\/cal:month>/);
});

test('the mail binding keeps its panels apart at 18 px and in presenter mode, without sideways scroll', async ({ page }, testInfo) => {
  await openSoapLab(page);
  await page.getByRole('tab', { name: 'Mail binding' }).click();
  await page.getByRole('button', { name: 'Send 3 with different delays' }).click();
  await expect(page.getByTestId('correlation-row').first()).toBeVisible();
  const tab = page.getByTestId('tab-mail');
  const box = async (name: string) => (await tab.getByRole('region', { name, exact: true }).boundingBox())!;
  const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const check = async (shot: string) => {
    const [table, ladder, mails] = [await box('Correlation table'), await box('Ladder'), await box('Mails')];
    expect(overlap(mails, table)).toBe(false);
    expect(overlap(mails, ladder)).toBe(false);
    expect(overlap(table, ladder)).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: testInfo.outputPath(shot) });
  };
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Larger text' }).click();
  await expect(page.getByTestId('font-size')).toHaveText('18px');
  await check('soap-mail-18px.png');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await check('soap-mail-presenter.png');
});

test('Presenter mode at 1280×720 with the mail lesson open: the correlation table still shows when each answer arrived', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/soap?lesson=soap-over-smtp&step=out-of-order');
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  // The lesson beside the lab, as a teacher shows it (Presenter may start it folded).
  const show = page.getByTestId('lesson-panel').getByRole('button', { name: 'Show the lesson' });
  if (await show.isVisible()) await show.click();
  await page.getByRole('tab', { name: 'Mail binding' }).click();
  await page.getByRole('button', { name: 'Clear table' }).click();
  await page.getByRole('button', { name: 'Send 3 with different delays' }).click();
  const rows = page.getByTestId('correlation-row');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toHaveAttribute('data-state', 'answered');
  const region = (await page.getByTestId('tab-mail').getByRole('region', { name: 'Correlation table', exact: true }).boundingBox())!;
  const header = page.getByTestId('correlation-table').getByRole('columnheader', { name: 'arrived' });
  await expect(header).toBeInViewport({ ratio: 1 });
  const inside = (b: { x: number; width: number } | null) => b !== null && b.x >= region.x && b.x + b.width <= region.x + region.width;
  expect(inside(await header.boundingBox())).toBe(true);
  for (let i = 0; i < 3; i++) {
    const badge = rows.nth(i).getByText(/^(1st|2nd|3rd)$/);
    await expect(badge).toBeInViewport({ ratio: 1 });
    expect(inside(await badge.boundingBox())).toBe(true);
  }
  await page.screenshot({ path: testInfo.outputPath('soap-mail-presenter-arrived.png') });
});
