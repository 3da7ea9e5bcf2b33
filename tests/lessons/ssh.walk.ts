/**
 * Walkers for the SSH lessons (tests/lessons/harness.ts): the lab's SSH terminal (the daemon's own
 * ssh2 client, driven as the page drives it) and real OpenSSH (ssh, ssh-keygen) with its own known_hosts.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LabConsole } from '../../servers/daemon/lab.ts';
import { TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { tool } from '../helpers/tools.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

const run = promisify(execFile);
const WAIT_MS = 15_000;

/** The lab's SSH terminal as a page drives it: keystrokes in, output collected, waits on what appears after a mark. */
class Terminal {
  private output = '';
  private waiters: { from: number; re: RegExp; resolve: (text: string) => void }[] = [];
  private readonly console: LabConsole;

  constructor(lab: TestLab) {
    const ssh = lab.daemon.labs.find((l) => l.protocol === 'ssh');
    const opened = ssh?.openConsole?.({
      status: () => {},
      output: (text) => {
        this.output += text;
        this.waiters = this.waiters.filter((w) => {
          const found = w.re.exec(this.output.slice(w.from));
          if (found) w.resolve(this.output.slice(w.from, w.from + found.index + found[0].length));
          return !found;
        });
      },
    });
    if (!opened) throw new Error('the SSH lab opened no terminal');
    this.console = opened;
    this.console.open({ cols: 100, rows: 30 });
  }

  get mark(): number {
    return this.output.length;
  }

  /** Types a line and Enter. */
  type(line: string): void {
    this.console.input(`${line}\r`);
  }

  /** Resolves with the output from `from` through the first match of `re` after it. */
  until(re: RegExp, from: number): Promise<string> {
    const found = re.exec(this.output.slice(from));
    if (found) return Promise.resolve(this.output.slice(from, from + found.index + found[0].length));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} in the terminal after:\n${this.output.slice(from)}`)), WAIT_MS);
      this.waiters.push({ from, re, resolve: (text) => (clearTimeout(timer), resolve(text)) });
    });
  }

  close(): void {
    this.console.close();
  }
}

const SHELL_PROMPT = /student@lab:[^\r\n]*\$ $/;

/**
 * Connects the terminal (Enter), answers the host-key question with yes if it is asked, types
 * `password`; resolves with the output once the shell prompt shows, or the password was refused.
 */
async function terminalLogin(term: Terminal, password = TEST_PASSWORD): Promise<string> {
  let from = term.mark;
  term.type('');
  const first = await term.until(/\(yes\/no\/\[fingerprint\]\)\? |password: /, from);
  if (first.includes('yes/no')) {
    from = term.mark;
    term.type('yes');
    await term.until(/password: /, from);
  }
  from = term.mark;
  term.type(password);
  return term.until(password === TEST_PASSWORD ? SHELL_PROMPT : /Permission denied|password: /, from);
}

/** Leaves the shell and waits for the terminal's own prompt. */
async function terminalExit(term: Terminal): Promise<void> {
  const from = term.mark;
  term.type('exit');
  await term.until(/Connection to .* closed\.[\s\S]*\$ $/, from);
}

/** The terminal's known_hosts name for the lab's SSH server, as OpenSSH writes a non-22 port. */
const hostName = (ctx: WalkContext) => `[127.0.0.1]:${ctx.port('ssh')}`;

/** Forgets the server in this sandbox's known_hosts (the Keys tab's Remove, ssh-keygen -R). */
async function forgetHost(ctx: WalkContext): Promise<void> {
  await ctx.lab.api('/api/ssh/known-hosts/remove', { body: { host: hostName(ctx) } });
}

/** A scratch directory with a lab-generated key (in authorized_keys), its own known_hosts, and OpenSSH's options. */
interface OpenSsh {
  dir: string;
  key: string;
  args(extra?: string[]): string[];
}

async function openSsh(ctx: WalkContext): Promise<OpenSsh> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-ssh-'));
  const made = await ctx.lab.api<{ privateKeyUrl: string }>('/api/ssh/keys', { body: { name: `lesson-${path.basename(dir).slice(-6)}` } });
  const key = path.join(dir, 'lab-key');
  fs.writeFileSync(key, await ctx.lab.api<string>(made.privateKeyUrl), { mode: 0o600 });
  return {
    dir,
    key,
    args: (extra = []) => [
      '-F', '/dev/null',
      '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`,
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'BatchMode=yes',
      '-o', 'IdentitiesOnly=yes',
      '-p', String(ctx.port('ssh')),
      ...extra,
    ],
  };
}

