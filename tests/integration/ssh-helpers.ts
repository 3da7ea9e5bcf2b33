/**
 * Helpers for the SSH integration tests: a lab with only the SSH starter, ssh2 clients that
 * connect through the tap from a known local port, and waits on bus events (never sleeps).
 */
import net from 'node:net';
import ssh2, { type ClientChannel, type ConnectConfig } from 'ssh2';
import { sshLab } from '../../servers/ssh/lab.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';

export { TEST_PASSWORD };

/** A test daemon running only the SSH lab. */
export function startSshTestLab(options: { loginGraceMs?: number } = {}): Promise<TestLab> {
  return startTestLab({ labs: [sshLab], config: { ssh: { port: 0, loginGraceMs: options.loginGraceMs } } });
}

/** Waits until the tapped connection from `clientPort` has closed; returns its info (call BEFORE closing). */
export async function waitForClose(lab: TestLab, clientPort: number): Promise<ConnectionInfo> {
  return (await nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client.endsWith(`:${clientPort}`))).connection;
}

/** The next connection a client makes (not one the lab opens itself), once it has closed; call before the client starts. */
export async function nextClientConnection(lab: TestLab): Promise<ConnectionInfo> {
  const opened = await nextEvent(lab.daemon.bus, 'connection.open', (e) => !e.connection.label);
  return (await nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === opened.connection.id)).connection;
}

/** The stored transcript of a connection. */
export async function transcript(lab: TestLab, id: string): Promise<LabMessage[]> {
  return (await lab.api<{ messages: LabMessage[] }>(`/api/connections/${id}`)).messages;
}

/** A TCP socket to the SSH tap, connected, with its local port known. */
export function tapSocket(lab: TestLab): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(lab.port('ssh'), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** An authenticated ssh2 client through the tap. */
export async function connectClient(lab: TestLab, config: Partial<ConnectConfig> = {}): Promise<{ client: ssh2.Client; localPort: number }> {
  const sock = await tapSocket(lab);
  const localPort = sock.localPort ?? 0;
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    // A server that drops the connection without a DISCONNECT (its login grace time) gives no error.
    client.once('close', () => reject(new Error('the connection closed before the login completed')));
    client.connect({ sock, username: 'student', password: TEST_PASSWORD, hostVerifier: () => true, ...config });
  });
  client.on('error', () => {});
  return { client, localPort };
}

/** Runs `command` via exec; collects stdout, stderr and the exit code. */
export function exec(client: ssh2.Client, command: string, options: { pty?: boolean } = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    client.exec(command, { pty: options.pty ?? false }, (err, stream: ClientChannel) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code = -1;
      stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      stream.on('exit', (c: number) => (code = c));
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}

/** Closes a client and waits until the tap recorded the end of its connection. */
export async function endClient(lab: TestLab, client: ssh2.Client, localPort: number): Promise<ConnectionInfo> {
  const closed = waitForClose(lab, localPort);
  client.end();
  return closed;
}
