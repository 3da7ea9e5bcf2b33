/**
 * Issue 15: two student sandboxes side by side on one lab, over the API and the WebSocket. Each
 * browser sees only its own sandbox (its login, transcripts, live events, step mode and faults);
 * a forged or foreign cookie opens nothing, and a sandbox reopens elsewhere only with its password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../lib/bus/events.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { LAB_USER } from '../../servers/daemon/config.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { callAs, openStudent, type Student } from '../helpers/student.ts';

let lab: TestLab;
let a: Student;
let b: Student;
const browsers: TestBrowser[] = [];
beforeAll(async () => {
  lab = await startTestLab();
  a = await openStudent(lab);
  b = await openStudent(lab);
});
afterAll(async () => {
  for (const browser of browsers) browser.close();
  await lab?.stop();
});

async function browserOf(student?: Student): Promise<TestBrowser> {
  const browser = await TestBrowser.open(lab, student ? { cookie: student.cookie } : {});
  browsers.push(browser);
  return browser;
}

const connsIn = (events: readonly LabEvent[]) => new Set(events.flatMap((e) => (e.type === 'message' ? [e.message.conn] : 'connection' in e ? [e.connection.id] : [])));

describe('a sandbox per browser', () => {
  it('answers each browser its own sandbox and login; a browser without one is the machine owner', async () => {
    const mine = await a.call<Record<string, unknown>>('/api/lab');
    expect(mine.body).toMatchObject({ sandbox: a.sandbox, shared: false, user: a.sandbox, password: a.password, mailDomain: `${a.sandbox}.lab.test` });
    expect(a.sandbox).not.toBe(b.sandbox);
    expect(a.password).not.toBe(b.password);
    const owner = await callAs<Record<string, unknown>>(lab, undefined, '/api/lab');
    expect(owner.body).toMatchObject({ sandbox: 'local', shared: true, user: LAB_USER, password: TEST_PASSWORD, mailDomain: 'lab.test' });
  });

  it('keeps the token in an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await callAs(lab, undefined, '/api/sandboxes', { body: {} });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lab_sandbox=[A-Za-z0-9_-]{20,};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
  });

  it('a forged cookie or a sandbox id as cookie opens nobody’s sandbox', async () => {
    for (const cookie of ['lab_sandbox=forged-token-0000000000000000', `lab_sandbox=${a.sandbox}`, `lab_sandbox=${a.password}`]) {
      const res = await callAs<{ sandbox: string }>(lab, cookie, '/api/lab');
      expect([cookie, res.body.sandbox]).toEqual([cookie, 'local']);
    }
  });

  it('reopens a sandbox in another browser only with its password', async () => {
    const wrong = await callAs<{ error: string }>(lab, undefined, '/api/sandboxes/open', { body: { sandbox: a.sandbox, password: b.password } });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const malformed = await callAs(lab, undefined, '/api/sandboxes/open', { body: { sandbox: '../local', password: 'x' } });
    expect(malformed.status).toBe(400);
    const right = await callAs<{ sandbox: string }>(lab, undefined, '/api/sandboxes/open', { body: { sandbox: a.sandbox, password: a.password } });
    expect(right.status).toBe(200);
    const cookie = (right.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await callAs<{ sandbox: string }>(lab, cookie, '/api/lab')).body.sandbox).toBe(a.sandbox);
    const left = await callAs<{ left: string }>(lab, cookie, '/api/sandboxes/leave', { body: {} });
    expect(left.body.left).toBe(a.sandbox);
    expect(left.headers.get('set-cookie')).toMatch(/^lab_sandbox=; .*Max-Age=0/);
  });
});

describe('two sandboxes never cross', () => {
  it("a browser's console connection, its events and its transcript are its sandbox's only", async () => {
    const [browserA, browserB, owner] = [await browserOf(a), await browserOf(b), await browserOf()];
    browserA.send({ type: 'console.open', consoleId: 'a1', protocol: 'smtp' });
    const connA = await browserA.consoleOpen('a1');
    await browserA.message(connA, /^220 /);
    browserA.send({ type: 'console.send', consoleId: 'a1', line: 'EHLO student-a.test' });
    await browserA.message(connA, /^250[- ]/);

    // B and the owner each do something of their own afterwards: the hub delivers in bus order, so
    // by the time their own line arrives, any event of A's sent to them would have arrived before it.
    for (const [browser, id] of [[browserB, 'b1'], [owner, 'o1']] as const) {
      browser.send({ type: 'console.open', consoleId: id, protocol: 'smtp' });
      const conn = await browser.consoleOpen(id);
      await browser.message(conn, /^220 /);
      expect(connsIn(browser.events.items).has(connA)).toBe(false);
    }

    const listA = await a.call<{ connections: { id: string; sandbox: string }[] }>('/api/connections?protocol=smtp');
    expect(listA.body.connections.map((c) => c.id)).toContain(connA);
    expect(listA.body.connections.every((c) => c.sandbox === a.sandbox)).toBe(true);
    const listB = await b.call<{ connections: { id: string }[] }>('/api/connections?protocol=smtp');
    expect(listB.body.connections.map((c) => c.id)).not.toContain(connA);
    expect((await b.call(`/api/connections/${connA}`)).status).toBe(404);
    expect((await callAs(lab, undefined, `/api/connections/${connA}`)).status).toBe(404);
    expect((await a.call(`/api/connections/${connA}`)).status).toBe(200);
  });

  it("one student's step mode holds only that student's connections", async () => {
    const [browserA, browserB] = [await browserOf(a), await browserOf(b)];
    browserA.send({ type: 'step.set', protocol: 'smtp', enabled: true });
    await browserA.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && e.state.enabled));
    browserA.send({ type: 'console.open', consoleId: 'a2', protocol: 'smtp' });
    const connA = await browserA.consoleOpen('a2');
    // B's greeting arrives while A's own is held.
    browserB.send({ type: 'console.open', consoleId: 'b2', protocol: 'smtp' });
    const connB = await browserB.consoleOpen('b2');
    await browserB.message(connB, /^220 /);
    await browserA.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && e.state.held > 0));
    expect(browserA.events.items.some((e) => e.type === 'message' && e.message.conn === connA && /^220 /.test(e.message.text))).toBe(false);
    browserA.send({ type: 'step.next', protocol: 'smtp' });
    await browserA.message(connA, /^220 /);
    browserA.send({ type: 'step.set', protocol: 'smtp', enabled: false });
  });

  it("leaves the SSH server's shared host key and algorithms to the machine owner", async () => {
    expect((await a.call('/api/ssh/faults/rotate-host-key', { body: {} })).status).toBe(403);
    expect((await a.call('/api/ssh/faults/restrict-algorithms', { body: { enabled: true } })).status).toBe(403);
    const owner = await callAs<{ restrictAlgorithms: boolean }>(lab, undefined, '/api/ssh/faults/restrict-algorithms', { body: { enabled: false } });
    expect([owner.status, owner.body.restrictAlgorithms]).toEqual([200, false]);
  });

  it('refuses a student arming ssh.hostkey-change (it rotates the host key every sandbox shares) with a 403 problem; the owner may', async () => {
    const refused = await callAs<{ title: string; status: number; detail: string }>(lab, a.cookie, '/api/faults', { body: { rule: 'ssh.hostkey-change', enabled: true, times: 1 } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/only the machine owner \(the teacher\)/);
    expect((await a.call<{ armed: unknown[] }>('/api/faults')).body.armed).toEqual([]);
    // The menu learns which rules it may offer: the student is told the rule is the owner's.
    const menu = await a.call<{ owner: boolean; rules: { id: string; shared?: boolean }[] }>('/api/faults?lab=ssh');
    expect([menu.body.owner, menu.body.rules.find((r) => r.id === 'ssh.hostkey-change')?.shared]).toEqual([false, true]);
    const owner = await callAs<{ owner: boolean; armed: { rule: string }[] }>(lab, undefined, '/api/faults', { body: { rule: 'ssh.hostkey-change', enabled: true, times: 1 } });
    expect([owner.status, owner.body.owner, owner.body.armed.map((f) => f.rule)]).toEqual([200, true, ['ssh.hostkey-change']]);
    await callAs(lab, undefined, '/api/faults', { body: { rule: 'ssh.hostkey-change', enabled: false } });
  });

  it("a fault armed in one sandbox is not armed in another", async () => {
    const armed = await a.call<{ armed: { rule: string }[] }>('/api/faults', { body: { rule: 'smtp.data-554', enabled: true } });
    expect(armed.status).toBe(200);
    expect(armed.body.armed.map((f) => f.rule)).toEqual(['smtp.data-554']);
    expect((await b.call<{ armed: unknown[] }>('/api/faults')).body.armed).toEqual([]);
    expect((await callAs<{ armed: unknown[] }>(lab, undefined, '/api/faults')).body.armed).toEqual([]);
  });
});
