/**
 * Issue 8 guards on the FTP control connection: cleartext pipelined after AUTH TLS is dropped
 * (#4), the lab's own connections are counted apart and idle logins time out (#6), the internal
 * port refuses connections that bypass the tap (#13), and password guesses are limited (#15).
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFtpLab } from '../../servers/ftp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { within } from '../helpers/waits.ts';
import { ftpTap, lineReader, TEST_PASSWORD, transcript } from './ftp-helpers.ts';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('FTP control guards (default limits)', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [createFtpLab({})] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('drops commands pipelined after AUTH TLS in the same packet and notes it in the transcript', async () => {
    const socket = await within(connect(lab.port('ftp')), 'the control connection');
    const localPort = socket.localPort ?? 0;
    const plain = lineReader(socket);
    expect(await within(plain.next(), 'the 220 greeting')).toMatch(/^220 /);
    // Looked up while the connection is live: the tap forgets it once closed, and a later lookup waits for ever.
    const conn = (await within(ftpTap(lab).whenAccepted(localPort), 'the tapped connection')).recorder.info.id;
    socket.write('AUTH TLS\r\nUSER x\r\n');
    expect(await within(plain.next(), 'the 234 to AUTH TLS')).toMatch(/^234 /);
    plain.detach();
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    await within(new Promise<void>((resolve, reject) => (secure.once('secureConnect', () => resolve()), secure.once('error', reject))), 'the TLS handshake after 234');
    const inside = lineReader(secure);
    // Had USER x run, its 331 would be waiting here, and a new USER would get "530 Username already set".
    secure.write('USER student\r\n');
    expect(await within(inside.next(), 'the 331 to USER inside TLS')).toMatch(/^331 /);
    secure.write(`PASS ${TEST_PASSWORD}\r\n`);
    expect(await within(inside.next(), 'the 230 to PASS')).toMatch(/^230 /);
    secure.end('QUIT\r\n');
    await within(inside.closed(), 'the connection to close after QUIT');

    const { messages } = await transcript(lab, conn);
    const note = messages.find((m) => m.annotation?.key === 'ftp.note.auth-discarded');
    expect(note?.text).toMatch(/discarded 1 command \(USER/);
    expect(messages.some((m) => m.view === 'endpoint' && m.dir === 'client' && m.text === 'USER x')).toBe(false);
    // The eavesdropper's view flags the pipelined line itself.
    expect(messages.find((m) => m.view === 'wire' && m.text === 'USER x')?.annotation?.key).toBe('ftp.cmd.after-auth');
  });

  it('closes the connection with 421 after 3 wrong passwords', async () => {
    const socket = await connect(lab.port('ftp'));
    const r = lineReader(socket);
    expect(await r.next()).toMatch(/^220 /);
    socket.write('USER student\r\n');
    expect(await r.next()).toMatch(/^331 /);
    for (let i = 0; i < 3; i++) {
      socket.write('PASS wrong\r\n');
      expect(await r.next()).toMatch(/^530 /);
    }
    expect(await r.next()).toMatch(/^421 3 failed logins/);
    await r.closed();
  });

  it('refuses a connection straight to the internal port with 421', async () => {
    const socket = await connect(ftpTap(lab).targetPort);
    const r = lineReader(socket);
    expect(await r.next()).toMatch(/^421 .*internal/);
    expect(await r.next()).toBeNull();
  });

  it("still serves the lab's own console when an external client has used up its 10 connections", async () => {
    const tap = ftpTap(lab);
    const idle: net.Socket[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const socket = await connect(tap.port);
        idle.push(socket);
        expect(await lineReader(socket).next()).toMatch(/^220 /);
      }
      const eleventh = await connect(tap.port);
      expect(await lineReader(eleventh).next()).toMatch(/^421 Too many connections/);
      const own = tap.connectOwnClient('test panel');
      expect(await lineReader(own.socket).next()).toMatch(/^220 /);
      own.socket.destroy();
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });
});

/**
 * Opens a connection that never logs in and waits for its 421: a whole grace period has passed since the
 * call, for every connection opened before it too. The tests learn that the period is over from this,
 * not from a timer of their own, which a loaded machine can outrun.
 */
async function graceRunsOut(lab: TestLab): Promise<void> {
  const witness = await connect(lab.port('ftp'));
  const r = lineReader(witness);
  expect(await within(r.next(), "the witness connection's 220")).toMatch(/^220 /);
  expect(await within(r.next(), "the witness connection's 421 at the end of its grace period")).toMatch(/^421 Not logged in after/);
  await within(r.closed(), 'the witness connection to close');
}

// The grace periods below are what these tests watch run out, in labs of their own (the tests above keep the
// default 30 s). 3 s, not the 300–500 ms they once had: the client must still log in inside one after its
// greeting, a step mode round trip and a TLS handshake, and on a loaded machine that took longer than 500 ms.
const GRACE_MS = 3_000;

