/**
 * The lab's own login (`student` / the lab password) opens the machine owner's sandbox: a student who
 * learns it reads and writes the teacher's files and mail. A student's page must therefore never be
 * shown it, and the clients the lab runs for that page (the FTP file panel, the FTP console's client
 * mode, the SFTP panel) log in with the student's own login. Plain FTP puts PASS on the wire, into the
 * student's own transcript and exports, so a panel that logged in with the lab's login handed it over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { openStudent, type Student } from '../helpers/student.ts';

let lab: TestLab;
let a: Student;
let browser: TestBrowser | undefined;
beforeAll(async () => {
  lab = await startTestLab({ labs: [ftpLab, sshLab] });
  a = await openStudent(lab);
});
afterAll(async () => {
  browser?.close();
  await lab?.stop();
});

/** Every connection of A's sandbox, as A's page lists them. */
async function connectionsOfA(): Promise<ConnectionInfo[]> {
  const { status, body } = await a.call<{ connections: ConnectionInfo[] }>('/api/connections?limit=200');
  expect(status).toBe(200);
  return body.connections;
}

/** Every way A's page reads a connection: its transcript, and each export format's raw bytes. */
async function everythingAReads(conn: string): Promise<string> {
  const parts = [JSON.stringify((await a.call<{ messages: LabMessage[] }>(`/api/connections/${conn}?limit=2000`)).body)];
  for (const format of ['json', 'text', 'pcapng']) {
    const res = await fetch(`${lab.baseUrl}/api/connections/${conn}/export?format=${format}`, { headers: { cookie: a.cookie } });
    expect(res.status, `${conn} as ${format}`).toBe(200);
    parts.push(Buffer.from(await res.arrayBuffer()).toString('latin1'));
  }
  return parts.join('\n');
}

describe("a student's page never learns the lab's own login", () => {
  it("the FTP file panel logs in with the student's login, and works", async () => {
    const act = (action: string, extra: Record<string, unknown> = {}) => a.call<{ ok: boolean; conn: string | null; log: string[]; result: unknown; error?: string }>('/api/ftp/client', { body: { session: 'panel', action, ...extra } });
    const open = await act('open');
    expect(open.body.ok, open.body.error).toBe(true);
    expect(open.body.log).toContain(`> USER ${a.user}`);
    expect((await act('put', { path: 'panel.txt', content: 'from the panel' })).body.ok).toBe(true);
    expect(((await act('ls')).body.result as { name: string }[]).map((f) => f.name)).toContain('panel.txt');
    await act('close');
    const download = await fetch(`${lab.baseUrl}/api/ftp/download?name=panel.txt`, { headers: { cookie: a.cookie } });
    expect(await download.text()).toBe('from the panel');

    const panels = (await connectionsOfA()).filter((c) => c.protocol === 'ftp' && c.label?.startsWith('ftp file panel'));
    expect(panels.length).toBeGreaterThanOrEqual(2);
    for (const c of panels) {
      const seen = await everythingAReads(c.id);
      expect(seen.includes(`PASS ${a.password}`), `A's own PASS in ${c.id}`).toBe(true);
      expect(seen.includes(TEST_PASSWORD), `the lab's password in ${c.id}`).toBe(false);
    }
  });

  it("the FTP console's client mode logs in with the student's login", async () => {
    browser = await TestBrowser.open(lab, { origin: lab.baseUrl, cookie: a.cookie });
    await browser.next((m) => m.type === 'hello');
    browser.send({ type: 'console.open', consoleId: 'ftp', protocol: 'ftp' });
    await browser.consoleOpen('ftp');
    const from = browser.output('ftp').length;
    browser.send({ type: 'console.send', consoleId: 'ftp', line: ':client' });
    browser.send({ type: 'console.send', consoleId: 'ftp', line: 'open' });
    const out = await browser.outputUntil('ftp', from, /< 230/);
    expect(out).toContain(`> USER ${a.user}`);
    browser.send({ type: 'console.close', consoleId: 'ftp' });

    const friendly = (await connectionsOfA()).filter((c) => c.protocol === 'ftp' && c.label?.includes('client mode'));
    expect(friendly.length).toBe(1);
    expect((await everythingAReads(friendly[0].id)).includes(TEST_PASSWORD), `the lab's password in ${friendly[0].id}`).toBe(false);
  });

  it("the SFTP panel logs in as the student's sandbox", async () => {
    const { status, body } = await a.call<{ entries: { name: string }[] }>('/api/ssh/files?path=/');
    expect(status).toBe(200);
    expect(body.entries.map((e) => e.name)).toContain('panel.txt');
    const [panel] = (await connectionsOfA()).filter((c) => c.protocol === 'ssh');
    const messages = (await a.call<{ messages: LabMessage[] }>(`/api/connections/${panel.id}?limit=2000`)).body.messages;
    expect(messages.some((m) => m.text.includes(a.user))).toBe(true);
  });

  it("no connection of the student's sandbox carries the lab's password", async () => {
    const all = await connectionsOfA();
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const c of all) expect((await everythingAReads(c.id)).includes(TEST_PASSWORD), `the lab's password in ${c.id}`).toBe(false);
  });
});
