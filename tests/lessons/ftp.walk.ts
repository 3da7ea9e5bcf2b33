/**
 * Walkers for the FTP lessons (tests/lessons/harness.ts): the control connection typed line by line as
 * a student does in the console (opening data connections the way the console does it: connect to the
 * 227's port, or listen and send PORT), curl, lftp and basic-ftp for FTPS, the lab's firewall switch and
 * its FTPS-vs-SFTP comparison route, and ssh2-sftp-client through the SSH tap.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Client } from 'basic-ftp';
import { decodeSixNumbers, encodeSixNumbers } from '../../lib/protocols/ftp/addresses.ts';
import { ftpContracts } from '../../servers/ftp/lab/contracts.ts';
import { TEST_PASSWORD } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { tool } from '../helpers/tools.ts';
import { lineReader, openFtpConsole, untilMessages } from '../integration/ftp-helpers.ts';
import type { TestLab } from '../helpers/daemon.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

const run = promisify(execFile);

/** The last line of a reply, and fails unless it starts with `code`. */
function expectCode(reply: string, code: number, what: string): string {
  const last = reply.trimEnd().split('\r\n').at(-1) ?? '';
  if (!last.startsWith(`${code} `)) throw new Error(`${what} → ${JSON.stringify(reply)}, expected ${code}`);
  return last;
}

/** The console's control connection: connected, greeted, and logged in when `login`. */
async function typer(ctx: WalkContext, login = true): Promise<LineClient> {
  const client = await LineClient.connect(ctx.port('ftp'));
  await client.waitFor(/^220 .*\r\n/m);
  if (login) {
    expectCode(await client.command('USER student'), 331, 'USER');
    expectCode(await client.command(`PASS ${TEST_PASSWORD}`), 230, 'PASS');
  }
  return client;
}

