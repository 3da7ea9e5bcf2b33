/**
 * Issue 15, SSH/SFTP: two student sandboxes A and B side by side, driven by real OpenSSH clients.
 * A login opens its own sandbox (a student's id and password, or a key from its authorized_keys)
 * and nobody else's: its files, its transcript (API and WebSocket) and its tunnels stay there; the
 * lab's own login still opens the default sandbox.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../lib/bus/events.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { LAB_USER } from '../../servers/daemon/config.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { callAs, openStudent, type Student } from '../helpers/student.ts';
import { tool } from '../helpers/tools.ts';

let lab: TestLab;
let a: Student;
let b: Student;
let dir: string;
let askpass: string;
const browsers: TestBrowser[] = [];
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, sshLab] });
  a = await openStudent(lab);
  b = await openStudent(lab);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-ssh-'));
  // OpenSSH reads a password only from a terminal or SSH_ASKPASS: this one answers what the test puts in LAB_ASKPASS.
  askpass = path.join(dir, 'askpass.sh');
  fs.writeFileSync(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$LAB_ASKPASS"\n', { mode: 0o700 });
});
afterAll(async () => {
  for (const browser of browsers) browser.close();
  await lab?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options every OpenSSH run shares: no user config, a known_hosts of the test's own, one attempt per method. */
