import net, { type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { connectClient, endClient, exec, startSshTestLab, transcript, waitForClose } from './ssh-helpers.ts';

// sshd's own login grace (2 minutes): every client here must log in, and on a loaded machine a handshake
// and six password tries took longer than the 400 ms this file once gave them all. The grace test has
// a lab of its own.
let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** A raw TCP client: sends `data`; resolves with everything received and the recorded connection once it closed. */
function rawSession(data: Buffer | string, to: TestLab = lab): Promise<{ received: Buffer; info: ConnectionInfo }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let closed: Promise<ConnectionInfo>;
    const socket = net.connect(to.port('ssh'), '127.0.0.1', () => {
      closed = waitForClose(to, socket.localPort ?? 0);
      socket.write(data);
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => void closed.then((info) => resolve({ received: Buffer.concat(chunks), info }), reject));
    socket.setTimeout(10_000, () => reject(new Error('server did not close the connection')));
  });
}

/** A cleartext SSH binary packet (RFC 4253 §6) around `payload`. */
function packet(payload: Buffer): Buffer {
  let padding = 8 - ((5 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const out = Buffer.alloc(5 + payload.length + padding);
  out.writeUInt32BE(1 + payload.length + padding, 0);
  out[4] = padding;
  payload.copy(out, 5);
  return out;
}

function kexinit(): Buffer {
  const lists = ['curve25519-sha256', 'ssh-ed25519', 'aes128-ctr', 'aes128-ctr', 'hmac-sha2-256', 'hmac-sha2-256', 'none', 'none', '', ''];
  const parts = [Buffer.from([20]), Buffer.alloc(16, 7)];
  for (const list of lists) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(list.length);
    parts.push(len, Buffer.from(list));
  }
  parts.push(Buffer.from([0, 0, 0, 0, 0]));
  return packet(Buffer.concat(parts));
}

/** A fresh client still works: the abuse affected only its own connection. */
async function othersUnaffected(): Promise<void> {
  const { client, localPort } = await connectClient(lab);
  expect((await exec(client, 'echo ok')).stdout).toBe('ok\n');
  await endClient(lab, client, localPort);
}

describe('bad input', () => {
  it('closes a connection that sends garbage instead of a version line', async () => {
    const { received, info } = await rawSession('hello there\r\nmore garbage\r\n\r\n');
    expect(received.toString('latin1')).toMatch(/^SSH-2\.0-ProtocolLab/);
    const messages = await transcript(lab, info.id);
    expect(messages.find((m) => m.dir === 'client' && m.view === 'wire')?.annotation).toMatchObject({ key: 'ssh.version.bad', level: 'error' });
    await othersUnaffected();
  });

  it('closes a connection whose version line is 1 MB long', async () => {
    const { info } = await rawSession(Buffer.alloc(1024 * 1024, 'A'));
    const messages = await transcript(lab, info.id);
    const client = messages.filter((m) => m.dir === 'client' && m.view === 'wire');
    expect(client[0].annotation).toMatchObject({ key: 'ssh.version.too-long', level: 'error' });
    // The bytes invariant holds: every byte the server received is covered by some message.
    expect(client.reduce((sum, m) => sum + (m.bytes ?? 0), 0)).toBeLessThanOrEqual(1024 * 1024);
    await othersUnaffected();
  });

  it('refuses sessions beyond 10 per connection and disconnects a channel-open flood', async () => {
    const { client, localPort } = await connectClient(lab);
    const closed = waitForClose(lab, localPort);
    const disconnected = new Promise<Error & { code?: number }>((resolve) => client.on('error', resolve));
    const shell = () => new Promise<string | number>((resolve) => client.shell((err) => resolve(err ? ((err as Error & { reason?: number }).reason ?? err.message) : 'open')));
    const first = await Promise.all(Array.from({ length: 10 }, shell));
    expect(first).toEqual(Array(10).fill('open'));
    // The 11th session: ADMINISTRATIVELY_PROHIBITED (1), as OpenSSH's MaxSessions answers.
    expect(await shell()).toBe(1);
    const flood = await Promise.all(Array.from({ length: 120 }, shell));
    expect(flood.filter((r) => r === 1).length).toBeGreaterThanOrEqual(99);
    expect((await disconnected).code).toBe(2);
    const messages = await transcript(lab, (await closed).id);
    expect(messages.some((m) => m.annotation?.key === 'ssh.channel.limit')).toBe(true);
    expect(messages.some((m) => m.view === 'endpoint' && m.text.startsWith('DISCONNECT 2'))).toBe(true);
    await othersUnaffected();
  });

  it('disconnects after 6 failed passwords (MaxAuthTries) with PROTOCOL_ERROR', async () => {
    const sock = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(lab.port('ssh'), '127.0.0.1', () => resolve(s));
    });
    const closed = waitForClose(lab, sock.localPort ?? 0);
    const client = new ssh2.Client();
    let tries = 0;
    // Waits for the end of the connection, not only for an error: a connection dropped for another
    // reason (no DISCONNECT) fails here, naming what it got, instead of hanging until the test timeout.
    let error: (Error & { code?: number }) | undefined;
    client.on('error', (err) => (error ??= err));
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.connect({
      sock,
      username: 'student',
      hostVerifier: () => true,
      authHandler: (_methods, _partial, next) => next({ type: 'password', username: 'student', password: `wrong-${tries++}` }),
    });
    await ended;
    // The client may already have sent a 7th attempt when the DISCONNECT arrives.
    expect(tries).toBeGreaterThanOrEqual(6);
    expect(error?.code).toBe(2);
    const messages = await transcript(lab, (await closed).id);
    expect(messages.some((m) => m.annotation?.key === 'ssh.auth.limit')).toBe(true);
    expect(messages.some((m) => m.view === 'endpoint' && m.text === 'DISCONNECT 2 PROTOCOL_ERROR')).toBe(true);
  });
});

