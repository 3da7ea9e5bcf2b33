import { expect, test, type Locator, type Page } from '@playwright/test';
import { terminal, transcript, type } from './console';
import { newStudent, startOwnSandbox } from './sandbox';

const DISPLAY_KEY = 'protocol-lab.display';

/** Every write of the display settings a page makes, in order (recorded from before the page's own scripts run). */
async function recordDisplayWrites(page: Page) {
  await page.addInitScript((key) => {
    const writes: string[] = [];
    (window as unknown as { displayWrites: string[] }).displayWrites = writes;
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (name: string, value: string) {
      if (name === key) writes.push(value);
      return setItem.call(this, name, value);
    };
  }, DISPLAY_KEY);
}

/** The `presenter` flag of each display-settings write this page made so far. */
const presenterWrites = (page: Page) => page.evaluate(() => (window as unknown as { displayWrites: string[] }).displayWrites.map((w) => (JSON.parse(w) as { presenter: boolean }).presenter));

test('Presenter mode survives navigation between two lab pages, and a page never saves it off while opening', async ({ page }) => {
  await recordDisplayWrites(page);
  await page.goto('/smtp');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);

  // Through the header nav (the layout stays mounted)…
  await page.locator('body > header nav').getByRole('link', { name: 'FTP', exact: true }).click();
  await expect(page).toHaveURL(/\/ftp$/);
  await expect(page.locator('html')).toHaveClass(/presenter/);

  // …and a fresh page load, which restores the saved settings before it saves any.
  await page.goto('/ssh');
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await expect.poll(() => presenterWrites(page)).toContain(true);
  expect(await presenterWrites(page)).not.toContain(false);
  expect(JSON.parse((await page.evaluate((key) => localStorage.getItem(key), DISPLAY_KEY)) ?? '{}')).toMatchObject({ presenter: true });

  await page.reload();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).not.toHaveClass(/presenter/);
});

/** Each visible nav entry: whole (its text not clipped) and inside the window. */
async function navEntriesReadable(page: Page) {
  const entries = await page.locator('body > header nav a').evaluateAll((links) =>
    links
      .filter((a) => getComputedStyle(a).display !== 'none')
      .map((a) => {
        const r = a.getBoundingClientRect();
        const nav = (a.closest('nav') as HTMLElement).getBoundingClientRect();
        return { text: a.textContent ?? '', clipped: a.scrollWidth > a.clientWidth + 1, inNav: r.left >= nav.left - 0.5 && r.right <= nav.right + 0.5, inWindow: r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight };
      }),
  );
  expect(entries.map((e) => e.text)).toEqual(expect.arrayContaining(['Start here', 'SMTP', 'Sessions']));
  for (const e of entries) expect(e, e.text).toMatchObject({ clipped: false, inNav: true, inWindow: true });
}

test('every header nav entry reads whole at 1280×720, at the desk and in Presenter mode (one line at 20px, wrapped when larger)', async ({ page }, testInfo) => {
  await page.goto('/smtp');
  await navEntriesReadable(page);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await navEntriesReadable(page);
  // At Presenter mode's own 20px the header stays one 3rem line, the height the lab pages leave it.
  expect((await page.locator('body > header').boundingBox())!.height).toBeLessThanOrEqual(61);
  await page.screenshot({ path: testInfo.outputPath('nav-presenter-20px.png'), clip: { x: 0, y: 0, width: 1280, height: 160 } });

  // The largest type wraps the nav instead of cutting an entry.
  const larger = page.getByRole('button', { name: 'Larger text' });
  while (await larger.isEnabled()) await larger.click();
  await expect(page.locator('html')).toHaveCSS('font-size', '28px');
  await navEntriesReadable(page);
  await page.screenshot({ path: testInfo.outputPath('nav-presenter-28px.png'), clip: { x: 0, y: 0, width: 1280, height: 200 } });
});