/**
 * ssh-handshake as step 1 says: step mode on, then one terminal session, stepped up to the held
 * KEX_ECDH_REPLY, where step 5's question is answered — the normal flow reaches it, no second connection.
 */
function handshake(): LessonWalker {
  let term: Terminal;
  const proven = async () => {};
  return {
    lesson: 'ssh-handshake',
    steps: {
      version: async (ctx) => {
        term = new Terminal(ctx.lab);
        const started: { login?: Promise<string> } = {};
        await ctx.answerHeld(
          () => {
            started.login = terminalLogin(term);
          },
          'NEWKEYS',
          'newkeys',
        );
        if (!started.login) throw new Error('no login started');
        await started.login;
      },
      // Proven by the same terminal session: KEXINITs, ECDH, the host-key note, both NEWKEYS (and the answer).
      kexinit: proven,
      ecdh: proven,
      hostkey: proven,
      newkeys: proven,
      // The terminal session again: ssh-userauth, the password, the session channel with a shell.
      service: proven,
      userauth: proven,
      channel: proven,
      data: async () => {
        const from = term.mark;
        term.type('ls');
        await term.until(SHELL_PROMPT, from);
      },
      close: async () => {
        await terminalExit(term);
        term.close();
      },
    },
  };
}

/** ssh-host-keys: the terminal meets the server first, again, after forgetting it; OpenSSH with its own known_hosts. */
function hostKeys(): LessonWalker {
  let term: Terminal;
  return {
    lesson: 'ssh-host-keys',
    steps: {
      'first-contact': async (ctx) => {
        term = new Terminal(ctx.lab);
        // As the walk did: the terminal already knows the key (a connection without the question), and the
        // student removes the line and accepts again, as the step says.
        await terminalLogin(term);
        await terminalExit(term);
        await forgetHost(ctx);
        const from = term.mark;
        term.type('');
        await term.until(/\(yes\/no\/\[fingerprint\]\)\? /, from);
        term.type('yes');
        await term.until(/password: /, from);
        term.type(TEST_PASSWORD);
        await term.until(SHELL_PROMPT, from);
        await terminalExit(term);
      },
      'known-host': async (ctx) => {
        // First contact is proven now (the harness waited): the later steps need a changed key, which never came.
        const early = (await ctx.state()).status.filter((st) => st.done && (st.step === 'changed' || st.step === 'forget'));
        if (early.length > 0) throw new Error(`done without a changed key: ${early.map((st) => st.step).join(', ')}`);
        const shown = await terminalLogin(term);
        if (shown.includes('yes/no')) throw new Error('the terminal asked again for a known host');
        await terminalExit(term);
      },
      // As the step says: Try it arms the rotation, and the next connection meets the changed key.
      changed: async (ctx) => {
        await ctx.arm('ssh.hostkey-change', { times: 1 });
        const from = term.mark;
        term.type('');
        await term.until(/REMOTE HOST IDENTIFICATION HAS CHANGED![\s\S]*Host key verification failed\.[\s\S]*\$ $/, from);
      },
      forget: async (ctx) => {
        await forgetHost(ctx);
        await terminalLogin(term);
        await terminalExit(term);
      },
      openssh: async (ctx) => {
        const ssh = await openSsh(ctx);
        try {
          const { stdout, stderr } = await run(tool('ssh'), [...ssh.args(['-i', ssh.key]), 'student@127.0.0.1', 'echo hi'], { timeout: 20_000 });
          if (stdout !== 'hi\n' || !stderr.includes('Permanently added')) throw new Error(`OpenSSH: ${stdout} ${stderr}`);
        } finally {
          fs.rmSync(ssh.dir, { recursive: true, force: true });
        }
      },
    },
    whatIfs: {
      changed: async (ctx) => {
        const from = term.mark;
        term.type('');
        await term.until(/REMOTE HOST IDENTIFICATION HAS CHANGED![\s\S]*Host key verification failed\.[\s\S]*\$ $/, from);
        term.close();
        // As the lesson says: the stale line goes (the next lessons meet the new key as a first contact).
        await forgetHost(ctx);
      },
    },
  };
}

