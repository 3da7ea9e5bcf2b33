/**
 * Following the teacher must not hand out the teacher's login: a plain-FTP PASS, SMTP AUTH before
 * STARTTLS and an HTTP Basic header reach a follower (live, and through /api/class/connections)
 * with the credential hidden, while the teacher's own page shows it as an eavesdropper would. The
 * projector (a student's session on the room's screen) hides the student's password the same way.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { HIDDEN_SECRET } from '../../lib/wire/redact.ts';
import { LAB_USER } from '../../servers/daemon/config.ts';
import { BrowserPool, type TestBrowser } from '../helpers/browser.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { callAs } from '../helpers/student.ts';

let lab: TestLab;
const browsers = new BrowserPool();
let follower: TestBrowser;
let teacher: TestBrowser;
let student: { sandbox: string; password: string; cookie: string; classId: string };

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every form in which a client sent the owner's password in these tests. */
const OWNER_SECRETS = [TEST_PASSWORD, b64(TEST_PASSWORD), b64(`\0${LAB_USER}\0${TEST_PASSWORD}`), b64(`${LAB_USER}:${TEST_PASSWORD}`)];

async function asTeacher<T>(pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${lab.baseUrl}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${lab.daemon.teacherToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json', origin: lab.baseUrl }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  lab = await startTestLab();
  const created = await asTeacher<{ id: string; code: string }>('/api/classes', { name: 'Credentials' });
  const joined = await callAs<{ sandbox: string; password: string }>(lab, undefined, '/api/classes/join', { body: { code: created.body.code, name: 'Ana' } });
  expect(joined.status).toBe(200);
  student = { sandbox: joined.body.sandbox, password: joined.body.password, cookie: (joined.headers.get('set-cookie') ?? '').split(';')[0], classId: created.body.id };
  follower = await browsers.open(lab, student.cookie);
  follower.send({ type: 'follow', enabled: true });
  await follower.next((m) => m.type === 'follow' && m.following === 'local');
  teacher = await browsers.open(lab);
});
afterAll(async () => {
  browsers.closeAll();
  await lab?.stop();
});

/** Where each page's events stand before a test's client starts: its waits look only after. */
let marks = new Map<TestBrowser, number>();
beforeEach(() => {
  marks = new Map([follower, teacher].map((page) => [page, page.events.mark]));
});

/** The connection a wire-view message matching `pattern` arrived on at `page` (in this test), once that connection has closed there. */
async function closedConnOf(page: TestBrowser, protocol: string, pattern: RegExp): Promise<{ conn: string; message: LabMessage }> {
  const from = marks.get(page) ?? 0;
  const event = await page.events.next((e) => e.type === 'message' && e.message.protocol === protocol && e.message.view === 'wire' && pattern.test(e.message.text), { what: `${pattern} on ${protocol}`, from });
  if (event.type !== 'message') throw new Error('unreachable');
  const conn = event.message.conn;
  await page.events.next((e) => e.type === 'connection.close' && e.connection.id === conn, { what: `${conn} closed`, from });
  return { conn, message: event.message };
}

/** Logs in on a page's FTP console (plain FTP), then quits. */
async function ftpConsoleLogin(page: TestBrowser, user: string, password: string): Promise<void> {
  const id = `ftp-${page.mark}`;
  page.send({ type: 'console.open', consoleId: id, protocol: 'ftp' });
  const conn = await page.consoleOpen(id);
  await page.message(conn, /^220 /, { from: 0 });
  page.send({ type: 'console.send', consoleId: id, line: `USER ${user}` });
  await page.message(conn, /^331 /, { from: 0 });
  page.send({ type: 'console.send', consoleId: id, line: `PASS ${password}` });
  await page.message(conn, /^230 /, { from: 0 });
  page.send({ type: 'console.send', consoleId: id, line: 'QUIT' });
}

const leaks = (text: string, secrets: readonly string[]) => secrets.filter((s) => text.includes(s));