test("a student's own-client tabs: the access-control lab says its clients act in the owner's sandbox; SOAP mail names the student's calendar", async ({ browser, page }) => {
  // The machine owner's page is unchanged: the lab's password for every demo user, and the recipes.
  await page.goto('/gateway');
  await page.getByRole('tab', { name: 'Own client' }).click();
  await expect(page.getByTestId('gateway-facts')).toContainText('Password of every demo user');
  await expect(page.getByTestId('gateway-facts')).toContainText('e2e-password');
  await expect(page.getByRole('button', { name: 'bob reads (Basic)' })).toBeVisible();

  const context = await browser.newContext();
  const student = await context.newPage();
  await student.goto('/gateway');
  expect((await context.request.post('/api/sandboxes', { data: {} })).ok()).toBe(true);
  const login = (await (await context.request.get('/api/lab')).json()) as { user: string; password: string; shared: boolean; mailDomain: string };
  expect(login.shared).toBe(false);

  await student.reload();
  await student.getByRole('tab', { name: 'Own client' }).click();
  // This browser is at the owner's machine: its curl would land in the owner's sandbox, so no recipes with this sandbox's password.
  await expect(student.getByTestId('gateway-facts-notice')).toHaveText(/External clients of this lab run on this machine land in the machine owner’s sandbox, not yours: run them on your own computer on the class network \(with this page open there\), or use the request console on this page \(it acts in your sandbox\)\./);
  await expect(student.getByTestId('gateway-facts')).toContainText('Service host');
  await expect(student.getByTestId('gateway-facts')).not.toContainText(login.password);
  await expect(student.getByTestId('gateway-facts')).not.toContainText('Password of every demo user');
  await expect(student.getByRole('button', { name: 'bob reads (Basic)' })).toHaveCount(0);

  await student.goto('/soap');
  await student.getByRole('tab', { name: 'Own client' }).click();
  const facts = student.getByTestId('soap-facts');
  await expect(facts).toContainText('External clients of this lab run on this machine land in the machine owner’s sandbox, not yours');
  await expect(facts).toContainText(`calendar@${login.mailDomain}`);
  await student.getByRole('button', { name: 'swaks (mail)' }).click();
  await expect(student.getByText(`--from student@${login.mailDomain} --to calendar@${login.mailDomain}`)).toBeVisible();
  // The Python recipe reads the mailbox API without this browser's cookie: the owner's mailbox, so not offered here.
  await expect(student.getByRole('button', { name: 'Python smtplib (mail)' })).toHaveCount(0);
  await context.close();
});

/**
 * Where a value's text is cut between two letters or digits at a line end, as "hea|der", though its word (up to
 * a space or a "/") fits the line: a key longer than the line may still break inside; at a space, "-" or "/" is a wrap.
 */
const cutWords = (list: Locator) =>
  list.locator('dd').evaluateAll((dds) =>
    dds.flatMap((dd) => {
      // Each character with the box it is drawn in (a value may be several text nodes: <wbr> between them).
      const chars: { c: string; node: Text; at: number }[] = [];
      const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node as Text;
        for (let at = 0; at < text.data.length; at++) chars.push({ c: text.data[at], node: text, at });
      }
      const range = document.createRange();
      const box = (i: number) => {
        range.setStart(chars[i].node, chars[i].at);
        range.setEnd(chars[i].node, chars[i].at + 1);
        return range.getClientRects()[0];
      };
      const boxes = chars.map((_, i) => box(i));
      const text = chars.map((ch) => ch.c).join('');
      const inWord = (c: string) => /[\p{L}\p{N}]/u.test(c);
      const cuts: string[] = [];
      for (let i = 1; i < chars.length; i++) {
        if (!boxes[i] || !boxes[i - 1] || boxes[i].top <= boxes[i - 1].top + 1 || !inWord(text[i - 1]) || !inWord(text[i])) continue;
        let start = i;
        while (start > 0 && !/[\s/]/.test(text[start - 1])) start--;
        let end = i;
        while (end < text.length && !/\s/.test(text[end]) && text[end - 1] !== '/') end++;
        let width = 0;
        for (let j = start; j < end; j++) width += boxes[j]?.width ?? 0;
        if (width <= dd.clientWidth) cuts.push(`${text.slice(start, i)}|${text.slice(i, end)}`);
      }
      return cuts;
    }),
  );