/** Everything a data socket carries until it closes. */
function collect(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * PASV, then a connection to the port the 227 announces, as the console (and curl) do at once; `data`
 * is what it carries until it closes (wrapped: an async function would wait for a returned promise).
 */
async function passive(client: LineClient): Promise<{ data: Promise<Buffer> }> {
  const reply = expectCode(await client.command('PASV'), 227, 'PASV');
  const to = decodeSixNumbers(reply);
  if (!to) throw new Error(`no address in ${reply}`);
  const socket = net.connect(to.port, to.host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { data: collect(socket) };
}

/** A bare PORT as the console does it: listen on a free port, send PORT with its six numbers. */
async function active(client: LineClient): Promise<{ data: Promise<Buffer>; close(): void }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const data = new Promise<Buffer>((resolve) => server.once('connection', (socket) => resolve(collect(socket))));
  expectCode(await client.command(`PORT ${encodeSixNumbers('127.0.0.1', port)}`), 200, 'PORT');
  return { data, close: () => server.close() };
}

/** Waits for the next final reply and fails unless it has `code`. */
async function nextReply(client: LineClient, code: number, what: string): Promise<string> {
  return expectCode(await client.waitFor(/^\d{3} .*\r\n/m), code, what);
}

async function quit(client: LineClient): Promise<void> {
  expectCode(await client.command('QUIT'), 221, 'QUIT');
  await client.whenClosed();
}

const ftpUrl = (ctx: WalkContext, file = '') => `ftp://student:${TEST_PASSWORD}@127.0.0.1:${ctx.port('ftp')}/${file}`;

/** curl with a time limit; resolves with its exit code and output (a refused connection is a result, not a throw). */
async function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tool('curl'), ['-sS', '--max-time', '15', ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** ftp-two-channels: one control connection typed by hand, a data connection per transfer. */
function twoChannels(): LessonWalker {
  let client: LineClient;
  let listing: Promise<Buffer>;
  return {
    lesson: 'ftp-two-channels',
    steps: {
      login: async (ctx) => {
        client = await typer(ctx);
      },
      pasv: async (ctx) => {
        // Hold the 227 and work out the port from its six numbers, as the lesson asks the student to.
        const reply = client.waitFor(/^227 .*\r\n/m);
        await ctx.answerHeld(() => client.send('PASV'), (held) => String(decodeSixNumbers(held)?.port ?? 'no port'));
        const to = decodeSixNumbers(expectCode(await reply, 227, 'PASV'));
        if (!to) throw new Error('no address in the 227');
        const socket = net.connect(to.port, to.host);
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
        listing = collect(socket);
      },
      list: async () => {
        expectCode(await client.command('LIST'), 150, 'LIST');
        await nextReply(client, 226, 'LIST');
        if (!(await listing).toString().includes('README.txt')) throw new Error('the listing does not name README.txt');
      },
      'second-transfer': async (ctx) => {
        const file = await passive(client);
        await ctx.answerHeld(() => client.send('RETR README.txt'), '150');
        await nextReply(client, 150, 'RETR');
        await nextReply(client, 226, 'RETR');
        if (!(await file.data).toString().includes('Protocol Lab')) throw new Error('README.txt did not arrive');
        await quit(client);
      },
    },
  };
}

/** ftp-active-passive: PORT with the firewall off and on (the lab's switch), then passive through it. */
function activePassive(): LessonWalker {
  let client: LineClient;
  const firewall = (ctx: WalkContext, enabled: boolean) => ctx.lab.api(ftpContracts.firewall, { body: { enabled } });
  return {
    lesson: 'ftp-active-passive',
    steps: {
      active: async (ctx) => {
        client = await typer(ctx);
        const data = await active(client);
        expectCode(await client.command('LIST'), 150, 'LIST');
        await nextReply(client, 226, 'LIST');
        data.close();
        if (!(await data.data).toString().includes('README.txt')) throw new Error('the active listing does not name README.txt');
      },
      firewall: async (ctx) => {
        await firewall(ctx, true);
        const data = await active(client);
        await ctx.answerHeld(() => client.send('LIST'), '425');
        await nextReply(client, 425, 'LIST behind the firewall');
        data.close();
      },
      passive: async (ctx) => {
        try {
          const listing = (await passive(client)).data;
          expectCode(await client.command('LIST'), 150, 'passive LIST');
          await nextReply(client, 226, 'passive LIST');
          await listing;
          await quit(client);
        } finally {
          await firewall(ctx, false);
        }
      },
    },
    whatIfs: {
      passive: async (ctx) => {
        // curl obeys the 227 (EPSV off): the rewritten port refuses it.
        const result = await curl(['--disable-epsv', ftpUrl(ctx)]);
        if (result.code === 0) throw new Error('curl listed the directory through an unreachable 227');
      },
    },
  };
}

/** The page's console, logged in over FTPS (AUTH TLS, USER, PASS) as the lesson's earlier steps leave it. */
async function ftpsConsole(lab: TestLab): Promise<{ type(line: string): Promise<string>; close(): void; conn: string }> {
  const c = openFtpConsole(lab);
  const conn = await c.conn();
  let last = 0;
  /** Types one line, as Send does, and waits for its reply (after any 150); fails unless it is a 2yz (or 3yz for USER). */
  const type = async (line: string) => {
    c.console.sendLine(line);
    const isReply = (x: LabMessage) => x.seq > last && x.dir === 'server' && /^[2-5]\d\d /.test(x.text);
    const reply = (await untilMessages(lab, conn, (m) => m.some(isReply))).find(isReply);
    last = reply?.seq ?? last;
    if (!/^[23]/.test(reply?.text ?? '')) throw new Error(`console ${line} → ${reply?.text}`);
    return reply?.text ?? '';
  };
  last = (await untilMessages(lab, conn, (m) => m.some((x) => x.text.startsWith('220 ')))).find((x) => x.text.startsWith('220 '))?.seq ?? 0;
  await type('AUTH TLS');
  await untilMessages(lab, conn, (m) => m.some((x) => x.text.startsWith('The lab ran the TLS handshake')));
  await type('USER student');
  await type(`PASS ${TEST_PASSWORD}`);
  return { type: (line) => type(line), close: () => c.console.close(), conn };
}

/** A file of a few kilobytes for the PROT C step and its data-drop what-if. */
const BIG = 'lesson-big.txt';

/** ftps: plain FTP seen by an eavesdropper, AUTH TLS typed by hand, PROT P with basic-ftp, PROT C with lftp. */
function ftpsWalker(): LessonWalker {
  let console_: Awaited<ReturnType<typeof ftpsConsole>> | null = null;
  return {
    lesson: 'ftps',
    steps: {
      plain: async (ctx) => {
        const result = await curl([ftpUrl(ctx, 'README.txt')]);
        if (!result.stdout.includes('Protocol Lab')) throw new Error(`curl: ${result.stderr}`);
      },
      'auth-tls': async (ctx) => {
        const socket = net.connect(ctx.port('ftp'), '127.0.0.1');
        const plain = lineReader(socket);
        if (!(await plain.next())?.startsWith('220 ')) throw new Error('no greeting');
        const reply = plain.next();
        await ctx.answerHeld(() => void socket.write('AUTH TLS\r\n'), '234');
        if (!(await reply)?.startsWith('234 ')) throw new Error('AUTH TLS was not accepted');
        plain.detach();
        const secure = tls.connect({ socket, rejectUnauthorized: false });
        await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
        const lines = lineReader(secure);
        secure.write('USER student\r\n');
        if (!(await lines.next())?.startsWith('331 ')) throw new Error('USER inside TLS');
        secure.write(`PASS ${TEST_PASSWORD}\r\n`);
        if (!(await lines.next())?.startsWith('230 ')) throw new Error('PASS inside TLS');
        secure.write('QUIT\r\n');
        await lines.next();
        secure.end();
      },
      'prot-p': async (ctx) => {
        const client = new Client(15_000);
        try {
          // secure: AUTH TLS, then PBSZ 0 and PROT P, as RFC 4217 orders them.
          await client.access({ host: '127.0.0.1', port: ctx.port('ftp'), user: 'student', password: TEST_PASSWORD, secure: true, secureOptions: { rejectUnauthorized: false } });
          const chunks: Buffer[] = [];
          await client.downloadTo(new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }), 'README.txt');
          if (!Buffer.concat(chunks).toString().includes('Protocol Lab')) throw new Error('README.txt did not arrive over PROT P');
        } finally {
          client.close();
        }
      },
      'prot-c': async (ctx) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftps-lesson-'));
        try {
          fs.writeFileSync(path.join(dir, BIG), 'PROT C leaves this readable. '.repeat(200));
          const script = `set ftp:ssl-force true; set ftp:ssl-protect-data false; set ssl:verify-certificate no; set net:max-retries 1; put ${path.join(dir, BIG)} -o ${BIG}; get ${BIG} -o ${path.join(dir, 'copy.txt')}; bye`;
          await run(tool('lftp'), ['-u', `student,${TEST_PASSWORD}`, '-p', String(ctx.port('ftp')), '-e', script, '127.0.0.1'], { timeout: 30_000 });
          if (fs.readFileSync(path.join(dir, 'copy.txt'), 'utf8') !== fs.readFileSync(path.join(dir, BIG), 'utf8')) throw new Error('the PROT C copy differs');
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
        // And the step's own Send lines in the page's console: they upload the file the what-if cuts.
        console_ = await ftpsConsole(ctx.lab);
        for (const line of ctx.step.try ?? []) await console_.type(line);
      },
    },
    whatIfs: {
      'prot-c': async (ctx) => {
        // The what-if's own words: download again in the console (PASV, RETR protc.txt); the lab cuts it after 1,000 bytes.
        if (!console_) throw new Error('the prot-c step left no console');
        try {
          // Counting, as the what-if says: SIZE first (this lab's 150 names no size).
          const size = Number(/^213 (\d+)/.exec(await console_.type('SIZE protc.txt'))?.[1]);
          if (!(size > 4000)) throw new Error(`SIZE protc.txt → ${size}`);
          await console_.type('PASV');
          await console_.type('RETR protc.txt').catch(() => undefined); // a cut may be answered 226 or 426
          // What the control lane says about the end of the data: the bytes that got through, not the file's size.
          const { messages } = await ctx.lab.api<{ messages: LabMessage[] }>(`/api/connections/${console_.conn}`);
          const end = messages.filter((m) => m.annotation?.key === 'ftp.data.eof' || m.annotation?.key === 'ftp.data.reset').at(-1);
          const bytes = Number(end?.fields?.find((f) => f.name === 'bytes')?.value);
          if (bytes !== 1000) throw new Error(`the download was not cut at 1,000 bytes: ${end?.text}`);
          const preliminary = messages.filter((m) => m.dir === 'server' && m.text.startsWith('150 ')).at(-1)?.text ?? '';
          if (/\d/.test(preliminary.slice(4))) throw new Error(`the lesson says this lab's 150 names no size: ${preliminary}`);
        } finally {
          console_.close();
        }
      },
    },
  };
}

