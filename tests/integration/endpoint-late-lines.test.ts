/**
 * A server may log a session's last lines after the tap has let go of the connection (the client
 * hung up first). The endpoint view is bound to its recorder when the session starts, so those
 * lines still reach the transcript (issue 9: FTP and SSH looked the port up on every line).
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { ftpTap, startFtpTestLab, TEST_PASSWORD } from './ftp-helpers.ts';
import { connectClient, startSshTestLab } from './ssh-helpers.ts';

/** Every message of `conn` published from now on, and whether the tap had closed it by then. */
function watch(lab: TestLab, conn: string): { messages: (LabMessage & { afterClose: boolean })[]; stop(): void } {
  const messages: (LabMessage & { afterClose: boolean })[] = [];
  let closed = false;
  const stop = lab.daemon.bus.subscribe((event) => {
    if (event.type === 'connection.close' && event.connection.id === conn) closed = true;
    if (event.type === 'message' && event.message.conn === conn) messages.push({ ...event.message, afterClose: closed });
  });
  return { messages, stop };
}

describe('endpoint lines the server logs after the client hung up', () => {
  let ftp: TestLab;
  let ssh: TestLab;
  beforeAll(async () => {
    [ftp, ssh] = await Promise.all([startFtpTestLab(), startSshTestLab()]);
  });
  afterAll(async () => {
    await Promise.all([ftp?.stop(), ssh?.stop()]);
  });

  it('FTPS: commands pipelined behind a slow one are still recorded after the tap closed the connection', async () => {
    const socket = net.connect(ftp.port('ftp'), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const conn = (await ftpTap(ftp).whenAccepted(socket.localPort ?? 0)).recorder.info.id;
    // A whole reply: its last line is 'NNN text' (RFC 959 §4.2 multi-line replies end so).
    const reply = (from: NodeJS.ReadableStream) =>
      new Promise<string>((resolve) => {
        let text = '';
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          if (!/(^|\n)\d{3} [^\n]*\r\n$/.test(text)) return;
          from.off('data', onData);
          resolve(text);
        };
        from.on('data', onData);
      });
    expect(await reply(socket)).toMatch(/^220[ -]/);
    socket.write('AUTH TLS\r\n');
    expect(await reply(socket)).toMatch(/^234 /);
    const secure = tls.connect({ socket, rejectUnauthorized: false });
    await new Promise((resolve) => secure.once('secureConnect', resolve));
    secure.write('USER student\r\n');
    expect(await reply(secure)).toMatch(/^331 /);
    secure.write(`PASS ${TEST_PASSWORD}\r\n`);
    expect(await reply(secure)).toMatch(/^230 /);

    const seen = watch(ftp, conn);
    // The last line the server handles: it comes after SIZE's file-system lookup, which
    // outlasts the tap's connection once the client has hung up.
    const quit = nextEvent(ftp.daemon.bus, 'message', (e) => e.message.conn === conn && e.message.view === 'endpoint' && e.message.text === 'QUIT');
    secure.end('SIZE /no-such-file\r\nNOOP\r\nQUIT\r\n');
    await quit;
    seen.stop();
    const endpoint = seen.messages.filter((m) => m.view === 'endpoint').map((m) => m.text);
    expect(endpoint).toEqual(['SIZE /no-such-file', 'NOOP', 'QUIT']);
    // What makes this test mean something: the last lines did come after the tap let go.
    expect(seen.messages.find((m) => m.text === 'QUIT')?.afterClose).toBe(true);
  });

  // The SSH server is handed its end of each connection in process (issue 9), so it now learns of a
  // hang-up before the tap has closed its client socket: its "Connection closed." no longer comes after
  // the tap let go, and the test checks only that it is recorded on the right connection.
  it('SSH: the server\'s "Connection closed." is recorded on the connection the client hung up', async () => {
    const { client, localPort } = await connectClient(ssh);
    const sshTap = ssh.daemon.labs.find((l) => l.protocol === 'ssh')?.tap;
    const conn = (await sshTap!.whenAccepted(localPort)).recorder.info.id;
    const seen = watch(ssh, conn);
    const closedNote = nextEvent(ssh.daemon.bus, 'message', (e) => e.message.conn === conn && e.message.text === 'Connection closed.');
    client.end();
    await closedNote;
    seen.stop();
    const note = seen.messages.find((m) => m.text === 'Connection closed.');
    expect(note).toMatchObject({ view: 'endpoint', dir: 'note', annotation: { key: 'ssh.closed' } });
  });
});
