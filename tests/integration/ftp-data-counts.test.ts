/**
 * The data relay's summary counts the bytes it delivered, per direction (issue 8, framing): on a
 * PROT P upload the client half-closes first, and the server's close_notify that follows can no
 * longer reach it — an eavesdropper on the client's side never sees those bytes.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent } from '../helpers/bus.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { within } from '../helpers/waits.ts';
import { dataConnections, ftpTap, lineReader, startFtpTestLab, TEST_PASSWORD } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** A raw FTPS control connection logged in with PROT P (data connections run TLS): its replies and a send that checks each. */
async function protectedSession() {
  const control = net.connect(lab.port('ftp'), '127.0.0.1');
  await new Promise<void>((resolve) => control.once('connect', () => resolve()));
  const localPort = control.localPort ?? 0;
  const plain = lineReader(control);
  expect(await within(plain.next(), 'the 220 greeting')).toMatch(/^220 /);
  control.write('AUTH TLS\r\n');
  expect(await within(plain.next(), 'the 234 to AUTH TLS')).toMatch(/^234 /);
  plain.detach();
  const secure = tls.connect({ socket: control, rejectUnauthorized: false });
  const r = lineReader(secure);
  const send = async (line: string, expected: RegExp) => {
    secure.write(`${line}\r\n`);
    expect(await within(r.next(), `the reply to ${line.split(' ')[0]}`)).toMatch(expected);
  };
  await send('USER student', /^331 /);
  await send(`PASS ${TEST_PASSWORD}`, /^230 /);
  await send('PBSZ 0', /^200 /);
  await send('PROT P', /^200 /);
  return { localPort, secure, r, send };
}

describe('FTP data relay byte counts', () => {
  it('counts what crossed each way on a PROT P upload, as the client saw it', async () => {
    const { localPort, secure, r, send } = await protectedSession();
    const conn = (await ftpTap(lab).whenAccepted(localPort)).recorder.info.id;
    // The relay's last note, its summary (not the dissector's summaries of bulk data, under the same key): only
    // one published from now on counts, and no data connection ran before.
    const closed = nextEvent(lab.daemon.bus, 'message', (e) => e.message.kind === 'note' && e.message.text.startsWith('Data connection closed:'), 20_000, "the data relay's summary note");
    secure.write('PASV\r\n');
    const pasv = /\((?:\d+,){4}(\d+),(\d+)\)/.exec((await within(r.next(), 'the 227 to PASV')) ?? '');
    if (!pasv) throw new Error('no PASV reply');
    const raw = net.connect(Number(pasv[1]) * 256 + Number(pasv[2]), '127.0.0.1');
    await within(new Promise<void>((resolve) => raw.once('connect', () => resolve())), 'the data connection');
    await send('STOR counted.bin', /^150 /);
    const data = tls.connect({ socket: raw, rejectUnauthorized: false });
    await within(new Promise<void>((resolve) => data.once('secureConnect', () => resolve())), "the data connection's TLS handshake");
    data.on('error', () => {});
    // Send, close_notify, FIN: the server's own close_notify comes after our half-close.
    data.end(Buffer.alloc(3000, 0x62));
    await within(new Promise<void>((resolve) => raw.once('close', () => resolve())), 'the data connection to close');
    expect(await within(r.next(), 'the 226 after the upload')).toMatch(/^226 /);
    secure.end('QUIT\r\n');

    const { message: summary } = await closed;
    // It is this control connection's data relay that said so.
    expect((await dataConnections(lab, conn)).map((c) => c.id)).toContain(summary.conn);
    const field = (name: string) => Number(summary.fields?.find((f) => f.name === name)?.value);
    expect(field('bytes client→server')).toBe(raw.bytesWritten);
    expect(field('bytes server→client')).toBe(raw.bytesRead);
  });

  it('says whose TLS handshake a silent PROT P data connection waits for (curl 7.88 in active mode never starts one)', async () => {
    const { secure, r, send } = await protectedSession();
    // Active mode, as curl -P - does: the server connects to our port; we accept and stay silent.
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const port = (listener.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
    await send(`PORT 127,0,0,1,${port >> 8},${port & 255}`, /^200 /);
    const silent = nextEvent(lab.daemon.bus, 'message', (e) => e.message.annotation?.key === 'ftp.data.tls-silent-active' && e.message.view === 'wire', 20_000, 'the note that the data connection waits for a TLS handshake');
    secure.write('LIST\r\n');
    const raw = await within(accepted, 'the server to connect to our PORT');
    const note = await silent;
    expect(note.message.annotation?.ref).toBe('RFC 4217 §7');
    expect(note.message.annotation?.explain).toContain('curl issue #10666');
    // The client starts TLS after all: the listing comes, the transfer ends as usual.
    expect(await within(r.next(), 'the 150 to LIST')).toMatch(/^150 /);
    const data = tls.connect({ socket: raw, rejectUnauthorized: false });
    data.on('error', () => {});
    let listing = '';
    data.on('data', (chunk: Buffer) => (listing += chunk.toString('utf8')));
    await within(new Promise<void>((resolve) => raw.once('close', () => resolve())), 'the listing to end');
    expect(listing).toContain('README.txt');
    expect(await within(r.next(), 'the 226 after the listing')).toMatch(/^226 /);
    secure.end('QUIT\r\n');
    listener.close();
  });
});
