import { expect, test, type Page } from '@playwright/test';
import { startOwnSandbox } from './sandbox';

// The lab's provider and client state are per sandbox and live in the daemon: every test starts from the defaults.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/soap', { data: { enabled: false } });
  await request.post('/api/policy/provider', { data: { addressing: true, rm: 'both', empty: false } });
  await request.post('/api/policy/client', { data: { addressing: true, rm: ['1.1', '1.0'], mtom: false, logging: false, mode: 'lax', via: 'get', dispatch: false } });
});

const openTab = (page: Page, name: RegExp) => page.getByRole('tablist', { name: 'WS-Policy lab sections' }).getByRole('tab', { name }).click();

/** Fetches (or refreshes) the provider policy by `via` from the cache line, and waits for the cache to say so. */
async function fetchPolicy(page: Page, via: 'GET ?wsdl' | 'WS-MEX') {
  const bar = page.getByTestId('cache-bar');
  await bar.getByRole('group', { name: 'Fetch the provider policy by' }).getByRole('button', { name: via, exact: true }).click();
  await expect(bar.getByRole('button', { name: via, exact: true })).toHaveAttribute('aria-pressed', 'true');
  await bar.getByRole('button', { name: /(Fetch|Refresh) provider policy/ }).click();
  await expect(bar.getByTestId('cache-state')).toContainText(via === 'WS-MEX' ? 'by WS-MEX GetMetadata at' : 'by GET ?wsdl at');
  await expect(bar.getByRole('button', { name: 'Refresh provider policy' })).toBeEnabled();
}

/** The kinds of the ladder's last `n` rungs, in order. */
async function lastRungs(page: Page, n: number): Promise<string[]> {
  const kinds = await page.getByTestId('rung').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind') ?? ''));
  return kinds.slice(-n);
}

test('the home page lists the WS-Policy lab as live and opens it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('lab-policy')).toContainText('live');
  await page.getByTestId('lab-policy').click();
  await expect(page).toHaveURL(/\/policy$/);
  await expect(page.getByRole('heading', { name: /WS-Policy lab/ })).toBeVisible();
});

test('fetch by WS-MEX: the WSDL by scope, the normal form, the matrix and the newest RM version chosen', async ({ page }, testInfo) => {
  await page.goto('/policy');
  // The WSDL as published, each attachment labelled with its scope.
  const wsdl = page.getByTestId('policy-wsdl');
  await expect(wsdl.getByTestId('attachment-label').first()).toBeVisible();
  await expect(wsdl).toContainText('endpoint: wsu:Id="ReliableMessagingPolicy" · referenced from wsdl:binding OrdersSoap12Binding');
  await expect(wsdl).toContainText('operation: wsdl:binding/wsdl:operation getOrder · inline');
  await expect(wsdl).toContainText('message: wsdl:binding/wsdl:operation/wsdl:input cancelOrder · by reference to #LoggingPolicy');
  await page.screenshot({ path: testInfo.outputPath('policy-wsdl.png') });

  await fetchPolicy(page, 'WS-MEX');
  await openTab(page, /Effective policy/);
  const tab = page.getByTestId('tab-client');
  await expect(tab.getByTestId('merge-line')).toContainText('wsdl:port → wsam:Addressing');
  // placeOrder: Addressing + (RM 1.1 | RM 1.0) + the ignorable Logging → two alternatives in normal form.
  await expect(tab.getByTestId('nf-row')).toHaveCount(2);
  await expect(tab.getByTestId('nf-row').nth(0)).toContainText('wsrmp:RMAssertion');
  await expect(tab.getByTestId('nf-row').nth(1)).toContainText('wsrm10p:RMAssertion');
  // 2 provider × 6 client alternatives; lax lets the ignorable log:Logging through.
  await expect(tab.getByTestId('matrix-cell')).toHaveCount(12);
  await expect(tab.locator('[data-testid="matrix-cell"][data-compatible="true"]')).toHaveCount(2);
  const chosen = tab.locator('[data-testid="matrix-cell"][data-chosen="true"]');
  await expect(chosen).toHaveAccessibleName(/^P1 × C2: compatible\./);
  await expect(chosen).toContainText('lax: log:Logging ignored');
  await expect(tab.getByTestId('chosen')).toContainText('the newest, RM 1.1, wins');
  // A miss explains itself: which assertion, from which scope, on which side.
  await tab.getByRole('button', { name: 'P1 × C1: not compatible' }).click();
  await expect(tab.getByTestId('pair-detail')).toContainText('Provider asks for wsrmp:RMAssertion (from wsdl:binding OrdersSoap12Binding)');
  await page.screenshot({ path: testInfo.outputPath('policy-effective.png') });

  // Strict mode: the same ignorable assertion now fails every pair, and the page says why.
  await tab.getByRole('group', { name: 'Intersection mode' }).getByRole('button', { name: 'strict' }).click();
  await expect(tab.getByTestId('no-configuration')).toContainText('No acceptable configuration for placeOrder');
  await expect(tab.getByTestId('no-configuration')).toContainText('log:Logging (from wsdl:binding/wsdl:operation placeOrder)');
  await expect(tab.locator('[data-testid="matrix-cell"][data-compatible="true"]')).toHaveCount(0);

  // The GetMetadata exchange is the ladder's last rung, and its SOAP messages are in the transcript.
  await openTab(page, /Call/);
  const call = page.getByTestId('tab-call');
  await expect(call.getByTestId('rung').last()).toContainText('GetMetadata → 200');
  await expect(call.getByTestId('transcript')).toContainText('GetMetadata');
});

