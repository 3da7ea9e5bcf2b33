/**
 * The teacher removes a student's row (a mistaken or duplicate join): DELETE /api/classes/:id/students/:sandbox
 * behind the teacher routes' guards. The removed student's pages are told and stop following; the sandbox,
 * with its mail and files, stays the student's, in no class, and can join again with its work.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../lib/bus/events.ts';
import type { SandboxReply } from '../../lib/http/sandbox-contracts.ts';
import { nextEvent } from '../helpers/bus.ts';
import { BrowserPool } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { lanRequest } from '../helpers/lan-request.ts';
import { callAs } from '../helpers/student.ts';

let lab: TestLab;
const browsers = new BrowserPool();
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  browsers.closeAll();
  await lab?.stop();
});

/** A request as the teacher's script (the bearer token), from the lab's own origin unless told otherwise. */
async function asTeacher<T>(method: string, pathname: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: T & { error?: string } }> {
  const res = await fetch(`${lab.baseUrl}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${lab.daemon.teacherToken}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json', origin: lab.baseUrl }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T & { error?: string } };
}

type Joined = SandboxReply & { class: { id: string }; cookie: string; membership: string };
async function join(code: string, name: string, cookie?: string): Promise<Joined> {
  const res = await callAs<SandboxReply & { class: { id: string }; membership: string }>(lab, cookie, '/api/classes/join', { body: { code, name } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ...res.body, cookie: cookie ?? (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

const roster = async (classId: string) => (await asTeacher<{ students: { sandbox: string; name: string }[] }>('GET', `/api/classes/${classId}`)).body.students.map((s) => s.name);

describe("removing a student's row", () => {
  let classId = '';
  let code = '';
  let otherClass = '';
  let ana: Joined;
  let ben: Joined;
  let stranger: Joined;

  beforeAll(async () => {
    ({ id: classId, code } = (await asTeacher<{ id: string; code: string }>('POST', '/api/classes', {}, { name: 'Networks 101' })).body);
    ana = await join(code, 'Ana');
    ben = await join(code, 'Ben');
    const other = (await asTeacher<{ id: string; code: string }>('POST', '/api/classes', {}, { name: 'Other class' })).body;
    otherClass = other.id;
    stranger = await join(other.code, 'Stranger');
  });

  it('refuses a hostile or mistaken request in words, and removes nobody', async () => {
    const path = `/api/classes/${classId}/students/${ana.sandbox}`;
    // No teacher's token: a student, or nobody at all.
    expect((await callAs(lab, ben.cookie, path, { method: 'DELETE' })).status).toBe(403);
    expect((await callAs(lab, undefined, path, { method: 'DELETE' })).status).toBe(403);
    // The token, but from another site's page, or to a host name the lab does not answer to, or not as JSON.
    const forged = await asTeacher('DELETE', path, { origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatch(/another site/);
    // (fetch sends the URL's own Host whatever it is told: a raw request names another.)
    const port = Number(new URL(lab.baseUrl).port);
    const rebound = await lanRequest('127.0.0.1', port, 'DELETE', path, { host: 'evil.example', authorization: `Bearer ${lab.daemon.teacherToken}`, 'content-type': 'application/json' });
    expect(rebound.status).toBe(421);
    expect((await asTeacher('DELETE', path, { 'content-type': 'text/plain' })).status).toBe(415);
    // Not in this class: another class's student, an unknown sandbox, an unknown class, a malformed id.
    expect(await asTeacher('DELETE', `/api/classes/${classId}/students/${stranger.sandbox}`)).toMatchObject({ status: 404, body: { error: `No student ${stranger.sandbox} in this class.` } });
    expect((await asTeacher('DELETE', `/api/classes/${classId}/students/zzzzzz`)).status).toBe(404);
    expect((await asTeacher('DELETE', `/api/classes/class-nope/students/${ana.sandbox}`)).status).toBe(404);
    expect((await asTeacher('DELETE', `/api/classes/${classId}/students/..%2F..`)).status).toBe(404);
    expect(await roster(classId)).toEqual(['Ana', 'Ben']);
    expect(await roster(otherClass)).toEqual(['Stranger']);
  });

  it("tells the removed student's page, which stops following; the sandbox keeps its mail and can join again", async () => {
    // Ana has mail in her sandbox, a page that follows the teacher, and her session on the teacher's projector.
    const delivered = nextEvent(lab.daemon.bus, 'mail', (e) => e.mail.sandbox === ana.sandbox);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'student@lab.test', to: `alice@${ana.sandbox}.lab.test`, subject: 'kept after removal', text: 'x' });
    transport.close();
    await delivered;
    const page = await browsers.open(lab, ana.cookie);
    page.send({ type: 'follow', enabled: true });
    await page.next((m) => m.type === 'follow' && m.following === 'local');
    page.send({ type: 'console.open', consoleId: 'a', protocol: 'smtp' });
    const conn = await page.consoleOpen('a');
    await page.message(conn, /^220 /);
    expect((await asTeacher('POST', `/api/classes/${classId}/state`, {}, { projector: { sandbox: ana.sandbox, conn } })).status).toBe(200);
    const benPage = await browsers.open(lab, ben.cookie);

    const removed = await asTeacher<{ removed: { sandbox: string; name: string }; students: number }>('DELETE', `/api/classes/${classId}/students/${ana.sandbox}`);
    expect(removed).toMatchObject({ status: 200, body: { removed: { sandbox: ana.sandbox, name: 'Ana' }, students: 1 } });
    const told = await page.events.next((e) => e.type === 'class.removed');
    expect(told).toEqual({ type: 'class.removed', sandbox: ana.sandbox, classId, className: 'Networks 101' } satisfies LabEvent);
    await page.next((m) => m.type === 'follow' && m.following === null);
    // The class's state goes on without her: the projector no longer shows her session, and Ben was told so.
    await benPage.events.next((e) => e.type === 'class' && e.state.projector === null);
    expect(benPage.events.items.some((e) => e.type === 'class.removed')).toBe(false);
    expect(await roster(classId)).toEqual(['Ben']);
    // Her page asks to follow again: refused in words, the connection stays up.
    page.send({ type: 'follow', enabled: true });
    await page.next((m) => m.type === 'error' && /join the class/.test(m.message));
    // The teacher can no longer read her sessions; she can no longer read the teacher's.
    expect((await asTeacher('GET', `/api/classes/${classId}/students/${ana.sandbox}/connections/${conn}`)).status).toBe(404);
    expect((await callAs(lab, ana.cookie, '/api/class/state')).status).toBe(403);

    // Same browser, same sandbox, in no class; her mail is still there.
    const info = await callAs<{ sandbox: string; class: unknown }>(lab, ana.cookie, '/api/lab');
    expect(info.body).toMatchObject({ sandbox: ana.sandbox, class: null });
    const mail = await callAs<{ messages: { subject: string }[] }>(lab, ana.cookie, '/api/mailbox');
    expect(mail.body.messages.map((m) => m.subject)).toContain('kept after removal');
    // Removing her again finds nobody.
    expect((await asTeacher('DELETE', `/api/classes/${classId}/students/${ana.sandbox}`)).status).toBe(404);

    // She joins again with the code: the same sandbox, its work with it.
    const back = await join(code, 'Ana', ana.cookie);
    expect(back).toMatchObject({ sandbox: ana.sandbox, membership: 'own-sandbox' });
    expect(await roster(classId)).toEqual(['Ana', 'Ben']);
  });
});