test('in Presenter mode "What your client needs" wraps its values between words, never inside a word that fits the line', async ({ page }, testInfo) => {
  await page.goto('/soap');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  for (const lab of ['soap', 'gateway', 'zmq', 'policy']) {
    await page.goto(`/${lab}`);
    await page.getByRole('tab', { name: 'Own client' }).click();
    const facts = page.getByTestId(`${lab}-facts`);
    await expect(facts.locator('dd').first()).toContainText(/\S/);
    await page.screenshot({ path: testInfo.outputPath(`own-client-presenter-${lab}.png`) });
    expect(await cutWords(facts), lab).toEqual([]);
  }
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test('in Presenter mode every lab page fits 1280×720: the panels scroll, never the page', async ({ page }) => {
  await page.goto('/smtp');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  for (const lab of ['smtp', 'ssh', 'ftp', 'soap', 'zmq', 'policy', 'gateway']) {
    await page.goto(`/${lab}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => ({ down: document.documentElement.scrollHeight - innerHeight, across: document.documentElement.scrollWidth - innerWidth }));
    expect(overflow, lab).toEqual({ down: 0, across: 0 });
  }
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test('a selected transcript row reads whole in Presenter mode: its line wraps in the column instead of ending in …', async ({ page }) => {
  await page.goto('/smtp');
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  const host = 'a-client-name-longer-than-a-projector-column.classroom.lab.test';
  await type(page, `EHLO ${host}\n`);
  await expect(terminal(page)).toContainText('250 SIZE');
  const row = transcript(page).locator('li[data-id]').filter({ hasText: `EHLO ${host}` });
  const line = row.getByTestId('message-text');
  const shape = () =>
    line.evaluate((el) => {
      const column = el.closest('ol')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      // The first line is the row's first child (an "(+N lines)" mark may follow it, outside the cut).
      const first = el.firstElementChild as HTMLElement;
      return { clipped: first.scrollWidth > first.clientWidth + 1, inColumn: box.left >= column.left && box.right <= column.right + 0.5 };
    });
  // Unselected, a row keeps to one line, so the list stays easy to scan…
  expect(await shape()).toEqual({ clipped: true, inColumn: true });
  await row.getByRole('button').first().click();
  await expect(row.getByTestId('message-detail')).toBeVisible();
  // …selected, the whole line shows, folded inside the column (one line only: the detail shows no second copy).
  expect(await shape()).toEqual({ clipped: false, inColumn: true });
  await expect(line).toHaveText(`EHLO ${host}`);
  await page.getByRole('button', { name: 'Presenter' }).click();
});

test("in Presenter mode beside an unfolded lesson every panel header keeps its controls inside its card", async ({ browser }, testInfo) => {
  // Its own sandbox: opening a lesson link starts that lesson, and the shared sandbox's lessons belong to other tests.
  const page = await newStudent(browser);
  await startOwnSandbox(page);
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  const pages = ['/smtp?lesson=smtp-first-mail', '/ftp?lesson=ftp-two-channels', '/ssh?lesson=ssh-handshake', '/soap?lesson=soap-envelopes#wsdl', '/zmq?lesson=zmq-patterns', '/policy?lesson=policy-attachment', '/gateway?lesson=gateway-catalogue'];
  for (const [i, address] of pages.entries()) {
    await page.goto(address);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Presenter mode starts with the lesson folded; unfolded, it stays so from page to page.
    if (i === 0) await page.getByTestId('lesson-panel').getByRole('button', { name: 'Show the lesson' }).click();
    await expect(page.getByTestId('lesson-panel').getByRole('button', { name: 'Start over' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const outside = await page.locator('main section > header').evaluateAll((headers) =>
      headers.flatMap((header) => {
        const card = header.parentElement?.getBoundingClientRect();
        if (!card || card.width === 0) return [];
        return [...header.querySelectorAll('button, a, select, input')].flatMap((control) => {
          const r = control.getBoundingClientRect();
          return r.width > 0 && (r.left < card.left - 1 || r.right > card.right + 1) ? [`${header.querySelector('h2')?.textContent}: ${control.textContent?.trim()}`] : [];
        });
      }),
    );
    if (outside.length) await page.screenshot({ path: testInfo.outputPath(`${address.slice(1, 5)}.png`) });
    expect(outside, address).toEqual([]);
  }
  await page.context().close();
});

/** The console's rows as the user reads them, trailing blanks dropped. */
const consoleRows = (page: Page, testId = 'terminal') => page.getByTestId(testId).locator('.xterm-rows > div').evaluateAll((rows) => rows.map((row) => (row.textContent ?? '').replace(/\s+$/, '')));

test('Presenter mode folds a transcript already on screen for its width: the same lines as one opened in Presenter mode', async ({ page }) => {
  // A live console with notes long enough to fold (the EHLO reply's annotations).
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(page, 'EHLO refold.lab.test\n');
  await expect(terminal(page)).toContainText('250 SIZE');
  const first = await transcript(page).locator('li[data-id]').first().getAttribute('data-id');
  const conn = first!.slice(0, first!.lastIndexOf(':'));
  const link = `/smtp?conn=${encodeURIComponent(conn)}`;

  // A classmate reads it at the desk, then turns Presenter on.
  const desk = await page.context().newPage();
  await desk.setViewportSize({ width: 1280, height: 720 });
  await desk.goto(link);
  await expect(terminal(desk)).toContainText('250 SIZE 1048576');
  const atDesk = await consoleRows(desk);
  await desk.getByRole('button', { name: 'Presenter' }).click();
  await expect(desk.locator('html')).toHaveClass(/presenter/);

  // The same link opened in Presenter mode (the setting is saved for the next page).
  const opened = await page.context().newPage();
  await opened.setViewportSize({ width: 1280, height: 720 });
  await opened.goto(link);
  await expect(opened.locator('html')).toHaveClass(/presenter/);
  await expect(terminal(opened)).toContainText('250 SIZE 1048576');
  // Read once it has settled: a page opening in Presenter mode may still refold for its final width (the log is
  // aria-busy meanwhile), and rows read in the middle of that were blank.
  await expect(opened.getByTestId('terminal')).not.toHaveAttribute('aria-busy', 'true');
  await expect(terminal(opened)).toContainText('250 SIZE 1048576');
  const inPresenter = await consoleRows(opened);
  // Presenter's larger text folds the lines differently from the desk's…
  expect(inPresenter).not.toEqual(atDesk);
  // …and the switched page reads the same: no line xterm cut in the middle of a word.
  await expect.poll(() => consoleRows(desk)).toEqual(inPresenter);
  await desk.close();
  await opened.close();
});

/** How far a terminal's drawn rows reach past the inside of its frame, in px (≤ 0: every row shows whole). */
const rowsOverflow = (frame: Locator) =>
  frame.evaluate((el) => {
    const style = getComputedStyle(el);
    const inside = el.getBoundingClientRect().bottom - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
    const screen = el.querySelector('.xterm-screen');
    if (!screen) throw new Error('no terminal drawn');
    return screen.getBoundingClientRect().bottom - inside;
  });

test('a terminal shows its last row (the prompt) whole, at the desk and in Presenter mode', async ({ page }) => {
  const frames = [
    { path: '/smtp', frame: page.getByTestId('terminal') },
    { path: '/ssh#shell', frame: page.getByTestId('ssh-terminal') },
  ];
  for (const presenter of [false, true]) {
    for (const { path, frame } of frames) {
      await page.goto(path);
      if (presenter) await expect(page.locator('html')).toHaveClass(/presenter/);
      await expect(frame.locator('.xterm-screen')).toBeVisible({ timeout: 20_000 });
      await expect(frame).not.toHaveAttribute('aria-busy', 'true');
      expect(await rowsOverflow(frame), `${path}${presenter ? ' in Presenter mode' : ''}`).toBeLessThanOrEqual(0.5);
    }
    if (!presenter) await page.getByRole('button', { name: 'Presenter' }).click();
  }
});

/**
 * The SSH terminal's greeting as its rows read: the words (a word the terminal cut in two, "th|e",
 * reads as two), and a mark on a row that starts with a space (xterm's reflow of a wider fold does
 * that; the lab folds at spaces).
 */
const sshGreeting = async (page: Page) => {
  const rows = await consoleRows(page, 'ssh-terminal');
  const greeting = rows.slice(0, rows.findIndex((row) => row.startsWith('$')));
  return greeting.map((row) => (row.startsWith(' ') ? '<row starts with a space>' : '') + row).join(' ').split(/\s+/).filter(Boolean).join(' ');
};
const SSH_GREETING = /^Protocol Lab SSH terminal — a real SSH client run by the lab, talking through the tap\. Type ssh student@127\.0\.0\.1 -p \d+ or just press Enter\. Type help for more\.$/;

test('the SSH terminal greets at its own width: no word cut across rows, at the desk, in Presenter mode and after a resize', async ({ page }) => {
  const frame = page.getByTestId('ssh-terminal');
  for (const presenter of [false, true]) {
    if (presenter) await page.getByRole('button', { name: 'Presenter' }).click();
    // A fresh page each time (going to the same address with a #fragment would keep the page and its terminal).
    await page.goto('about:blank');
    await page.goto('/ssh#shell');
    if (presenter) await expect(page.locator('html')).toHaveClass(/presenter/);
    await expect(frame.locator('.xterm-rows')).toContainText('for more.', { timeout: 20_000 });
    // Polled: a terminal that resized after the greeting (Presenter's text arriving late) gets it folded again.
    await expect.poll(() => sshGreeting(page), { message: presenter ? 'in Presenter mode' : 'at the desk' }).toMatch(SSH_GREETING);
  }
  // A narrower window before anything is typed: the greeting is folded again for the new width. (At 1100 px Presenter
  // mode's 20 px type leaves the lab under 56rem, where the terminal moves above the tabs and grows instead.)
  const columns = () => frame.locator('.xterm-screen').evaluate((screen) => screen.getBoundingClientRect().width);
  const wide = await columns();
  await page.setViewportSize({ width: 1200, height: 720 });
  await expect.poll(columns).toBeLessThan(wide);
  await expect.poll(() => sshGreeting(page), { message: 'after the window narrowed' }).toMatch(SSH_GREETING);
});

test('in Presenter mode the lab password is dots wherever the page prints it (login, lesson step, recipes) until Show', async ({ page }) => {
  const authPlain = Buffer.from('\0student\0e2e-password').toString('base64');
  await page.goto('/smtp?lesson=smtp-starttls-auth&step=auth-in-clear');
  const authLine = page.getByTestId('try-line').filter({ hasText: 'AUTH PLAIN' });
  await expect(authLine).toContainText(authPlain);
  await expect(page.getByTestId('lab-password')).toHaveText('e2e-password');

  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.getByTestId('lab-password')).toHaveText('••••••••');
  const lesson = page.getByTestId('lesson-panel');
  if (await lesson.getByRole('button', { name: 'Show the lesson' }).isVisible()) await lesson.getByRole('button', { name: 'Show the lesson' }).click();
  await expect(authLine).toHaveText(/AUTH PLAIN ••••••••/);
  await page.getByRole('tab', { name: 'Own client' }).click();
  await expect(page.locator('main pre')).toContainText('swaks');
  const main = page.locator('main');
  await expect(main).not.toContainText('e2e-password');
  await expect(main).not.toContainText(authPlain);

  await page.getByRole('button', { name: 'Show the password' }).click();
  await expect(page.getByTestId('lab-password')).toHaveText('e2e-password');
  await expect(page.locator('main pre')).toContainText('e2e-password');
  await expect(authLine).toContainText(authPlain);
  // Leaving Presenter mode and entering it again hides it again.
  await page.getByRole('button', { name: 'Presenter' }).click();
  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.getByTestId('lab-password')).toHaveText('••••••••');
  await page.getByRole('button', { name: 'Presenter' }).click();
});