test('provider switches to RM 1.1 only: the cached call faults, refresh, retry succeeds in RM 1.1', async ({ page }, testInfo) => {
  await page.goto('/policy#call');
  const call = page.getByTestId('tab-call');
  const rm = call.getByRole('group', { name: 'Provider WS-RM' });
  // The client caches a policy that offers RM 1.0 only…
  await rm.getByRole('button', { name: '1.0 only' }).click();
  await expect(rm.getByRole('button', { name: '1.0 only' })).toHaveAttribute('aria-pressed', 'true');
  await fetchPolicy(page, 'GET ?wsdl');
  await expect(call.getByTestId('shaped-by')).toContainText('RM 1.0 sequence');
  // …then the provider drops it; the client does not know until it calls.
  await rm.getByRole('button', { name: '1.1 only' }).click();
  await expect(rm.getByRole('button', { name: '1.1 only' })).toHaveAttribute('aria-pressed', 'true');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(call.getByTestId('call-result')).toContainText(/✓ orderId=ORD-.* status=placed/);
  expect(await lastRungs(page, 7)).toEqual(['fault', 'refresh', 'fetch', 'retry', 'create-sequence', 'call', 'terminate-sequence']);
  const rungs = call.getByTestId('rung');
  await expect(rungs.nth(-7)).toContainText('CreateSequence (RM 1.0)');
  await expect(rungs.nth(-7)).toContainText('ActionNotSupported');
  await expect(rungs.nth(-6)).toContainText('refreshProviderPolicy set');
  await expect(rungs.nth(-3)).toContainText('CreateSequence (RM 1.1) → 200');
  await expect(rungs.nth(-2)).toContainText('placeOrder (RM 1.1, message 1) → 200');
  await expect(call.getByTestId('shaped-by')).toContainText('RM 1.1 sequence');
  // Every exchange is on the wire, in the RM version of its time.
  const wire = call.getByTestId('transcript');
  await expect(wire).toContainText('http://schemas.xmlsoap.org/ws/2005/02/rm/CreateSequence');
  await expect(wire).toContainText('http://docs.oasis-open.org/ws-rx/wsrm/200702/CreateSequence');
  // One rung picked: only its exchange.
  await rungs.nth(-2).click();
  await expect(call.getByText(/^1 connection · \d+ messages$/)).toBeVisible();
  await expect(wire).toContainText('MessageNumber');
  await page.screenshot({ path: testInfo.outputPath('policy-call.png') });
});

test('an empty wsp:ExactlyOne: the page says there is no acceptable configuration, and why', async ({ page }, testInfo) => {
  await page.goto('/policy');
  // The switch shows the daemon's state: it turns on once the provider has changed its policy.
  const empty = page.getByTestId('tab-provider').getByLabel('publish it empty (no alternative)');
  await empty.click();
  await expect(empty).toBeChecked();
  await expect(page.getByTestId('policy-wsdl')).toContainText('endpoint: wsdl:binding OrdersSoap12Binding · inline');
  await expect(page.getByTestId('policy-wsdl')).toContainText('<wsp:ExactlyOne/>');
  await fetchPolicy(page, 'GET ?wsdl');
  await openTab(page, /Effective policy/);
  const tab = page.getByTestId('tab-client');
  await expect(tab.getByTestId('normal-form-empty')).toBeVisible();
  await expect(tab.getByTestId('no-configuration')).toContainText('No acceptable configuration for placeOrder');
  await expect(tab.getByTestId('no-configuration')).toContainText('an empty wsp:ExactlyOne at wsdl:binding OrdersSoap12Binding admits no behaviour (WS-Policy 1.5 Framework §4.3.3)');
  await page.screenshot({ path: testInfo.outputPath('policy-empty.png') });

  // A call stops in the client, before the wire, saying the same.
  await openTab(page, /Call/);
  const call = page.getByTestId('tab-call');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(call.getByTestId('call-result')).toContainText('✗');
  await expect(call.getByTestId('call-result')).toContainText('admits no behaviour');
  expect(await lastRungs(page, 1)).toEqual(['stop']);
});

