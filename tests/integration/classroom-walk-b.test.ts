/**
 * Walk B's classroom findings, as the walk did them against a real lab: joining again from a browser
 * already in the class (#3), "last seen" of a student who only types in a console or follows (#4),
 * freeze, rewind and projector on sessions and steps that do not exist (#6), the teacher's open
 * sessions for a page that starts following mid-session (#7), and faults armed on a connection that
 * is not the caller's (#11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxReply } from '../../lib/http/sandbox-contracts.ts';
import { BrowserPool, TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { callAs, openStudent } from '../helpers/student.ts';

let lab: TestLab;
const browsers = new BrowserPool();
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  browsers.closeAll();
  await lab?.stop();
});

type Reply<T> = { status: number; body: T; type: string | null };

/** A request as the teacher's script (the bearer token). */
async function asTeacher<T>(pathname: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${lab.baseUrl}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${lab.daemon.teacherToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json', origin: lab.baseUrl }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T, type: res.headers.get('content-type') };
}

type Joined = SandboxReply & { class: { id: string }; membership: string; name: string };
/** POST /api/classes/join as a browser with `cookie` (none: a new browser); answers the reply and the cookie it set, if any. */
async function join(code: string, name: string, cookie?: string) {
  const res = await callAs<Joined & { detail?: string }>(lab, cookie, '/api/classes/join', { body: { code, name } });
  const set = res.headers.get('set-cookie');
  return { status: res.status, body: res.body, cookie: set ? set.split(';')[0] : cookie };
}

const browser = (cookie?: string): Promise<TestBrowser> => browsers.open(lab, cookie);

type Roster = { students: { sandbox: string; name: string; lastSeen: number }[]; now: number };
const roster = async (classId: string) => (await asTeacher<Roster>(`/api/classes/${classId}`)).body;

async function newClass(name: string): Promise<{ id: string; code: string }> {
  const created = await asTeacher<{ id: string; code: string }>('/api/classes', { name });
  expect(created.status).toBe(200);
  return created.body;
}

/** A console session of `page` in `protocol` with its greeting in, and a few lines sent. */
async function session(page: TestBrowser, id: string, lines: string[]): Promise<string> {
  page.send({ type: 'console.open', consoleId: id, protocol: 'smtp' });
  const conn = await page.consoleOpen(id);
  await page.message(conn, /^220 /);
  for (const line of lines) {
    page.send({ type: 'console.send', consoleId: id, line });
    await page.message(conn, /^250[ -]/);
  }
  return conn;
}

describe('joining a class again (walk B #3)', () => {
  it('gives a browser already in the class its own membership back, not a second sandbox', async () => {
    const { id, code } = await newClass('Networks 2B');
    const chloe = await join(code, 'Chloé');
    expect([chloe.status, chloe.body.membership]).toEqual([200, 'new']);
    // Tab 2 of the same browser opens /join and joins again under another name; Ben POSTs again.
    const again = await join(code, 'Chloé (tab 2)', chloe.cookie);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ membership: 'already', name: 'Chloé', sandbox: chloe.body.sandbox, password: chloe.body.password });
    expect(again.cookie).toBe(chloe.cookie);
    const ben = await join(code, 'Ben');
    expect((await join(code.toLowerCase().replace('-', ''), 'Ben', ben.cookie)).body).toMatchObject({ membership: 'already', sandbox: ben.body.sandbox });
    expect((await callAs<{ sandbox: string }>(lab, ben.cookie, '/api/lab')).body.sandbox).toBe(ben.body.sandbox);
    expect((await roster(id)).students.map((s) => [s.name, s.sandbox])).toEqual([
      ['Chloé', chloe.body.sandbox],
      ['Ben', ben.body.sandbox],
    ]);
  });

  it("puts a browser's own sandbox into the class with its work, and refuses (409, in words) one already in another class", async () => {
    const first = await newClass('Tuesday');
    const second = await newClass('Thursday');
    const own = await openStudent(lab);
    const adopted = await join(first.code, 'Dmitri', own.cookie);
    expect(adopted.status).toBe(200);
    expect(adopted.body).toMatchObject({ membership: 'own-sandbox', sandbox: own.sandbox, name: 'Dmitri' });
    expect(adopted.cookie).toBe(own.cookie);
    expect((await roster(first.id)).students.map((s) => s.sandbox)).toEqual([own.sandbox]);

    const elsewhere = await join(second.code, 'Dmitri', own.cookie);
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.detail).toMatch(/already in the class “Tuesday” as Dmitri \(sandbox [a-z2-9]{6}\)\. To join another class, .*leave it/);
    expect(elsewhere.cookie).toBe(own.cookie);
    expect((await roster(second.id)).students).toEqual([]);
  });
});

describe('the roster’s last seen (walk B #4)', () => {
  it('counts console typing over the WebSocket and an open page that follows, with no HTTP request', async () => {
    const { id, code } = await newClass('Last seen');
    const ana = await join(code, 'Ana');
    const eve = await join(code, 'Eve');
    const [anaPage, evePage] = [await browser(ana.cookie), await browser(eve.cookie)];
    const seen = async (sandbox: string) => {
      const r = await roster(id);
      return { at: r.students.find((s) => s.sandbox === sandbox)?.lastSeen ?? 0, now: r.now };
    };
    // Both pages opened (an HTTP upgrade each); from here on only WebSocket messages.
    const opened = await seen(ana.body.sandbox);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await session(anaPage, 'a', ['EHLO ana.test', 'NOOP']);
    expect((await seen(ana.body.sandbox)).at).toBeGreaterThan(opened.at + 250);

    evePage.send({ type: 'follow', enabled: true });
    await evePage.next((m) => m.type === 'follow' && m.following !== null);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const watching = await seen(eve.body.sandbox);
    expect(watching.now - watching.at).toBeLessThan(250);
  });
});