/** ftps-vs-sftp: the page's comparison; its one run proves all three steps, as the lesson says. */
function ftpsVsSftp(): LessonWalker {
  /** The lesson says the run already proved this step: nothing more is done for it. */
  const provenByTheRun = async (ctx: WalkContext) => {
    const status = (await ctx.state()).status.find((s) => s.step === ctx.step.id);
    if (!status?.done) throw new Error(`${ctx.step.id} is not done after Run comparison, as the lesson says it is`);
  };
  return {
    lesson: 'ftps-vs-sftp',
    steps: {
      'ftps-connections': async (ctx) => {
        const { rows } = await ctx.lab.api(ftpContracts.compare, { body: { bytes: 4096 } });
        const failed = rows.filter((r) => !r.ok);
        if (failed.length) throw new Error(`comparison failed: ${JSON.stringify(failed)}`);
        // Its proof arrives with the run's last messages: wait for it here, then read the others at once.
        await ctx.until('server-identity proven by the run', (state) => state.status.find((s) => s.step === 'server-identity')?.done === true);
      },
      'sftp-one-connection': provenByTheRun,
      'server-identity': provenByTheRun,
    },
  };
}

/** Every FTP lesson's walker (tests/integration/lessons-walk-ftp.test.ts). */
export const FTP_WALKERS: readonly LessonWalker[] = [twoChannels(), activePassive(), ftpsWalker(), ftpsVsSftp()];
