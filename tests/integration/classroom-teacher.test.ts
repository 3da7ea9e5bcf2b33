/**
 * Issue 15, the teacher: classes need the teacher's token; students join by code into their own
 * sandboxes and appear on the roster; a student who follows sees the teacher's session live, in
 * order and nothing else; freeze, rewind and the projector reach the class's pages only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassState, LabEvent } from '../../lib/bus/events.ts';
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

/** A request as the teacher's script (the bearer token). */
async function asTeacher<T>(pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
  const method = body === undefined ? 'GET' : 'POST';
  const res = await fetch(`${lab.baseUrl}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${lab.daemon.teacherToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json', origin: lab.baseUrl }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

type Joined = SandboxReply & { class: { id: string }; cookie: string };
async function join(code: string, name: string): Promise<Joined> {
  const res = await callAs<SandboxReply & { class: { id: string } }>(lab, undefined, '/api/classes/join', { body: { code, name } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...res.body, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

const browser = (cookie?: string): Promise<TestBrowser> => browsers.open(lab, cookie);

const classEvent = (e: LabEvent): e is Extract<LabEvent, { type: 'class' }> => e.type === 'class';

describe('the teacher and a class', () => {
  let classId = '';
  let code = '';
  let ana: Joined;
  let ben: Joined;

  it('refuses class actions without the teacher’s token, and opens a teacher session with it', async () => {
    expect((await callAs(lab, undefined, '/api/classes')).status).toBe(403);
    expect((await callAs(lab, undefined, '/api/classes', { body: { name: 'Networks 101' } })).status).toBe(403);
    const student = await openStudent(lab);
    expect((await student.call('/api/classes', { body: { name: 'mine' } })).status).toBe(403);
    expect((await callAs(lab, undefined, '/api/teacher/session', { body: { token: 'teach-guess' } })).status).toBe(403);
    const session = await callAs(lab, undefined, '/api/teacher/session', { body: { token: lab.daemon.teacherToken } });
    expect(session.status).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0];
    expect(session.headers.get('set-cookie')).toMatch(/^lab_teacher=.+; HttpOnly; SameSite=Strict/);
    expect((await callAs<{ teacher: boolean }>(lab, cookie, '/api/teacher')).body.teacher).toBe(true);
    expect((await callAs<{ teacher: boolean }>(lab, undefined, '/api/teacher')).body.teacher).toBe(false);
    const created = await callAs<{ id: string; code: string }>(lab, cookie, '/api/classes', { body: { name: 'Networks 101' } });
    expect(created.status).toBe(200);
    ({ id: classId, code } = created.body);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });

  it('lets students join by code (any case, dash or not) into sandboxes of their own, and lists them on the roster', async () => {
    expect((await callAs(lab, undefined, '/api/classes/join', { body: { code: 'ZZZZ-ZZZZ', name: 'Eve' } })).status).toBe(404);
    ana = await join(code, 'Ana');
    ben = await join(code.toLowerCase().replace('-', ''), 'Ben');
    expect(ana.class.id).toBe(classId);
    expect(ana.sandbox).not.toBe(ben.sandbox);
    const labInfo = await callAs<{ sandbox: string; class: { id: string } | null }>(lab, ana.cookie, '/api/lab');
    expect(labInfo.body).toMatchObject({ sandbox: ana.sandbox, class: { id: classId } });

    // Ana opens a console: the roster shows it live.
    const anaPage = await browser(ana.cookie);
    anaPage.send({ type: 'console.open', consoleId: 'a', protocol: 'smtp' });
    const conn = await anaPage.consoleOpen('a');
    await anaPage.message(conn, /^220 /);
    const roster = await asTeacher<{ students: { sandbox: string; name: string; liveConnections: { id: string }[] }[] }>(`/api/classes/${classId}`);
    expect(roster.body.students.map((s) => [s.name, s.sandbox])).toEqual([
      ['Ana', ana.sandbox],
      ['Ben', ben.sandbox],
    ]);
    expect(roster.body.students[0].liveConnections.map((c) => c.id)).toContain(conn);
    expect(roster.body.students[1].liveConnections).toEqual([]);
    // The projector may show a student's session to the teacher, and only the teacher.
    expect((await asTeacher(`/api/classes/${classId}/students/${ana.sandbox}/connections/${conn}`)).status).toBe(200);
    expect((await callAs(lab, ben.cookie, `/api/classes/${classId}/students/${ana.sandbox}/connections/${conn}`)).status).toBe(403);
  });

  it("streams the teacher's session to a follower in order, and nothing of it to a student who does not follow", async () => {
    const follower = await browser(ana.cookie);
    const bystander = await browser(ben.cookie);
    const outsider = await browser((await openStudent(lab)).cookie);
    follower.send({ type: 'follow', enabled: true });
    await follower.next((m) => m.type === 'follow' && m.following === 'local');
    outsider.send({ type: 'follow', enabled: true });
    await outsider.next((m) => m.type === 'error' && /join the class/.test(m.message));
    // The roster says who is watching: Ana follows, Ben (whose page is open) does not.
    const followingOnRoster = async () =>
      Object.fromEntries((await asTeacher<{ students: { sandbox: string; following: boolean }[] }>(`/api/classes/${classId}`)).body.students.map((st) => [st.sandbox, st.following]));
    expect(await followingOnRoster()).toEqual({ [ana.sandbox]: true, [ben.sandbox]: false });

    const teacher = await browser();
    teacher.send({ type: 'console.open', consoleId: 't', protocol: 'smtp' });
    const conn = await teacher.consoleOpen('t');
    await teacher.message(conn, /^220 /);
    teacher.send({ type: 'console.send', consoleId: 't', line: 'EHLO teacher.test' });
    await teacher.message(conn, /^250-/);
    teacher.send({ type: 'console.send', consoleId: 't', line: 'NOOP' });
    const last = await teacher.message(conn, /^250 /);

    const seen = await follower.message(conn, /^250-/);
    expect(seen.sandbox).toBe('local');
    const lastSeen = await follower.message(conn, /^250 /);
    expect([lastSeen.seq, lastSeen.text]).toEqual([last.seq, last.text]);
    const seqs = (b: TestBrowser) => b.events.items.flatMap((e) => (e.type === 'message' && e.message.conn === conn ? [e.message.seq] : []));
    expect(seqs(follower)).toEqual(seqs(teacher));
    // Only the teacher's sessions: no mail, no step state of the teacher's.
    expect(follower.events.items.filter((e) => e.type === 'mail' || e.type === 'step').every((e) => (e.type === 'step' ? e.sandbox === ana.sandbox : e.mail.sandbox === ana.sandbox))).toBe(true);

    // The bystander and the outsider do something of their own; by then any of the teacher's lines would have reached them.
    for (const [page, id] of [[bystander, 'b'], [outsider, 'o']] as const) {
      page.send({ type: 'console.open', consoleId: id, protocol: 'smtp' });
      const own = await page.consoleOpen(id);
      await page.message(own, /^220 /);
      expect(page.events.items.some((e) => e.type === 'message' && e.message.conn === conn)).toBe(false);
    }

    // The recorded session is the class's to replay (rewind), not an outsider's.
    const recorded = await callAs<{ messages: { seq: number }[] }>(lab, ana.cookie, `/api/class/connections/${conn}`);
    expect(recorded.status).toBe(200);
    expect(recorded.body.messages.map((m) => m.seq)).toEqual(seqs(teacher));
    expect((await callAs(lab, (await openStudent(lab)).cookie, `/api/class/connections/${conn}`)).status).toBe(403);
    follower.send({ type: 'follow', enabled: false });
    await follower.next((m) => m.type === 'follow' && m.following === null);
    expect(await followingOnRoster()).toEqual({ [ana.sandbox]: false, [ben.sandbox]: false });
  });

  it("in step mode the teacher's Step releases the next message to every follower, one at a time", async () => {
    const follower = await browser(ana.cookie);
    follower.send({ type: 'follow', enabled: true });
    await follower.next((m) => m.type === 'follow' && m.following === 'local');
    const teacher = await browser();
    teacher.send({ type: 'step.set', protocol: 'smtp', enabled: true });
    await teacher.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && e.state.enabled));
    /** The step state that holds `text` next (a new event each time: each hold is announced). */
    const holding = (text: RegExp) => teacher.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && e.state.next !== undefined && text.test(e.state.next.text)));
    const followed = (conn: string) => follower.events.items.flatMap((e) => (e.type === 'message' && e.message.conn === conn && e.message.view === 'wire' ? [e.message.text.split('\r')[0]] : []));

    teacher.send({ type: 'console.open', consoleId: 'st', protocol: 'smtp' });
    const conn = await teacher.consoleOpen('st');
    await holding(/^220 /);
    teacher.send({ type: 'step.next', protocol: 'smtp' });
    await follower.message(conn, /^220 /);
    teacher.send({ type: 'console.send', consoleId: 'st', line: 'EHLO step.test' });
    await holding(/^EHLO step\.test/);
    // Held at the tap: the follower has the greeting and nothing after it.
    expect(followed(conn).filter((t) => /^EHLO/.test(t))).toEqual([]);
    teacher.send({ type: 'step.next', protocol: 'smtp' });
    await follower.message(conn, /^EHLO step\.test/);
    await holding(/^250/);
    expect(followed(conn).some((t) => /^250/.test(t))).toBe(false);
    teacher.send({ type: 'step.next', protocol: 'smtp' });
    await follower.message(conn, /^250/);
    teacher.send({ type: 'step.set', protocol: 'smtp', enabled: false });
    follower.send({ type: 'follow', enabled: false });
    await follower.next((m) => m.type === 'follow' && m.following === null);
  });

  it('sends freeze, rewind and the projector to the class’s pages only; students cannot set them', async () => {
    const anaPage = await browser(ana.cookie);
    const outsider = await browser((await openStudent(lab)).cookie);
    expect((await callAs(lab, ana.cookie, `/api/classes/${classId}/state`, { body: { frozen: null } })).status).toBe(403);
    // A session of the teacher's to freeze and rewind on (the routes refuse one that is not there).
    const teacher = await browser();
    teacher.send({ type: 'console.open', consoleId: 'fr', protocol: 'smtp' });
    const conn = await teacher.consoleOpen('fr');
    await teacher.message(conn, /^220 /);
    teacher.send({ type: 'console.send', consoleId: 'fr', line: 'EHLO freeze.test' });
    await teacher.message(conn, /^250-/);
    teacher.send({ type: 'console.send', consoleId: 'fr', line: 'NOOP' });
    await teacher.message(conn, /^250 /);

    const frozen = await asTeacher<ClassState>(`/api/classes/${classId}/state`, { frozen: { conn, seq: 3 } });
    expect(frozen.body.frozen).toEqual({ conn, seq: 3 });
    const got = await anaPage.events.next((e) => classEvent(e) && e.state.frozen?.seq === 3);
    expect(classEvent(got) && got.state.classId).toBe(classId);

    const rewound = await asTeacher<ClassState>(`/api/classes/${classId}/state`, { frozen: null, rewind: { conn, step: 2 } });
    expect(rewound.body).toMatchObject({ frozen: null, rewind: { conn, step: 2 } });
    await anaPage.events.next((e) => classEvent(e) && e.state.rewind?.step === 2 && e.state.frozen === null);

    // The outsider's own line comes after both: no class event reached it.
    outsider.send({ type: 'console.open', consoleId: 'o', protocol: 'smtp' });
    await outsider.message(await outsider.consoleOpen('o'), /^220 /);
    expect(outsider.events.items.some(classEvent)).toBe(false);

    const state = await asTeacher<{ state: ClassState }>(`/api/classes/${classId}`);
    expect(state.body.state).toMatchObject({ frozen: null, rewind: { conn, step: 2 }, projector: null });
    // A student's page that opens now reads the same state; someone outside the class has none to read.
    expect((await callAs<ClassState>(lab, ana.cookie, '/api/class/state')).body).toMatchObject({ classId, frozen: null, rewind: { conn, step: 2 } });
    expect((await callAs(lab, (await openStudent(lab)).cookie, '/api/class/state')).status).toBe(403);
  });
});