describe('freeze, rewind and the projector refuse what the class could not show (walk B #6)', () => {
  it('answers problem+json 404 or 400 in words, and stores nothing', async () => {
    const { id, code } = await newClass('Checks');
    const ana = await join(code, 'Ana');
    const dmitri = await join(code, 'Dmitri');
    const outsider = await openStudent(lab);
    const teacherConn = await session(await browser(), 't', ['EHLO teacher.test', 'NOOP', 'NOOP']);
    const anaConn = await session(await browser(ana.cookie), 'a', ['EHLO ana.test']);
    const dmitriConn = await session(await browser(dmitri.cookie), 'd', ['EHLO dmitri.test']);
    const { messageCount } = (await asTeacher<{ connection: { messageCount: number } }>(`/api/connections/${teacherConn}`)).body.connection;
    expect(messageCount).toBeGreaterThan(3);

    const refused = async (change: unknown, status: number, detail: RegExp) => {
      const res = await asTeacher<{ detail: string }>(`/api/classes/${id}/state`, change);
      expect([res.status, res.type, res.body.detail], JSON.stringify(change)).toEqual([status, 'application/problem+json', expect.stringMatching(detail)]);
    };
    await refused({ rewind: { conn: teacherConn, step: 999 } }, 400, new RegExp(`^Session ${teacherConn} has ${messageCount} messages: there is no message #999 to rewind the class on \\(1 to ${messageCount}\\)\\.$`));
    await refused({ rewind: { conn: teacherConn, step: 2.5 } }, 400, /A step is a message number: a whole number, 1 or more/);
    await refused({ rewind: { conn: teacherConn, step: 0 } }, 400, /A step is a message number/);
    await refused({ frozen: { conn: teacherConn, seq: messageCount + 1 } }, 400, /no message #\d+ to freeze the class on/);
    await refused({ frozen: { conn: 'smtp-NOPE', seq: 3 } }, 404, /^You have no session smtp-NOPE: freeze the class on a message of one of your own sessions\.$/);
    await refused({ rewind: { conn: anaConn, step: 1 } }, 404, /You have no session/);
    await refused({ projector: { sandbox: ana.body.sandbox, conn: dmitriConn } }, 404, /^Ana has no session /);
    await refused({ projector: { sandbox: outsider.sandbox, conn: anaConn } }, 404, /^No student [a-z2-9]{6} in this class\.$/);
    expect((await roster(id)) && (await asTeacher<{ state: unknown }>(`/api/classes/${id}`)).body.state).toMatchObject({ frozen: null, rewind: null, projector: null });

    // What the class can show is still taken.
    const ok = await asTeacher<{ frozen: unknown; rewind: unknown; projector: unknown }>(`/api/classes/${id}/state`, {
      frozen: { conn: teacherConn, seq: messageCount },
      rewind: { conn: teacherConn, step: 1 },
      projector: { sandbox: ana.body.sandbox, conn: anaConn },
    });
    expect(ok.status).toBe(200);
  });
});

describe("the teacher's open sessions for a page that starts following (walk B #7)", () => {
  it('lists them to a student of the class, and to nobody else', async () => {
    const { code } = await newClass('Reload');
    const eve = await join(code, 'Eve');
    const teacherConn = await session(await browser(), 'live', ['EHLO teacher.test']);
    const live = await callAs<{ connections: { id: string; endedAt: number | null }[] }>(lab, eve.cookie, '/api/class/connections');
    expect(live.status).toBe(200);
    expect(live.body.connections.map((c) => c.id)).toContain(teacherConn);
    expect(live.body.connections.every((c) => c.endedAt === null)).toBe(true);
    expect((await callAs(lab, (await openStudent(lab)).cookie, '/api/class/connections')).status).toBe(403);
  });
});

describe('POST /api/faults on one connection (walk B #11)', () => {
  it("refuses a connection that is not one of the caller's open ones, as step mode does", async () => {
    const eve = await openStudent(lab);
    const teacherConn = await session(await browser(), 'f', []);
    const ownConn = await session(await browser(eve.cookie), 'e', []);
    const arm = (conn: string, rule = 'smtp.rcpt-451-second') => callAs<{ detail?: string; armed?: unknown[] }>(lab, eve.cookie, '/api/faults', { body: { rule, enabled: true, scope: 'connection', conn } });
    for (const [conn, rule] of [[teacherConn, undefined], ['smtp-NOPE1234', undefined], [ownConn, 'ftp.data-drop']] as const) {
      const res = await arm(conn, rule);
      expect([res.status, res.headers.get('content-type'), res.body.detail]).toEqual([400, 'application/problem+json', expect.stringMatching(new RegExp(`^No open (SMTP|FTP) connection ${conn} in your sandbox\\.$`))]);
    }
    expect((await eve.call<{ armed: unknown[] }>('/api/faults')).body.armed).toEqual([]);
    const own = await arm(ownConn);
    expect(own.status).toBe(200);
    expect(own.body.armed).toEqual([expect.objectContaining({ rule: 'smtp.rcpt-451-second', scope: { kind: 'connection', conn: ownConn } })]);
  });
});