test("the lesson's what-if arms policy.drop-rm10 for its 2 requests: the RM 1.0-only client faults, re-fetches, stops, and only then is it seen", async ({ page, request }, testInfo) => {
  await request.post('/api/faults', { data: { rule: 'policy.drop-rm10', enabled: false } });
  try {
    await page.goto('/policy?lesson=policy-intersection&step=refresh');
    await page.getByTestId('lesson-panel').getByRole('button', { name: 'Start over' }).click();
    // Start over opens the first step: open the what-if's step again.
    await page.getByTestId('lesson-step-refresh').getByRole('button', { name: /The provider changes/ }).click();
    // The client speaks RM 1.0 only and caches it from a provider offering both.
    await openTab(page, /Effective policy/);
    // The box follows the client's settings in the daemon: click, then wait for the answer.
    await page.getByRole('checkbox', { name: 'RM 1.1' }).click();
    await expect(page.getByRole('checkbox', { name: 'RM 1.1' })).not.toBeChecked();
    await fetchPolicy(page, 'GET ?wsdl');
    const whatIf = page.getByTestId('lesson-step-refresh').getByTestId('lesson-whatif');
    await whatIf.getByRole('button', { name: 'Try it: arm the fault for 2 requests' }).click();
    await expect(whatIf).toContainText('Armed for the next time');
    // What the button armed, as the lab holds it: the lesson's 2, not 1.
    const { armed } = (await (await request.get('/api/faults')).json()) as { armed: { rule: string; remaining: number | null }[] };
    expect(armed.filter((a) => a.rule === 'policy.drop-rm10').map((a) => a.remaining)).toEqual([2]);
    await expect(whatIf.getByTestId('lesson-whatif-seen')).toHaveCount(0);

    await openTab(page, /Call/);
    const call = page.getByTestId('tab-call');
    await call.getByRole('button', { name: 'Call', exact: true }).click();
    // The promised story: fault, refresh, fetch — still no RM 1.0 — and the client stops.
    await expect(call.getByTestId('rung').last()).toHaveAttribute('data-kind', 'stop');
    expect(await lastRungs(page, 4)).toEqual(['fault', 'refresh', 'fetch', 'stop']);
    await expect(whatIf.getByTestId('lesson-whatif-seen')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('policy-whatif-stop.png') });
  } finally {
    await request.post('/api/faults', { data: { rule: 'policy.drop-rm10', enabled: false } });
  }
});

test('step mode: each message of a call appears on the wire as it is stepped, before the call returns', async ({ page }) => {
  await page.goto('/policy#call');
  // A sandbox of its own: no exchange of an earlier test on its ladder or its wire.
  await startOwnSandbox(page);
  const call = page.getByTestId('tab-call');
  await fetchPolicy(page, 'GET ?wsdl');
  await expect(call.getByTestId('shaped-by')).toContainText('RM 1.1 sequence');
  try {
    await page.getByLabel('Step mode').click();
    await expect(page.getByLabel('Step mode')).toBeChecked();
    await call.getByRole('button', { name: 'Call', exact: true }).click();
    // The call's first request (CreateSequence) is held at the tap: the wire does not show it yet.
    await expect(page.getByTestId('held-next')).toContainText('C: POST /soap/orders HTTP/1.1');
    const wire = call.getByTestId('transcript');
    await expect(wire).not.toContainText('wsrm/200702/CreateSequence');
    await page.getByRole('button', { name: 'Step ▸' }).click();
    // Released, it is on the wire while its answer is held and the call (Calling…) still runs.
    await expect(page.getByTestId('held-next')).toContainText('S: HTTP/1.1 200 OK');
    await expect(wire).toContainText('http://docs.oasis-open.org/ws-rx/wsrm/200702/CreateSequence');
    await expect(call.getByRole('button', { name: 'Calling…' })).toBeVisible();
    await page.getByRole('button', { name: 'Step ▸' }).click();
    await expect(wire).toContainText('CreateSequenceResponse');
  } finally {
    // Off again from the page, whose sandbox it is: what is still held goes on and the call completes.
    if (await page.getByLabel('Step mode').isChecked()) await page.getByLabel('Step mode').click();
  }
  await expect(page.getByLabel('Step mode')).not.toBeChecked();
  await expect(call.getByTestId('call-result')).toContainText(/✓ orderId=ORD-.* status=placed/);
});

test('the intersection heading counts the client’s alternatives in words a projector reads: 1 alternative, 2 alternatives', async ({ page, request }) => {
  // A client that supports nothing optional has one alternative (the empty one); RM 1.1 makes it two (with and without).
  await request.post('/api/policy/client', { data: { addressing: false, rm: [], mtom: false, logging: false, mode: 'lax', via: 'get', dispatch: false } });
  await page.goto('/policy');
  await fetchPolicy(page, 'GET ?wsdl');
  await openTab(page, /Effective policy/);
  const tab = page.getByTestId('tab-client');
  await expect(tab.getByRole('heading', { name: /^3 · Intersection/ })).toHaveText('3 · Intersection with the client’s 1 alternative (lax, §4.5)');
  // The box shows the daemon's client settings, so it turns on once the daemon has them (check() wants it at once).
  await tab.getByLabel('RM 1.1', { exact: true }).click();
  await expect(tab.getByLabel('RM 1.1', { exact: true })).toBeChecked();
  await expect(tab.getByRole('heading', { name: /^3 · Intersection/ })).toHaveText('3 · Intersection with the client’s 2 alternatives (lax, §4.5)');
});