describe('FTP login grace', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [createFtpLab({ loginGraceMs: GRACE_MS })] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('closes a connection that never logs in with 421 and says why', async () => {
    const socket = await connect(lab.port('ftp'));
    const localPort = socket.localPort ?? 0;
    const r = lineReader(socket);
    expect(await within(r.next(), 'the 220 greeting')).toMatch(/^220 /);
    const conn = (await within(ftpTap(lab).whenAccepted(localPort), 'the tapped connection')).recorder.info.id;
    expect(await within(r.next(), 'the 421 at the end of the grace period')).toMatch(/^421 Not logged in after 3 s/);
    await within(r.closed(), 'the connection to close');
    const { messages } = await transcript(lab, conn);
    expect(messages.some((m) => m.annotation?.key === 'ftp.note.login-grace')).toBe(true);
  });

  it('leaves a logged-in connection open past the grace period', async () => {
    const socket = await connect(lab.port('ftp'));
    const r = lineReader(socket);
    expect(await within(r.next(), 'the 220 greeting')).toMatch(/^220 /);
    socket.write(`USER student\r\nPASS ${TEST_PASSWORD}\r\n`);
    expect(await within(r.next(), 'the 331 to USER')).toMatch(/^331 /);
    expect(await within(r.next(), 'the 230 to PASS')).toMatch(/^230 /);
    await graceRunsOut(lab);
    socket.write('NOOP\r\n');
    expect(await within(r.next(), 'the 200 to NOOP after the grace period')).toMatch(/^200 /);
    socket.destroy();
  });
});

describe('FTP login grace under step mode', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [createFtpLab({ loginGraceMs: GRACE_MS })] });
  });
  afterAll(async () => {
    await lab?.api('/api/step/ftp', { body: { enabled: false } });
    await lab?.stop();
  });

  /** A raw client whose AUTH TLS step mode holds for longer than a grace period (the FTPS lesson's question), then lets go. */
  async function holdAuthTls(): Promise<{ socket: net.Socket; conn: string }> {
    const socket = await connect(lab.port('ftp'));
    const localPort = socket.localPort ?? 0;
    const plain = lineReader(socket);
    expect(await within(plain.next(), 'the 220 greeting')).toMatch(/^220 /);
    plain.detach();
    const conn = (await within(ftpTap(lab).whenAccepted(localPort), 'the tapped connection')).recorder.info.id;
    await lab.api('/api/step/ftp', { body: { enabled: true, scope: 'connection', conn } });
    const held = nextEvent(lab.daemon.bus, 'step', (e) => e.state.protocol === 'ftp' && e.state.held > 0 && e.state.next?.conn === conn, 20_000, 'step mode to hold AUTH TLS');
    socket.write('AUTH TLS\r\n');
    await held;
    // The student reads the question and answers it: a whole grace period with AUTH TLS held.
    await graceRunsOut(lab);
    await lab.api('/api/step/ftp', { body: { enabled: false } });
    return { socket, conn };
  }

  it('time with AUTH TLS held does not count: after Step the client still logs in (230), not 421', async () => {
    const { socket } = await holdAuthTls();
    const plain = lineReader(socket);
    expect(await within(plain.next(), 'the 234 to AUTH TLS once released')).toMatch(/^234 /);
    plain.detach();
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    await within(new Promise<void>((resolve) => secure.once('secureConnect', () => resolve())), 'the TLS handshake');
    const inside = lineReader(secure);
    secure.write(`USER student\r\nPASS ${TEST_PASSWORD}\r\n`);
    expect(await within(inside.next(), 'the 331 to USER')).toMatch(/^331 /);
    expect(await within(inside.next(), 'the 230 to PASS')).toMatch(/^230 /);
    secure.destroy();
  });

  it('the clock runs again once step mode lets go: no login, then 421, and the note says what was not counted', async () => {
    const { socket, conn } = await holdAuthTls();
    const plain = lineReader(socket);
    expect(await within(plain.next(), 'the 234 to AUTH TLS once released')).toMatch(/^234 /);
    plain.detach();
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    secure.on('error', () => {});
    const inside = lineReader(secure);
    expect(await within(inside.next(), 'the 421 at the end of the grace period')).toMatch(/^421 Not logged in after 3 s/);
    const { messages } = await transcript(lab, conn);
    const note = messages.find((m) => m.annotation?.key === 'ftp.note.login-grace');
    // Held for at least a grace period less one tick of the server's clock: a nonzero number of seconds.
    expect(note?.text).toMatch(/^Not logged in after 3 s \(not counting [1-9]\d* s while step mode held it\)/);
  });
});