describe('login grace time', () => {
  let short: TestLab;
  beforeAll(async () => {
    short = await startSshTestLab({ loginGraceMs: 400 });
  });
  afterAll(async () => {
    await short?.stop();
  });

  it('drops a client that stops after KEXINIT once the login grace time is over', async () => {
    const { received, info } = await rawSession(Buffer.concat([Buffer.from('SSH-2.0-Staller_1.0\r\n'), kexinit()]), short);
    expect(received.toString('latin1')).toMatch(/^SSH-2\.0-ProtocolLab/);
    const messages = await transcript(short, info.id);
    expect(messages.some((m) => m.view === 'wire' && m.dir === 'client' && m.annotation?.key === 'ssh.msg.KEXINIT')).toBe(true);
    expect(messages.some((m) => m.view === 'endpoint' && m.annotation?.key === 'ssh.auth.grace')).toBe(true);
  });
});

describe('port forwarding', () => {
  // Host names are case-insensitive, as DNS compares them: LOCALHOST is localhost, still only to the lab's ports.
  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', 'LocalHost'])('allows direct-tcpip to a lab port on %s', async (host) => {
    const { client, localPort } = await connectClient(lab);
    const banner = await new Promise<string>((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, lab.port('ssh'), (err, stream) => {
        if (err) return reject(err);
        stream.once('data', (d: Buffer) => {
          resolve(d.toString('latin1'));
          stream.end();
        });
      });
    });
    expect(banner).toMatch(/^SSH-2\.0-ProtocolLab/);
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    expect(messages.some((m) => m.annotation?.key === 'ssh.forward.allowed')).toBe(true);
  });

  it.each([
    ['another port on 127.0.0.1', '127.0.0.1', 9],
    ['another port on LOCALHOST', 'LOCALHOST', 9],
    ['another host', '10.1.2.3', 80],
    ['a host name', 'example.com', 443],
  ])('refuses direct-tcpip to %s as administratively prohibited', async (_label, host, port) => {
    const { client, localPort } = await connectClient(lab);
    const error = await new Promise<Error & { reason?: number }>((resolve, reject) => client.forwardOut('127.0.0.1', 0, host, port, (err) => (err ? resolve(err) : reject(new Error('forward was allowed')))));
    expect(error.message).toBe('(SSH) Channel open failure: open failed');
    expect(error.reason).toBe(1);
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    expect(messages.find((m) => m.view === 'endpoint' && m.text.startsWith('CHANNEL_OPEN_FAILURE 1'))?.annotation?.title).toMatch(/administratively prohibited/);
  });

  it('refuses tcpip-forward (ssh -R) politely', async () => {
    const { client, localPort } = await connectClient(lab);
    const error = await new Promise<Error | undefined>((resolve) => client.forwardIn('127.0.0.1', 0, (err) => resolve(err)));
    expect(error?.message).toMatch(/Unable to bind/);
    const messages = await transcript(lab, (await endClient(lab, client, localPort)).id);
    expect(messages.some((m) => m.annotation?.key === 'ssh.forward.remote-refused')).toBe(true);
  });
});

describe('the web port is not a forwarding target', () => {
  // The web side takes a request from 127.0.0.1 without a sandbox cookie as the machine owner's, and a
  // forward arrives from 127.0.0.1: through it, a student with a login on a classroom LAN would act as
  // the owner (the owner's sandbox, keys and shared switches). Only the labs' protocol ports are targets.
  it('refuses direct-tcpip to the web port as administratively prohibited; nothing reaches it', async () => {
    let reached = 0;
    const web = net.createServer((socket) => {
      reached++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const webPort = (web.address() as AddressInfo).port;
    const withWeb = await startTestLab({ labs: [sshLab], config: { webPort, ssh: { port: 0 } } });
    try {
      const { client, localPort } = await connectClient(withWeb);
      const error = await new Promise<Error & { reason?: number }>((resolve, reject) => client.forwardOut('127.0.0.1', 0, '127.0.0.1', webPort, (err) => (err ? resolve(err) : reject(new Error('forward was allowed')))));
      expect(error.reason).toBe(1);
      await endClient(withWeb, client, localPort);
      expect(reached).toBe(0);
    } finally {
      await withWeb.stop();
      web.close();
    }
  });
});
