/**
 * Issue 15, FTP/FTPS: two student sandboxes A and B side by side, driven by curl, lftp and Python
 * ftplib. A login opens its own sandbox (a student's id and password, or the lab's own login for
 * the default one) and nobody else's: its files, its control and data connections' transcripts
 * (API and WebSocket) stay there, and no password typed on the wire reaches another sandbox.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../lib/bus/events.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { ftpRecipes } from '../../components/ftp/recipes.ts';
import { LAB_USER } from '../../servers/daemon/config.ts';
import { ftpLab, type FtpInfo } from '../../servers/ftp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { callAs, openStudent, type Student } from '../helpers/student.ts';
import { lanRequest } from '../helpers/lan-request.ts';
import { tool } from '../helpers/tools.ts';
import { curl, ftpTap, lineReader, python } from './ftp-helpers.ts';

let lab: TestLab;
let port: number;
let a: Student;
let b: Student;
let work: string;
const browsers: TestBrowser[] = [];
beforeAll(async () => {
  // The SSH lab too: the FTPS-vs-SFTP comparison runs both for the calling page.
  lab = await startTestLab({ labs: [ftpLab, sshLab] });
  port = lab.port('ftp');
  a = await openStudent(lab);
  b = await openStudent(lab);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-ftp-'));
});
afterAll(async () => {
  for (const browser of browsers) browser.close();
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** A browser's cookie; undefined is the machine owner's browser (the default sandbox). */
type Cookie = string | undefined;
const OWNER: Cookie = undefined;
const SECRET = 'only-for-sandbox-a 5e2d\n';
const fileOf = (sandbox: string, name: string) => path.join(sandboxRoot(lab.dataDir, sandbox), name);
const url = (pathname = '/') => `ftp://127.0.0.1:${port}${pathname}`;

/**
 * The next external FTP control connection (no console label, no parent), once closed. One
 * subscription sees both events: a refused login's connection stays unfiled to its end, so its
 * open and close are published together.
 */
function nextControl(): Promise<ConnectionInfo> {
  return new Promise((resolve, reject) => {
    let id: string | null = null;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('no FTP control connection opened and closed'));
    }, 20_000);
    const unsubscribe = lab.daemon.bus.subscribe((event) => {
      const c = 'connection' in event ? event.connection : null;
      if (event.type === 'connection.open' && id === null && c?.protocol === 'ftp' && !c.label && !c.parent) id = c.id;
      if (event.type === 'connection.close' && c?.id === id) {
        clearTimeout(timer);
        unsubscribe();
        resolve(event.connection);
      }
    });
  });
}

/** Runs a client and returns its result with the lab's record of its control connection. */
async function recorded<R>(run: () => Promise<R>): Promise<R & { control: ConnectionInfo }> {
  const closed = nextControl();
  const result = await run();
  return { ...result, control: await closed };
}

const curlAs = (user: string, password: string, args: string[]) => recorded(() => curl(['--user', `${user}:${password}`, ...args]));

/** Runs lftp with explicit FTPS forced on (PROT P, passive) as `user`. */
function lftpAs(user: string, password: string, script: string) {
  const settings = 'set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no; set ftp:passive-mode on; set net:max-retries 1; set net:timeout 15';
  return recorded(
    () =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(tool('lftp'), ['-u', `${user},${password}`, '-p', String(port), '-e', `${settings}; ${script}; bye`, '127.0.0.1'], { cwd: work, timeout: 30_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      }),
  );
}

/** Python ftplib's login: its one-line outcome ('230 …' or the refusal it raised). */
const LOGIN = `
import ftplib, sys
f = ftplib.FTP()
f.connect('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    print(f.login(sys.argv[2], sys.argv[3]))
except ftplib.error_perm as e:
    print(e)
f.close()
`;
const ftplibLogin = (user: string, password: string) => recorded(() => python(LOGIN, [String(port), user, password]));

async function listed(cookie: Cookie): Promise<ConnectionInfo[]> {
  const res = await callAs<{ connections: ConnectionInfo[] }>(lab, cookie, '/api/connections?protocol=ftp&limit=1000');
  expect(res.status).toBe(200);
  return res.body.connections;
}
const idsOf = async (cookie: Cookie) => (await listed(cookie)).map((c) => c.id);

async function transcriptAs(cookie: Cookie, id: string): Promise<{ status: number; messages: LabMessage[] }> {
  const res = await callAs<{ messages?: LabMessage[] }>(lab, cookie, `/api/connections/${id}?limit=2000`);
  return { status: res.status, messages: res.body.messages ?? [] };
}