const common = () => ['-F', '/dev/null', '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'NumberOfPasswordPrompts=1'];
/** Password login only (no key from the machine's ~/.ssh may decide the test). */
const byPassword = () => [...common(), '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password'];
/** Key login only, with exactly this key. */
const byKey = (keyFile: string) => [...common(), '-i', keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'PreferredAuthentications=publickey', '-o', 'BatchMode=yes'];

/** Runs ssh or sftp, answering a password prompt with `password`; `input` is its stdin (sftp's commands). */
function openssh(command: 'ssh' | 'sftp', args: string[], options: { password?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool(command), args, {
      env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0', LAB_ASKPASS: options.password ?? '' },
      // Downloads land in the test's own directory, whatever a command names.
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The next client connection to the SSH tap, once closed. One subscription sees both events: a
 * refused login's connection stays unfiled to its end, so its open and close are published together.
 */
function nextSshConnection(): Promise<ConnectionInfo> {
  return new Promise((resolve, reject) => {
    let id: string | null = null;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error('no SSH client connection opened and closed'));
    }, 15_000);
    const unsubscribe = lab.daemon.bus.subscribe((event) => {
      if (event.type === 'connection.open' && id === null && event.connection.protocol === 'ssh' && !event.connection.label) id = event.connection.id;
      if (event.type === 'connection.close' && event.connection.id === id) {
        clearTimeout(timer);
        unsubscribe();
        resolve(event.connection);
      }
    });
  });
}

/** Runs a client and returns its result with the lab's record of the one connection it made. */
async function recorded(run: () => Promise<Run>): Promise<Run & { connection: ConnectionInfo }> {
  const closed = nextSshConnection();
  const result = await run();
  return { ...result, connection: await closed };
}

const sshTo = (user: string, password: string, command: string) =>
  recorded(() => openssh('ssh', [...byPassword(), '-p', String(lab.port('ssh')), `${user}@127.0.0.1`, command], { password }));
const sftpAs = (user: string, password: string, commands: string) =>
  recorded(() => openssh('sftp', [...byPassword(), '-P', String(lab.port('ssh')), `${user}@127.0.0.1`], { password, input: commands }));

/** The SSH connections a browser (cookie, or none: the machine's owner) lists. */
async function listed(cookie: string | undefined): Promise<ConnectionInfo[]> {
  const res = await callAs<{ connections: ConnectionInfo[] }>(lab, cookie, '/api/connections?protocol=ssh&limit=200');
  expect(res.status).toBe(200);
  return res.body.connections;
}

async function transcriptAs(cookie: string | undefined, id: string): Promise<{ status: number; messages: LabMessage[] }> {
  const res = await callAs<{ messages?: LabMessage[] }>(lab, cookie, `/api/connections/${id}`);
  return { status: res.status, messages: res.body.messages ?? [] };
}

const fileOf = (sandbox: string, name: string) => path.join(sandboxRoot(lab.dataDir, sandbox), name);
const SECRET = 'only-for-sandbox-a 7c1f\n';

describe('SSH and SFTP with two student sandboxes', () => {
  let upload: ConnectionInfo;
  let watchB: TestBrowser;
  let watchOwner: TestBrowser;

  it("A's sftp login with its id and password uploads into A's sandbox only", async () => {
    // B's page and the owner's page are open while A works: neither may hear a line of it.
    watchB = await TestBrowser.open(lab, { cookie: b.cookie });
    watchOwner = await TestBrowser.open(lab);
    browsers.push(watchB, watchOwner);
    for (const browser of [watchB, watchOwner]) await browser.next((m) => m.type === 'hello');

    const local = path.join(dir, 'secret.txt');
    fs.writeFileSync(local, SECRET);
    const run = await sftpAs(a.user, a.password, `put ${local} /a-secret.txt\nls -l /\n`);
    expect(run.code, run.stderr).toBe(0);
    // sftp echoes the commands it reads: the listing follows the `ls` line.
    expect(run.stdout.slice(run.stdout.indexOf('sftp> ls'))).toMatch(/^-rw-r--r-- .* 24 .*a-secret\.txt$/m);
    upload = run.connection;
    expect(upload.sandbox).toBe(a.sandbox);
    expect(fs.readFileSync(fileOf(a.sandbox, 'a-secret.txt'), 'utf8')).toBe(SECRET);
    expect(fs.existsSync(fileOf(b.sandbox, 'a-secret.txt'))).toBe(false);
    expect(fs.existsSync(fileOf('local', 'a-secret.txt'))).toBe(false);
  });

  it("B's sftp ls shows B's own starter files, not A's upload", async () => {
    const run = await sftpAs(b.user, b.password, `ls -la /\nget /a-secret.txt ${path.join(dir, 'got-by-b.txt')}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.connection.sandbox).toBe(b.sandbox);
    // sftp echoes each command it reads: the listing is what lies between the two.
    const listing = run.stdout.slice(run.stdout.indexOf('sftp> ls'), run.stdout.indexOf('sftp> get'));
    expect(listing).toContain('README.txt');
    expect(listing).not.toContain('a-secret.txt');
    expect(run.stderr).toMatch(/not found|No such file/i);
  });

  it("B's shell cannot list or read A's file, by name or by climbing out of its root", async () => {
    const run = await sshTo(b.user, b.password, `ls /; cat /a-secret.txt; cat ../../${a.sandbox}/files/a-secret.txt; cat /../${a.sandbox}/files/a-secret.txt`);
    expect(run.connection.sandbox).toBe(b.sandbox);
    expect(run.stdout).toContain('README.txt');
    expect(run.stdout).not.toContain('a-secret.txt');
    expect(run.stdout + run.stderr).not.toContain(SECRET.trim());
    expect(run.stderr).toMatch(/No such file/);
  });

  it("A's shell reads A's file (the same files over SFTP and the shell)", async () => {
    const run = await sshTo(a.user, a.password, 'cat /a-secret.txt');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(SECRET);
    expect(run.connection.sandbox).toBe(a.sandbox);
  });

  it("lists A's transcript for A's cookie only; B's and the owner's pages never receive a line of it", async () => {
    expect((await listed(a.cookie)).map((c) => c.id)).toContain(upload.id);
    expect((await listed(b.cookie)).map((c) => c.id)).not.toContain(upload.id);
    expect((await listed(undefined)).map((c) => c.id)).not.toContain(upload.id);

    const mine = await transcriptAs(a.cookie, upload.id);
    expect(mine.status).toBe(200);
    const auth = mine.messages.filter((m) => m.view === 'endpoint' && m.text.startsWith('USERAUTH_REQUEST'));
    expect(auth.some((m) => m.text.includes(`user "${a.sandbox}" method password`))).toBe(true);
    expect(mine.messages.some((m) => m.text === 'USERAUTH_SUCCESS')).toBe(true);
    expect(mine.messages.some((m) => m.text.startsWith('SSH_FXP_OPEN /a-secret.txt'))).toBe(true);
    for (const cookie of [b.cookie, undefined]) expect((await transcriptAs(cookie, upload.id)).status).toBe(404);

    // A barrier per page: a connection of its own sandbox after A's; the hub sends each page its events in bus order.
    const own = await sshTo(b.user, b.password, 'true');
    await watchB.events.next((e) => e.type === 'connection.close' && e.connection.id === own.connection.id);
    const owners = await sshTo(LAB_USER, TEST_PASSWORD, 'true');
    await watchOwner.events.next((e) => e.type === 'connection.close' && e.connection.id === owners.connection.id);
    const aConns = new Set((await listed(a.cookie)).map((c) => c.id));
    const about = (e: LabEvent) => (e.type === 'message' ? e.message.conn : 'connection' in e ? e.connection.id : '');
    for (const browser of [watchB, watchOwner]) {
      expect(browser.events.items.filter((e) => aConns.has(about(e)))).toEqual([]);
      expect(browser.events.items.filter((e) => e.type === 'message' && e.message.text.includes(`user "${a.sandbox}"`))).toEqual([]);
    }
  });

  it("A's password does not log in as B, nor B's as A: an ordinary SSH auth failure", async () => {
    for (const [user, password] of [
      [b.user, a.password],
      [a.user, b.password],
      [a.user, TEST_PASSWORD],
    ]) {
      const run = await sshTo(user, password, 'cat /a-secret.txt');
      expect(run.code).toBe(255);
      expect(run.stderr).toMatch(/Permission denied \(publickey,password\)/);
      expect(run.stdout).toBe('');
    }
  });

  it("the lab's own login still opens the default sandbox", async () => {
    const run = await sshTo(LAB_USER, TEST_PASSWORD, 'ls /');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('README.txt');
    expect(run.stdout).not.toContain('a-secret.txt');
    expect(run.connection.sandbox).toBe('local');
    expect((await listed(undefined)).map((c) => c.id)).toContain(run.connection.id);
    expect((await listed(a.cookie)).map((c) => c.id)).not.toContain(run.connection.id);
  });

  it("GET /api/lab gives each browser SSH recipes with its own login, and they work", async () => {
    const info = async (student: Student) => (await student.call<{ ssh: { user: string; commands: Record<string, string> } }>('/api/lab')).body.ssh;
    const port = lab.port('ssh');
    const mine = await info(a);
    expect(mine.user).toBe(a.sandbox);
    expect(mine.commands.ssh).toBe(`ssh -p ${port} ${a.sandbox}@127.0.0.1`);
    expect(mine.commands.sftp).toBe(`sftp -P ${port} ${a.sandbox}@127.0.0.1`);
    expect(mine.commands.tunnel).toMatch(new RegExp(` -p ${port} ${a.sandbox}@127\\.0\\.0\\.1$`));
    expect((await info(b)).commands.ssh).toBe(`ssh -p ${port} ${b.sandbox}@127.0.0.1`);
    const owner = await callAs<{ ssh: { user: string } }>(lab, undefined, '/api/lab');
    expect(owner.body.ssh.user).toBe(LAB_USER);

    const [, ...args] = mine.commands.ssh.split(' ');
    const run = await recorded(() => openssh('ssh', [...byPassword(), ...args, 'cat /a-secret.txt'], { password: a.password }));
    expect(run.stdout).toBe(SECRET);
    expect(run.connection.sandbox).toBe(a.sandbox);
  });
});

describe('publickey login into a student sandbox', () => {
  let keyFile: string;

  it("a key added to A's authorized_keys logs in as A, and only as A", async () => {
    const generated = await a.call<{ privateKeyUrl: string; fingerprint: string }>('/api/ssh/keys', { body: { name: 'id_a' } });
    expect(generated.status).toBe(200);
    const download = await fetch(lab.baseUrl + generated.body.privateKeyUrl, { headers: { cookie: a.cookie } });
    expect(download.status).toBe(200);
    keyFile = path.join(dir, 'id_a');
    fs.writeFileSync(keyFile, await download.text(), { mode: 0o600 });

    const run = await recorded(() => openssh('ssh', [...byKey(keyFile), '-p', String(lab.port('ssh')), `${a.user}@127.0.0.1`, 'cat /a-secret.txt']));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(SECRET);
    expect(run.connection.sandbox).toBe(a.sandbox);
    const messages = (await transcriptAs(a.cookie, run.connection.id)).messages;
    expect(messages.some((m) => m.text.startsWith(`USERAUTH_REQUEST user "${a.sandbox}" method publickey`) && m.text.endsWith('+ signature'))).toBe(true);

    for (const user of [b.user, LAB_USER]) {
      const refused = await openssh('ssh', [...byKey(keyFile), '-p', String(lab.port('ssh')), `${user}@127.0.0.1`, 'true']);
      expect(refused.code).toBe(255);
      expect(refused.stderr).toMatch(/Permission denied \(publickey/);
    }
  });

  it("A's keys are A's: B's page neither lists nor downloads them", async () => {
    const aKeys = await a.call<{ keys: { id: string; privateKeyUrl: string }[] }>('/api/ssh/keys');
    expect(aKeys.body.keys).toHaveLength(1);
    expect((await b.call<{ keys: unknown[] }>('/api/ssh/keys')).body.keys).toEqual([]);
    expect((await b.call<{ keys: unknown[] }>('/api/ssh/authorized-keys')).body.keys).toEqual([]);
    const stolen = await fetch(lab.baseUrl + aKeys.body.keys[0].privateKeyUrl, { headers: { cookie: b.cookie } });
    expect(stolen.status).toBe(404);
  });
});

describe('a tunnel through a student login', () => {
  it("files the forwarded connection in the SSH connection's sandbox, as its child", async () => {
    const client = new ssh2.Client();
    const opened = nextEvent(lab.daemon.bus, 'connection.open', (e) => e.connection.protocol === 'ssh' && !e.connection.label);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.connect({ host: '127.0.0.1', port: lab.port('ssh'), username: a.user, password: a.password, hostVerifier: () => true });
    });
    try {
      // Published once the login filed it (an unfiled connection's events wait until then).
      const sshConn = (await opened).connection;
      expect(sshConn.sandbox).toBe(a.sandbox);
      const greeting = await new Promise<string>((resolve, reject) => {
        client.forwardOut('127.0.0.1', 0, '127.0.0.1', lab.port('smtp'), (err, channel) => {
          if (err) return reject(err);
          channel.once('data', (d: Buffer) => {
            resolve(d.toString('latin1'));
            channel.end('QUIT\r\n');
          });
        });
      });
      expect(greeting).toMatch(/^220 /);
      const smtp = await callAs<{ connections: ConnectionInfo[] }>(lab, a.cookie, '/api/connections?protocol=smtp');
      const tunnelled = smtp.body.connections.find((c) => c.parent === sshConn.id);
      expect(tunnelled?.sandbox).toBe(a.sandbox);
      expect(tunnelled?.label).toBe('through an SSH tunnel');
      for (const cookie of [b.cookie, undefined]) {
        const other = await callAs<{ connections: ConnectionInfo[] }>(lab, cookie, '/api/connections?protocol=smtp');
        expect(other.body.connections.map((c) => c.id)).not.toContain(tunnelled?.id);
      }
    } finally {
      client.end();
    }
  });
});