async function recordedForFollower(conn: string): Promise<string> {
  const res = await callAs<{ messages: LabMessage[] }>(lab, student.cookie, `/api/class/connections/${conn}`);
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

describe("a follower never reads the teacher's credentials", () => {
  it('plain FTP: PASS reaches the follower as a placeholder, live and recorded; the teacher sees it; the bytes are not the follower’s', async () => {
    // The teacher demos it in the FTP console (an external client's PASS is masked for everyone until
    // its login says whose it is: servers/ftp/lab/unfiled-pass.ts).
    await ftpConsoleLogin(teacher, LAB_USER, TEST_PASSWORD);
    const mine = await closedConnOf(teacher, 'ftp', /^PASS /);
    expect(mine.message.text).toBe(`PASS ${TEST_PASSWORD}`);
    const theirs = await closedConnOf(follower, 'ftp', /^PASS /);
    expect(theirs.conn).toBe(mine.conn);
    expect(theirs.message.text).toBe(`PASS ${HIDDEN_SECRET}`);
    expect(theirs.message.fields?.find((f) => f.name === 'password')?.value).toBe(HIDDEN_SECRET);
    expect(leaks(JSON.stringify(follower.events.items), OWNER_SECRETS)).toEqual([]);
    const recorded = await recordedForFollower(mine.conn);
    expect(recorded).toContain(`PASS ${HIDDEN_SECRET}`);
    expect(leaks(recorded, OWNER_SECRETS)).toEqual([]);
    // The teacher's own transcript keeps what crossed the wire.
    expect((await callAs<{ messages: LabMessage[] }>(lab, undefined, `/api/connections/${mine.conn}`)).body.messages.some((m) => m.text === `PASS ${TEST_PASSWORD}`)).toBe(true);
    // The bytes view and the exports are the connection's own sandbox's only.
    for (const path of [`/api/connections/${mine.conn}/messages/${mine.message.seq}/bytes`, `/api/connections/${mine.conn}/export?format=pcapng`, `/api/connections/${mine.conn}/export?format=json`]) {
      const res = await callAs(lab, student.cookie, path).catch(() => ({ status: 0 }));
      expect([path, res.status]).toEqual([path, 404]);
    }
    // Another sandbox's connection reads exactly as one that never existed: nothing tells the student it is there.
    const detail = async (conn: string) => ((await callAs<{ detail: string }>(lab, student.cookie, `/api/connections/${conn}/messages/${mine.message.seq}/bytes`)).body.detail ?? '').replace(conn, '<id>');
    expect(await detail(mine.conn)).toBe('No connection <id>.');
    expect(await detail('smtp-never-was')).toBe('No connection <id>.');
  });

  it.each(['PLAIN', 'LOGIN'])('SMTP AUTH %s before STARTTLS: neither the password nor its base64 reaches the follower', async (method) => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), secure: false, ignoreTLS: true, auth: { user: LAB_USER, pass: TEST_PASSWORD, method } });
    await transport.sendMail({ from: `${LAB_USER}@lab.test`, to: 'alice@lab.test', subject: `auth ${method}`, text: 'hi' });
    transport.close();
    const mine = await closedConnOf(teacher, 'smtp', new RegExp(`^AUTH ${method}`));
    await closedConnOf(follower, 'smtp', new RegExp(`^AUTH ${method}`));
    expect(leaks(JSON.stringify(follower.events.items), OWNER_SECRETS)).toEqual([]);
    expect(leaks(await recordedForFollower(mine.conn), OWNER_SECRETS)).toEqual([]);
  });

  it('HTTP Basic on the gateway and SOAP hosts: Authorization reaches the follower as its scheme and a placeholder', async () => {
    for (const protocol of ['gateway', 'soap'] as const) {
      marks = new Map([follower, teacher].map((page) => [page, page.events.mark]));
      const res = await fetch(`http://127.0.0.1:${lab.port(protocol)}/credentials-test`, { headers: { authorization: `Basic ${b64(`${LAB_USER}:${TEST_PASSWORD}`)}` } });
      await res.arrayBuffer();
      // fetch (undici) sends header names in lower case.
      const mine = await closedConnOf(teacher, protocol, /^authorization: /);
      expect(mine.message.text).toBe(`authorization: Basic ${b64(`${LAB_USER}:${TEST_PASSWORD}`)}`);
      const theirs = await closedConnOf(follower, protocol, /^authorization: /);
      expect(theirs.message.text).toBe(`authorization: Basic ${HIDDEN_SECRET}`);
      expect(leaks(JSON.stringify(follower.events.items), OWNER_SECRETS)).toEqual([]);
      expect(leaks(await recordedForFollower(mine.conn), OWNER_SECRETS)).toEqual([]);
    }
  });
});

describe('the projector', () => {
  it("shows a student's plain-FTP login with the password hidden (the room sees it)", async () => {
    await ftpConsoleLogin(follower, student.sandbox, student.password);
    const own = await closedConnOf(follower, 'ftp', new RegExp(`^PASS ${student.password}$`));
    expect(own.message.sandbox).toBe(student.sandbox);
    const projected = await asTeacher<{ messages: LabMessage[] }>(`/api/classes/${student.classId}/students/${student.sandbox}/connections/${own.conn}`);
    expect(projected.status).toBe(200);
    expect(projected.body.messages.some((m) => m.text === `PASS ${HIDDEN_SECRET}`)).toBe(true);
    expect(JSON.stringify(projected.body)).not.toContain(student.password);
  });
});
