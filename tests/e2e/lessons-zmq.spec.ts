/** ZeroMQ lessons on their lab page: Send goes to its pattern's console, Start over reconnects, proof links open the player. */
import { expect, test } from '@playwright/test';
import { expectDone, panel, step } from './lesson-panel';

test("a ZeroMQ step's line goes to its own pattern's console: Send on a tab not opened yet shows that tab and sends once its console connects", async ({ page }) => {
  await page.goto('/zmq?lesson=zmq-patterns&step=pub-sub');
  const pubSub = step(page, 'pub-sub');
  await expect(pubSub.getByTestId('try-line').locator('code')).toHaveText(['subscribe weather.']);
  // Only the REQ/REP console is open (its own step can send), and its REQ socket must not send "subscribe weather." as a request.
  await step(page, 'req-rep').getByRole('button').first().click();
  await expect(step(page, 'req-rep').getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'REQ/REP' })).toHaveAttribute('aria-selected', 'true');
  // One step is open at a time: back to PUB/SUB, whose tab was never opened. The step names it, and Send is there
  // (the report found Copy only until Show it).
  await pubSub.getByRole('button').first().click();
  await expect(pubSub.getByTestId('step-panel')).toContainText('In the PUB/SUB tab.');
  await pubSub.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('tab', { name: 'PUB/SUB' })).toHaveAttribute('aria-selected', 'true');
  // Done needs the SUB's SUBSCRIBE on the wire: the line reached the PUB/SUB console.
  await expectDone(page, 'pub-sub');
  // The REQ console never got the line: its screen has no reply to a "subscribe weather." request.
  await expect(page.getByTestId('tab-req').getByTestId('terminal')).not.toContainText('subscribe');
  // The PAIR step's line the same way, into the PAIR tab's console.
  await step(page, 'pair').getByRole('button').first().click();
  await step(page, 'pair').getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('tablist', { name: 'ZeroMQ lab sections' }).getByRole('tab', { name: 'PAIR' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-pair').getByTestId('terminal')).toContainText('← PAIR heard: ping');
  await expectDone(page, 'pair');
});

test("Start over on the ZeroMQ page reconnects its open pattern consoles: the new handshake proves the REQ/REP step again", async ({ page }) => {
  await page.goto('/zmq?lesson=zmq-patterns&step=req-rep');
  const reqRep = step(page, 'req-rep');
  await reqRep.getByRole('button', { name: 'Send' }).click();
  await expectDone(page, 'req-rep');
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over with a fresh connection');
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^0\//);
  // The step needs the greeting and READY after the start: only a new connection sends them.
  await reqRep.getByRole('button', { name: 'Send' }).click();
  await expectDone(page, 'req-rep');
});

test("a ZeroMQ step's \"Proved by message N\" opens that message (the ZeroMQ page reads no conn/msg link: the player shows it)", async ({ page, context }) => {
  await page.goto('/zmq?lesson=zmq-patterns&step=req-rep');
  const reqRep = step(page, 'req-rep');
  await reqRep.getByRole('button', { name: 'Send' }).click();
  await expectDone(page, 'req-rep');
  // A step just done folds as the lesson moves on (one done in an earlier test stays open): open it to read its proof.
  const toggle = reqRep.getByRole('button').first();
  const proof = reqRep.getByTestId('step-proof').getByRole('link').last();
  await expect(async () => {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(proof).toBeVisible({ timeout: 1000 });
  }).toPass();
  const seq = /^message (\d+)$/.exec((await proof.textContent()) ?? '')?.[1];
  expect(seq).toBeDefined();
  const [tab] = await Promise.all([context.waitForEvent('page'), proof.click()]);
  // The proving message is selected and shown, with its number, not a fresh console.
  await expect(tab.getByTestId('message-detail')).toContainText(`#${seq} · `);
  await expect(tab.getByTestId('message-detail')).toContainText('World');
});