/** ssh-passwords-keys: password and a wrong one in the terminal; a lab key and an unknown key with OpenSSH. */
function passwordsKeys(): LessonWalker {
  return {
    lesson: 'ssh-passwords-keys',
    steps: {
      password: async (ctx) => {
        const term = new Terminal(ctx.lab);
        await terminalLogin(term);
        await terminalExit(term);
        term.close();
      },
      'wrong-password': async (ctx) => {
        const term = new Terminal(ctx.lab);
        const refused = await terminalLogin(term, 'not-the-password');
        if (!/Permission denied|password: /.test(refused)) throw new Error(refused);
        const from = term.mark;
        term.type(TEST_PASSWORD);
        await term.until(SHELL_PROMPT, from);
        await terminalExit(term);
        term.close();
      },
      'key-login': async (ctx) => {
        const ssh = await openSsh(ctx);
        try {
          const { stdout } = await run(tool('ssh'), [...ssh.args(['-i', ssh.key]), 'student@127.0.0.1', 'echo hi'], { timeout: 20_000 });
          if (stdout !== 'hi\n') throw new Error(`OpenSSH with the lab key: ${stdout}`);
        } finally {
          fs.rmSync(ssh.dir, { recursive: true, force: true });
        }
      },
      'unknown-key': async (ctx) => {
        const ssh = await openSsh(ctx);
        const other = path.join(ssh.dir, 'other');
        try {
          await run(path.join(path.dirname(tool('ssh')), 'ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
          const refused = await run(tool('ssh'), [...ssh.args(['-i', other]), 'student@127.0.0.1', 'echo hi'], { timeout: 20_000 }).then(
            () => null,
            (err: { stderr?: string }) => err.stderr ?? '',
          );
          if (refused === null || !refused.includes('Permission denied')) throw new Error(`an unknown key was not refused: ${refused}`);
        } finally {
          fs.rmSync(ssh.dir, { recursive: true, force: true });
        }
      },
    },
  };
}

/** A port nothing listens on right now, for ssh -L. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `ssh -v -N -L …` and resolves once OpenSSH says it listens on every forwarded port. */
function forwardWithOpenSsh(args: string[], ports: number[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool('ssh'), ['-v', '-N', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => (child.kill(), reject(new Error(`ssh -L did not listen:\n${stderr}`))), WAIT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (ports.every((port) => stderr.includes(`Local connections to LOCALHOST:${port} forwarded`))) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`ssh exited ${code}:\n${stderr}`))));
  });
}

/** ssh-tunnel: OpenSSH forwards one local port to the SMTP lab and one to a port the server refuses. */
function tunnel(): LessonWalker {
  let ssh: OpenSsh;
  let forwarder: ChildProcess;
  let smtp: LineClient;
  let refusedPort: number;
  return {
    lesson: 'ssh-tunnel',
    steps: {
      forward: async (ctx) => {
        ssh = await openSsh(ctx);
        const [smtpPort, deadPort] = [await freePort(), await freePort()];
        refusedPort = deadPort;
        forwarder = await forwardWithOpenSsh(
          [...ssh.args(['-i', ssh.key, '-L', `${smtpPort}:127.0.0.1:${ctx.port('smtp')}`, '-L', `${deadPort}:127.0.0.1:9`]), 'student@127.0.0.1'],
          [smtpPort, deadPort],
        );
        smtp = await LineClient.connect(smtpPort);
        await smtp.waitFor(/^220 .*\r\n/m);
      },
      through: async () => {
        const ehlo = await smtp.command('EHLO tunnel.example');
        if (!ehlo.includes('250 ')) throw new Error(`EHLO through the tunnel: ${ehlo}`);
        await smtp.command('QUIT');
        await smtp.whenClosed();
      },
      prohibited: async () => {
        try {
          const dead = await LineClient.connect(refusedPort);
          await dead.whenClosed();
        } finally {
          forwarder.kill();
          fs.rmSync(ssh.dir, { recursive: true, force: true });
        }
      },
    },
  };
}

/** Every SSH lesson's walker (tests/integration/lessons-walk-ssh.test.ts), in the lessons' order. */
export const SSH_WALKERS: readonly LessonWalker[] = [handshake(), hostKeys(), passwordsKeys(), tunnel()];
