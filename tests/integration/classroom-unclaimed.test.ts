/**
 * A class follows its teacher's sessions, and the teacher's sandbox is the default one, where an external
 * connection that ends without a login is filed. That may be a student's refused login (`USER <their id>`
 * with a mistyped password): it was streamed to every follower as "the teacher's session", with the
 * student's id in it. Such a connection is `unclaimed`: the teacher's own pages show it, followers never.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { BrowserPool, TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { callAs } from '../helpers/student.ts';
import { python } from './ftp-helpers.ts';

let lab: TestLab;
const browsers = new BrowserPool();
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, ftpLab] });
});
afterAll(async () => {
  browsers.closeAll();
  await lab?.stop();
});

const browser = (cookie?: string): Promise<TestBrowser> => browsers.open(lab, cookie);

async function joined(code: string, name: string): Promise<{ sandbox: string; cookie: string }> {
  const res = await callAs<{ sandbox: string }>(lab, undefined, '/api/classes/join', { body: { code, name } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { sandbox: res.body.sandbox, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

/** Python ftplib logging in as `user` with a wrong password: prints the refusal. */
const WRONG_LOGIN = `
import ftplib, sys
f = ftplib.FTP()
f.connect('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    print(f.login(sys.argv[2], 'not-the-password'))
except ftplib.error_perm as e:
    print(e)
f.close()
`;

describe("a student's refused login, filed in the teacher's sandbox", () => {
  it('is never sent to a follower, nor readable as the teacher’s session; the teacher’s own sessions still are', async () => {
    const teacherCookie = (await callAs(lab, undefined, '/api/teacher/session', { body: { token: lab.daemon.teacherToken } })).headers.get('set-cookie')?.split(';')[0] ?? '';
    const created = await callAs<{ code: string }>(lab, teacherCookie, '/api/classes', { body: { name: 'Unclaimed' } });
    const ana = await joined(created.body.code, 'Ana');
    const ben = await joined(created.body.code, 'Ben');
    const follower = await browser(ana.cookie);
    follower.send({ type: 'follow', enabled: true });
    await follower.next((m) => m.type === 'follow' && m.following === 'local');

    // Ben mistypes his password in his own FTP client: the connection ends without a login.
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'ftp' && !e.connection.label);
    const { stdout } = await python(WRONG_LOGIN, [String(lab.port('ftp')), ben.sandbox]);
    expect(stdout).toMatch(/^530 /);
    const refused: ConnectionInfo = (await closed).connection;
    expect(refused).toMatchObject({ sandbox: 'local', unclaimed: true });

    // The teacher's own console, after it: the follower sees it, so the refused login had its chance to arrive.
    const teacher = await browser();
    teacher.send({ type: 'console.open', consoleId: 't', protocol: 'smtp' });
    const conn = await teacher.consoleOpen('t');
    teacher.send({ type: 'console.send', consoleId: 't', line: 'NOOP' });
    await follower.message(conn, /^250 /);
    const leaked = follower.events.items.filter((e) => (e.type === 'message' ? e.message.conn : 'connection' in e ? e.connection.id : null) === refused.id);
    expect(leaked).toEqual([]);
    expect(follower.events.items.some((e) => e.type === 'message' && e.message.text.includes(ben.sandbox))).toBe(false);

    // Not by its id either; the teacher's own pages list it, marked.
    expect((await callAs(lab, ana.cookie, `/api/class/connections/${refused.id}`)).status).toBe(404);
    expect((await callAs(lab, ana.cookie, `/api/class/connections/${conn}`)).status).toBe(200);
    const own = await callAs<{ connections: ConnectionInfo[] }>(lab, undefined, '/api/connections?protocol=ftp');
    expect(own.body.connections.find((c) => c.id === refused.id)).toMatchObject({ unclaimed: true });
  }, 60_000);
});
