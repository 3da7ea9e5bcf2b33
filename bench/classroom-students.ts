/**
 * The class's external clients, in a process of their own (forked by bench/classroom.ts): the
 * students' SSH and SMTP crypto must neither count in the lab's memory nor delay the event loop
 * that timestamps what the followers receive. Each student, all at once, from its own loopback
 * address (the taps limit connections per client address, as a classroom of machines would meet
 * them): an SMTP send with AUTH as its sandbox (nodemailer), an FTP login + LIST (basic-ftp), an
 * SSH login that runs `ls` (ssh2). Real clients, each step timed or its error kept.
 */
import net from 'node:net';
import { Client as FtpClient } from 'basic-ftp';
import nodemailer from 'nodemailer';
import ssh2 from 'ssh2';

/** One student as the bench hands it over: its sandbox login and the address it connects from. */
export interface StudentLogin {
  sandbox: string;
  password: string;
  address: string;
}

export type Step = 'smtp' | 'ftp' | 'ssh';

/** A step's wall time, or why it failed. */
export type StepResult = { ms: number } | { error: string };

export interface StudentResult {
  sandbox: string;
  steps: Record<Step, StepResult>;
}

/** Parent → students process. */
export interface RunClass {
  type: 'run';
  students: StudentLogin[];
  ports: { smtp: number; ftp: number; ssh: number };
  /** Per-client timeout (connect, greeting, handshake, reply). */
  timeoutMs: number;
}

/** Students process → parent. */
export type ClassReport = { type: 'started' } | { type: 'done'; results: StudentResult[] };

const HOST = '127.0.0.1';

async function smtpSend(s: StudentLogin, port: number, timeoutMs: number): Promise<void> {
  const transport = nodemailer.createTransport({
    host: HOST,
    port,
    secure: false,
    ignoreTLS: true,
    localAddress: s.address,
    auth: { user: s.sandbox, pass: s.password },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const to = `someone@${s.sandbox}.lab.test`;
    const info = await transport.sendMail({ from: `${s.sandbox}@${s.sandbox}.lab.test`, to, subject: `classroom bench ${s.sandbox}`, text: `Sent by ${s.sandbox} from ${s.address}.\n` });
    if (!info.accepted.map(String).includes(to)) throw new Error(`recipient not accepted: ${info.response}`);
  } finally {
    transport.close();
  }
}

/**
 * basic-ftp has no localAddress option; every socket it opens (control and passive data) comes
 * from FTPContext._newSocket, the hook its own tests replace, so sockets bound to the student's
 * address go in there. The lab checks that data connections come from the control's address.
 */
function boundSocket(localAddress: string): () => net.Socket {
  return () => {
    const socket = new net.Socket();
    const connect = socket.connect.bind(socket) as (options: net.TcpSocketConnectOpts, listener?: () => void) => net.Socket;
    socket.connect = ((options: net.TcpSocketConnectOpts, listener?: () => void) => connect({ ...options, localAddress }, listener)) as typeof socket.connect;
    return socket;
  };
}

async function ftpList(s: StudentLogin, port: number, timeoutMs: number): Promise<void> {
  const client = new FtpClient(timeoutMs);
  client.ftp._newSocket = boundSocket(s.address);
  try {
    await client.access({ host: HOST, port, user: s.sandbox, password: s.password, secure: false });
    await client.list();
  } finally {
    client.close();
  }
}

function sshLs(s: StudentLogin, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const fail = (err: Error) => {
      client.end();
      reject(err);
    };
    // Every error is listened to (an unheard one would end this process); the first decides.
    client.on('error', fail);
    client.once('ready', () => {
      client.exec('ls', (err, channel) => {
        if (err) return fail(err);
        let out = '';
        channel.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        channel.stderr.on('data', () => {});
        let exitCode: number | null | undefined;
        channel.once('exit', (code: number | null) => (exitCode = code));
        channel.once('close', () => {
          client.end();
          if (exitCode === 0) resolve();
          else reject(new Error(exitCode === undefined ? 'ls: channel closed without an exit status' : `ls exited ${exitCode}: ${out.slice(0, 80)}`));
        });
      });
    });
    client.connect({ host: HOST, port, localAddress: s.address, username: s.sandbox, password: s.password, hostVerifier: () => true, readyTimeout: timeoutMs });
  });
}

async function timed(work: () => Promise<void>): Promise<StepResult> {
  const started = performance.now();
  try {
    await work();
    return { ms: performance.now() - started };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** One student's session: the three clients one after the other, as a student works through a lab page. */
async function student(s: StudentLogin, run: RunClass): Promise<StudentResult> {
  const smtp = await timed(() => smtpSend(s, run.ports.smtp, run.timeoutMs));
  const ftp = await timed(() => ftpList(s, run.ports.ftp, run.timeoutMs));
  const ssh = await timed(() => sshLs(s, run.ports.ssh, run.timeoutMs));
  return { sandbox: s.sandbox, steps: { smtp, ftp, ssh } };
}

// The bench going away (its budget ran out) takes this process with it.
const orphaned = () => process.exit(1);
process.on('disconnect', orphaned);
process.once('message', (run: RunClass) => {
  process.send?.({ type: 'started' } satisfies ClassReport);
  void Promise.all(run.students.map((s) => student(s, run))).then((results) => {
    process.off('disconnect', orphaned);
    process.send?.({ type: 'done', results } satisfies ClassReport, () => process.disconnect());
  });
});