/** Every text a transcript shows: each message's line and its fields. */
const shown = (messages: LabMessage[]) => messages.flatMap((m) => [m.text, ...(m.fields ?? []).flatMap((f) => [f.value, f.note ?? ''])]).join('\n');

describe('FTP with two student sandboxes', () => {
  let upload: ConnectionInfo;
  let watchB: TestBrowser;
  let watchOwner: TestBrowser;

  it("A's login with its id and password uploads into A's jail only", async () => {
    // B's page and the owner's page are open while A works: neither may hear a line of it.
    watchB = await TestBrowser.open(lab, { cookie: b.cookie });
    watchOwner = await TestBrowser.open(lab);
    browsers.push(watchB, watchOwner);
    for (const browser of [watchB, watchOwner]) await browser.next((m) => m.type === 'hello');

    const local = path.join(work, 'secret.txt');
    fs.writeFileSync(local, SECRET);
    const run = await curlAs(a.user, a.password, ['-T', local, url('/a-secret.txt')]);
    expect(run.code, run.stderr).toBe(0);
    upload = run.control;
    expect(upload.sandbox).toBe(a.sandbox);
    expect(fs.readFileSync(fileOf(a.sandbox, 'a-secret.txt'), 'utf8')).toBe(SECRET);
    expect(fs.existsSync(fileOf(b.sandbox, 'a-secret.txt'))).toBe(false);
    expect(fs.existsSync(fileOf('local', 'a-secret.txt'))).toBe(false);
  });

  it("A's FTPS session (lftp, PROT P) lists A's files: its upload and its own starter files", async () => {
    const run = await lftpAs(a.user, a.password, 'cls -1');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')).toEqual(expect.arrayContaining(['a-secret.txt', 'README.txt']));
    expect(run.control.sandbox).toBe(a.sandbox);
  });

  it("B lists B's own files, not A's upload, and cannot fetch it", async () => {
    const list = await curlAs(b.user, b.password, ['--list-only', url('/')]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.control.sandbox).toBe(b.sandbox);
    const names = list.stdout.toString('utf8').split(/\r?\n/);
    expect(names).toContain('README.txt');
    expect(names).not.toContain('a-secret.txt');

    const fetch = await curlAs(b.user, b.password, [url('/a-secret.txt')]);
    // curl 78, remote file not found: there is no such file in B's jail.
    expect(fetch.code, fetch.stderr).toBe(78);
    expect(fetch.stdout.toString('utf8')).not.toContain(SECRET.trim());
    expect(fetch.control.sandbox).toBe(b.sandbox);
  });

  it("refuses B's id with A's password, and any wrong password, with 530 in words", async () => {
    for (const [user, password] of [
      [b.user, a.password],
      [a.user, b.password],
      [a.user, 'not-the-password'],
      [a.user, TEST_PASSWORD],
      [LAB_USER, a.password],
    ]) {
      const run = await ftplibLogin(user, password);
      expect(run.stdout.trim(), run.stderr).toMatch(/^530 Login incorrect: use the login your lab page shows/);
      // Never logged in: filed in the default sandbox at its end, with no bytes kept.
      expect(run.control.sandbox).toBe('local');
    }
    const right = await ftplibLogin(a.user, a.password);
    expect(right.stdout.trim()).toMatch(/^230 /);
    expect(right.control.sandbox).toBe(a.sandbox);
  });

  it("a session filed in A's sandbox (A's own console) refuses B's login, and serves A's files to A's and the lab's login", async () => {
    const tap = ftpTap(lab);
    const session = async () => {
      const { socket, accepted } = tap.connectOwnClient('test console', { sandbox: a.sandbox });
      const lines = lineReader(socket);
      const tapped = await accepted;
      expect(await lines.next()).toMatch(/^220 /);
      const command = async (line: string) => {
        socket.write(`${line}\r\n`);
        return lines.next();
      };
      return { command, tapped, close: () => socket.destroy() };
    };

    const stolen = await session();
    expect(stolen.tapped.owner.sandbox).toBe(a.sandbox);
    expect(await stolen.command(`USER ${b.user}`)).toMatch(/^331 /);
    expect(await stolen.command(`PASS ${b.password}`)).toBe('530 This session already belongs to another sandbox: open a new connection to log in as this one.');
    expect(stolen.tapped.owner.sandbox).toBe(a.sandbox);
    stolen.close();

    for (const [user, password] of [
      [a.user, a.password],
      [LAB_USER, TEST_PASSWORD],
    ]) {
      const own = await session();
      expect(await own.command(`USER ${user}`)).toMatch(/^331 /);
      expect(await own.command(`PASS ${password}`)).toMatch(/^230 /);
      // SIZE reads A's jail: 24 bytes, A's upload.
      expect(await own.command('SIZE /a-secret.txt')).toBe(`213 ${Buffer.byteLength(SECRET)}`);
      expect(own.tapped.owner.sandbox).toBe(a.sandbox);
      own.close();
    }
  });

  it("lists A's transcript and its data connections for A's cookie only; B's and the owner's pages never receive a line of it", async () => {
    const mine = await listed(a.cookie);
    const data = mine.filter((c) => c.parent === upload.id);
    expect(mine.map((c) => c.id)).toContain(upload.id);
    expect(data.length).toBeGreaterThan(0);
    for (const c of data) expect(c.sandbox).toBe(a.sandbox);
    for (const cookie of [b.cookie, OWNER]) {
      const theirs = await idsOf(cookie);
      for (const id of [upload.id, ...data.map((c) => c.id)]) expect(theirs).not.toContain(id);
      for (const id of [upload.id, ...data.map((c) => c.id)]) expect((await transcriptAs(cookie, id)).status).toBe(404);
    }

    const { status, messages } = await transcriptAs(a.cookie, upload.id);
    expect(status).toBe(200);
    expect(messages.some((m) => m.view === 'wire' && m.text === `USER ${a.user}`)).toBe(true);
    expect(messages.some((m) => m.text.startsWith('STOR') && m.text.includes('a-secret.txt'))).toBe(true);
    // The wire's PASS crossed before the login said whose it was: masked, and it says why.
    const pass = messages.find((m) => m.view === 'wire' && m.text.startsWith('PASS'));
    expect(pass?.text).toBe('PASS ********');
    expect(pass?.annotation?.key).toBe('ftp.cmd.PASS.masked');

    // A barrier per page: a connection of its own sandbox after A's; the hub sends each page its events in bus order.
    const own = await curlAs(b.user, b.password, ['--list-only', url('/')]);
    await watchB.events.next((e) => e.type === 'connection.close' && e.connection.id === own.control.id);
    const owners = await curlAs(LAB_USER, TEST_PASSWORD, ['--list-only', url('/')]);
    await watchOwner.events.next((e) => e.type === 'connection.close' && e.connection.id === owners.control.id);
    const aConns = new Set(await idsOf(a.cookie));
    const about = (e: LabEvent) => (e.type === 'message' ? e.message.conn : 'connection' in e ? e.connection.id : '');
    for (const browser of [watchB, watchOwner]) {
      expect(browser.events.items.filter((e) => aConns.has(about(e)))).toEqual([]);
      expect(browser.events.items.filter((e) => JSON.stringify(e).includes(a.password))).toEqual([]);
    }
  });

  it("A's password never appears in B's or the default sandbox's transcripts, not even from a refused login that typed it", async () => {
    // The refused logins above (B's id with A's password, the lab user with A's password) were filed in the default sandbox.
    for (const cookie of [b.cookie, OWNER]) {
      const connections = await listed(cookie);
      expect(connections.length).toBeGreaterThan(0);
      for (const c of connections) {
        const { status, messages } = await transcriptAs(cookie, c.id);
        expect(status).toBe(200);
        expect(shown(messages)).not.toContain(a.password);
      }
    }
    // The owner's transcripts do show those refused logins, their PASS masked.
    const refused = (await listed(OWNER)).filter((c) => !c.label && !c.parent);
    const lines = (await Promise.all(refused.map(async (c) => (await transcriptAs(OWNER, c.id)).messages))).flat();
    expect(lines.some((m) => m.view === 'wire' && m.text === `USER ${b.user}`)).toBe(true);
    expect(lines.filter((m) => m.view === 'wire' && m.text.startsWith('PASS')).every((m) => m.text === 'PASS ********')).toBe(true);
  });

  it("B's simulated client firewall drops the connect-backs of B's active-mode clients (425), not A's", async () => {
    // Python ftplib in active mode (PORT): the server connects back to the client for the listing.
    const activeList = (login: { user: string; password: string }) =>
      python(
        `import ftplib, sys
ftp = ftplib.FTP(timeout=10)
ftp.connect('127.0.0.1', int(sys.argv[1]))
ftp.login(sys.argv[2], sys.argv[3])
ftp.set_pasv(False)
try:
    print('ok', len(ftp.nlst()))
except ftplib.all_errors as e:
    print('error', str(e)[:3])
ftp.quit()
`,
        [String(port), login.user, login.password],
      );
    expect((await b.call<{ firewall: boolean }>('/api/ftp/firewall', { body: { enabled: true } })).body.firewall).toBe(true);
    try {
      expect((await activeList(b)).stdout).toMatch(/^error 425/m);
      expect((await activeList(a)).stdout).toMatch(/^ok \d+/m);
      expect((await activeList({ user: LAB_USER, password: TEST_PASSWORD })).stdout).toMatch(/^ok \d+/m);
    } finally {
      await b.call('/api/ftp/firewall', { body: { enabled: false } });
    }
    expect((await activeList(b)).stdout).toMatch(/^ok \d+/m);
  });

  it("refuses a sandbox's firewall switch from another site or by a foreign name, and leaves it as it was", async () => {
    const webPort = Number(new URL(lab.baseUrl).port);
    const hostile = await lanRequest('127.0.0.1', webPort, 'POST', '/api/ftp/firewall', { cookie: b.cookie, origin: 'http://evil.example' }, { enabled: true });
    expect(hostile.status).toBe(403);
    expect((await lanRequest('127.0.0.1', webPort, 'GET', '/api/ftp/status', { cookie: b.cookie, host: `lab.attacker.test:${webPort}` })).status).toBe(421);
    expect((await b.call<{ firewall: boolean }>('/api/ftp/status')).body.firewall).toBe(false);
  });

  it("the lab's own login still opens the default sandbox's files", async () => {
    fs.writeFileSync(fileOf('local', 'owner-only.txt'), 'the machine owner\n');
    const run = await curlAs(LAB_USER, TEST_PASSWORD, ['--list-only', url('/')]);
    expect(run.code, run.stderr).toBe(0);
    const names = run.stdout.toString('utf8').split(/\r?\n/);
    expect(names).toContain('owner-only.txt');
    expect(names).not.toContain('a-secret.txt');
    expect(run.control.sandbox).toBe('local');
    expect(await idsOf(OWNER)).toContain(run.control.id);
    expect(await idsOf(a.cookie)).not.toContain(run.control.id);

    const asA = await curlAs(a.user, a.password, ['--list-only', url('/')]);
    expect(asA.stdout.toString('utf8').split(/\r?\n/)).not.toContain('owner-only.txt');
  });

  it("GET /api/lab gives A's page A's login for its FTP recipes, and the curl recipe lists A's files", async () => {
    const info = (await a.call<{ user: string; password: string; ftp: FtpInfo }>('/api/lab')).body;
    expect(info.user).toBe(a.sandbox);
    expect(info.password).toBe(a.password);
    expect(info.ftp.passiveAddress).toBe('127.0.0.1');
    const owner = (await callAs<{ user: string }>(lab, OWNER, '/api/lab')).body;
    expect(owner.user).toBe(LAB_USER);

    // The page builds its recipes from these (components/ftp/recipes.ts): run the first curl line.
    const recipe = ftpRecipes(info.ftp.port, info.user, info.password, info.ftp.passiveRange).find((r) => r.name === 'curl');
    const command = recipe?.code.split('\n').find((line) => line.startsWith('curl ftp://'));
    expect(command).toBe(`curl ftp://${a.user}:${a.password}@127.0.0.1:${port}/`);
    const run = await recorded(() => curl(['--list-only', (command ?? '').split(' ')[1]]));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.toString('utf8').split(/\r?\n/)).toContain('a-secret.txt');
    expect(run.control.sandbox).toBe(a.sandbox);
  });

  it("FTPS vs SFTP run from A's page stay in A's sandbox: its files and its transcripts", async () => {
    const res = await a.call<{ rows: { protocol: string; ok: boolean; error?: string; connections?: string[] }[] }>('/api/ftp/compare', { body: { bytes: 20_000 } });
    expect(res.status).toBe(200);
    for (const row of res.body.rows) expect(row.ok, `${row.protocol}: ${row.error}`).toBe(true);
    const ftps = res.body.rows.find((r) => r.protocol === 'FTPS')?.connections ?? [];
    expect(ftps.length).toBeGreaterThan(1);
    const mine = await idsOf(a.cookie);
    const owners = await idsOf(OWNER);
    for (const id of ftps) {
      expect(mine).toContain(id);
      expect(owners).not.toContain(id);
    }
    const ssh = async (cookie: Cookie) => (await callAs<{ connections: ConnectionInfo[] }>(lab, cookie, '/api/connections?protocol=ssh&limit=100')).body.connections;
    expect((await ssh(a.cookie)).length).toBe(1);
    expect(await ssh(OWNER)).toEqual([]);
  });
});
