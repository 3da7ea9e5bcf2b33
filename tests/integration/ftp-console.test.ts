import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { dataConnections, openFtpConsole, startFtpTestLab, TEST_PASSWORD, transcript, untilMessages } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

const openConsole = () => openFtpConsole(lab);
const until = (conn: string, done: (messages: LabMessage[]) => boolean) => untilMessages(lab, conn, done);
const count = (messages: LabMessage[], prefix: string) => messages.filter((m) => m.dir === 'server' && m.text.startsWith(prefix)).length;
/** Seq of the first message after `from` whose text starts with `prefix` (commands, replies or notes). */
const seqOf = (messages: LabMessage[], prefix: string, from = 0) => messages.find((m) => m.seq > from && m.text.startsWith(prefix))?.seq ?? -1;

describe('FTP console', () => {
  it('after PASV the lab opens the data connection; its notes keep the wire order on the control connection', async () => {
    const c = openConsole();
    const conn = await c.conn();
    c.console.sendLine('USER student');
    c.console.sendLine(`PASS ${TEST_PASSWORD}`);
    await until(conn, (m) => count(m, '230 ') === 1);
    c.console.sendLine('STOR hello.txt'); // no PASV yet: the lab explains, before the command goes out
    let messages = await until(conn, (m) => count(m, '550 ') + count(m, '425 ') === 1);
    expect(seqOf(messages, 'STOR needs a data connection')).toBeLessThan(seqOf(messages, 'STOR hello.txt'));

    c.console.sendLine('PASV');
    await until(conn, (m) => m.some((x) => x.text.startsWith('Data connection opened')));
    c.console.sendLine('STOR hello.txt');
    await until(conn, (m) => count(m, '226 ') === 1);
    c.console.sendLine('PASV');
    await until(conn, (m) => m.filter((x) => x.text.startsWith('Data connection opened')).length === 2);
    c.console.sendLine('LIST');
    messages = await until(conn, (m) => count(m, '226 ') === 2);
    const pasv = messages.filter((m) => m.text === 'PASV').at(-1)?.seq ?? -1;
    const list = [seqOf(messages, '227 ', pasv), seqOf(messages, 'The lab connects to 127.0.0.1:', pasv), seqOf(messages, 'Data connection opened', pasv), seqOf(messages, 'LIST', pasv), seqOf(messages, '150 ', pasv), seqOf(messages, 'Data connection closed by the server', pasv), seqOf(messages, '226 ', pasv)];
    expect(list).toEqual([...list].sort((a, b) => a - b));
    expect(list).not.toContain(-1);
    expect(messages.find((m) => m.seq === list[5])?.text).toContain('hello.txt');

    c.console.sendLine('PORT');
    await until(conn, (m) => count(m, '200 PORT') === 1);
    c.console.sendLine('RETR hello.txt');
    messages = await until(conn, (m) => count(m, '226 ') === 3);
    const port = seqOf(messages, 'The lab listens on 127.0.0.1:');
    const retr = [port, seqOf(messages, 'PORT 127,0,0,1', port), seqOf(messages, 'RETR hello.txt', port), seqOf(messages, 'Data connection opened (active', port), seqOf(messages, '150 ', port), seqOf(messages, 'Data connection closed by the server', port), seqOf(messages, '226 ', port)];
    expect(retr).toEqual([...retr].sort((a, b) => a - b));
    expect(retr).not.toContain(-1);
    expect(messages.find((m) => m.seq === retr[5])?.text).toContain('Uploaded from the Protocol Lab console');
    c.console.close();
    const data = await dataConnections(lab, conn);
    expect(data.map((d) => d.label)).toEqual(expect.arrayContaining([expect.stringContaining('active'), expect.stringContaining('passive')]));
  });

  it('STOR waits for the server\'s 150 before sending (RFC 959 §5.4): a few KB after it; a refused STOR gets nothing', async () => {
    const c = openConsole();
    const conn = await c.conn();
    c.console.sendLine('USER student');
    c.console.sendLine(`PASS ${TEST_PASSWORD}`);
    await until(conn, (m) => count(m, '230 ') === 1);
    c.console.sendLine('PASV');
    await until(conn, (m) => m.some((x) => x.text.startsWith('Data connection opened')));
    c.console.sendLine('STOR waited.txt');
    let messages = await until(conn, (m) => count(m, '226 ') === 1);
    const stor = seqOf(messages, 'STOR waited.txt');
    const order = [stor, seqOf(messages, '150 ', stor), seqOf(messages, 'The server said 150: the lab sends', stor), seqOf(messages, 'Data connection closed by the client', stor), seqOf(messages, '226 ', stor)];
    expect(order).not.toContain(-1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const eof = messages.find((m) => m.annotation?.key === 'ftp.data.eof' && m.seq > stor);
    expect(Number(eof?.fields?.find((f) => f.name === 'bytes')?.value)).toBeGreaterThan(4000);

    c.console.sendLine('PASV');
    await until(conn, (m) => m.filter((x) => x.text.startsWith('Data connection opened')).length === 2);
    c.console.sendLine('STOR no-such-folder/refused.txt');
    messages = await until(conn, (m) => m.some((x) => x.text.startsWith('The server refused STOR')));
    const refused = seqOf(messages, 'STOR no-such-folder/refused.txt');
    expect(messages.filter((m) => m.seq > refused && m.dir === 'server').map((m) => m.text.slice(0, 1))).toEqual(['5']);
    expect(messages.some((m) => m.seq > refused && m.text.startsWith('The server said'))).toBe(false);
    c.console.close();
  });

  it('USER again after a wrong password: the 530 is annotated as the name already set, and PASS with the right password logs in', async () => {
    const c = openConsole();
    const conn = await c.conn();
    c.console.sendLine('USER student');
    c.console.sendLine('PASS wrongpass');
    await until(conn, (m) => count(m, '530 ') === 1);
    c.console.sendLine('USER student');
    const messages = await until(conn, (m) => count(m, '530 ') === 2);
    const again = messages.filter((m) => m.dir === 'server' && m.text.startsWith('530 ')).at(-1);
    expect(again?.annotation).toMatchObject({ key: 'ftp.reply.530.user', ref: 'RFC 959 §4.1.1, §5.4' });
    expect(again?.annotation?.explain).toMatch(/PASS again/);
    c.console.sendLine(`PASS ${TEST_PASSWORD}`);
    await until(conn, (m) => count(m, '230 ') === 1);
    c.console.close();
  });

  it('a transfer typed before the 227 arrived uses the connection the lab opens when it does', async () => {
    const c = openConsole();
    const conn = await c.conn();
    c.console.sendLine('USER student');
    c.console.sendLine(`PASS ${TEST_PASSWORD}`);
    c.console.sendLine('PASV');
    c.console.sendLine('LIST');
    const messages = await until(conn, (m) => count(m, '226 ') === 1);
    expect(messages.some((m) => m.text.includes('needs a data connection'))).toBe(false);
    const order = [seqOf(messages, '227 '), seqOf(messages, 'Data connection opened'), seqOf(messages, '150 '), seqOf(messages, 'Data connection closed by the server'), seqOf(messages, '226 ')];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).not.toContain(-1);
    c.console.close();
  });

  it('PROT P: the decrypted contents are an endpoint-view note before 226; the wire view never shows them', async () => {
    const c = openConsole();
    const conn = await c.conn();
    await until(conn, (m) => count(m, '220 ') === 1);
    c.console.sendLine('AUTH TLS');
    await until(conn, (m) => m.some((x) => x.text.startsWith('The lab ran the TLS handshake')));
    for (const [line, reply] of [['USER student', '331 '], [`PASS ${TEST_PASSWORD}`, '230 '], ['PBSZ 0', '200 PBSZ'], ['PROT P', '200 Protection']]) {
      c.console.sendLine(line);
      await until(conn, (m) => count(m, reply) === 1);
    }
    c.console.sendLine('PASV');
    await until(conn, (m) => m.some((x) => x.text.startsWith('Data connection opened')));
    c.console.sendLine('RETR README.txt');
    const messages = await until(conn, (m) => count(m, '226 ') === 1);
    const decrypted = messages.find((m) => m.text.startsWith("The lab's client decrypted"));
    expect(decrypted?.view).toBe('endpoint');
    expect(decrypted?.text).toContain('Welcome to your Protocol Lab sandbox.');
    // The client learns the end from TLS close_notify, just before the relay sees the TCP close:
    // either note may come first, both before 226.
    for (const note of [seqOf(messages, 'Data connection closed by the server'), decrypted?.seq ?? -1]) {
      const order = [seqOf(messages, 'RETR README.txt'), note, seqOf(messages, '226 ')];
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(messages.find((m) => m.seq === seqOf(messages, 'Data connection closed by the server'))?.text).toMatch(/of TLS records\.\nPROT P: an eavesdropper sees their lengths, not the contents\.$/);
    const wire = messages.filter((m) => m.view === 'wire').map((m) => m.text).join('\n');
    expect(wire).not.toContain('Welcome to your Protocol Lab sandbox.');
    c.console.close();
  });

  it('friendly client mode shows the raw commands it sends; what it prints is noted after the 226 it follows', async () => {
    const c = openConsole();
    await c.conn();
    c.console.sendLine(':client');
    c.console.sendLine('secure on');
    c.console.sendLine('open');
    await c.until(/< 230/);
    while (c.conns.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const conn = c.conns[1];
    c.console.sendLine('put note.txt hello there');
    await until(conn, (m) => m.some((x) => x.text === '12 bytes uploaded as note.txt.'));
    c.console.sendLine('passive off');
    c.console.sendLine('get note.txt');
    const messages = await until(conn, (m) => m.some((x) => x.text.startsWith('12 bytes received')));
    const got = messages.find((x) => x.text.startsWith('12 bytes received'));
    expect(got?.view).toBe('endpoint');
    expect(got?.text).toContain('hello there');
    // After the RETR's 226 (read from the server's side after AUTH TLS), like the lines it follows.
    const retr = seqOf(messages, 'RETR note.txt');
    expect(seqOf(messages, '226 ', retr)).toBeLessThan(got?.seq ?? -1);
    expect(messages.findIndex((x) => x.text === 'passive off.')).toBeGreaterThan(-1);
    const out = await c.until(/> PORT 127,0,0,1/);
    expect(out).toContain('> AUTH TLS');
    c.console.close();
  });
});

describe('FTP routes', () => {
  it('uploads and downloads through the tap, byte-exact, FTPS active and passive', async () => {
    const body = Buffer.from('x'.repeat(100_000));
    const res = await fetch(`${lab.baseUrl}/api/ftp/upload?name=api.bin&secure=1`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    const up = (await res.json()) as { transfer: string; conn: string; bytes: number };
    expect(up.bytes).toBe(body.length);
    expect(await lab.api<{ done: boolean; bytes: number }>(`/api/ftp/transfers/${up.transfer}`)).toMatchObject({ done: true });
    for (const passive of ['1', '0']) {
      const down = await fetch(`${lab.baseUrl}/api/ftp/download?name=api.bin&secure=1&passive=${passive}`);
      expect(Buffer.from(await down.arrayBuffer()).equals(body)).toBe(true);
    }
  });

  it('drives a client session with the raw log', async () => {
    const open = await lab.api<{ ok: boolean; log: string[]; conn: string }>('/api/ftp/client', { body: { session: 's1', action: 'open' } });
    expect(open.ok).toBe(true);
    expect(open.log).toContain('> USER student');
    const ls = await lab.api<{ ok: boolean; result: { name: string }[] }>('/api/ftp/client', { body: { session: 's1', action: 'ls' } });
    expect(ls.result.map((f) => f.name)).toContain('api.bin');
    await lab.api('/api/ftp/client', { body: { session: 's1', action: 'close' } });
  });

  it('makes a folder, lists it with the times LIST gives, renames into it and deletes: MKD, RNFR/RNTO, DELE, RMD on the wire', async () => {
    type Reply = { ok: boolean; conn: string; error?: string; result: { name: string; isDirectory: boolean; modified?: string }[] | string | null };
    const act = (action: string, path?: string, to?: string) => lab.api<Reply>('/api/ftp/client', { body: { session: 'files', action, path, to } });
    // Before open the session has no connection, and says so (the file panel then logs in and tries again).
    expect(await act('mkdir', '/box')).toMatchObject({ ok: false, conn: null, error: expect.stringMatching(/Not connected/) });
    const open = await act('open');
    expect((await act('put', 'panel.txt')).ok).toBe(true);
    expect((await act('mkdir', '/box')).ok).toBe(true);
    const root = (await act('ls', '/')).result as { name: string; isDirectory: boolean; modified?: string }[];
    expect(root.find((e) => e.name === 'box')).toMatchObject({ isDirectory: true, modified: expect.stringMatching(/^[A-Z][a-z]{2} +\d{1,2} +(\d{2}:\d{2}|\d{4})$/) });
    expect((await act('rename', '/panel.txt', '/box/moved.txt')).ok).toBe(true);
    expect(((await act('ls', '/box')).result as { name: string }[]).map((e) => e.name)).toEqual(['moved.txt']);
    // RMD takes only an empty folder: the server's refusal comes back as the error, in words.
    const full = await act('rmdir', '/box');
    expect(full.ok).toBe(false);
    expect(full.error).toMatch(/^5\d\d /);
    expect((await act('delete', '/box/moved.txt')).ok).toBe(true);
    expect((await act('rmdir', '/box')).ok).toBe(true);
    expect(((await act('ls', '/')).result as { name: string }[]).map((e) => e.name)).not.toContain('box');
    await act('close');
    const commands = (await transcript(lab, open.conn)).messages.filter((m) => m.dir === 'client' && m.kind === 'command').map((m) => m.text);
    expect(commands).toEqual(expect.arrayContaining(['MKD /box', 'RNFR /panel.txt', 'RNTO /box/moved.txt', 'DELE /box/moved.txt', 'RMD /box']));
  });

  it('compares FTPS with SFTP from real sessions (SFTP says why when the SSH lab is absent)', async () => {
    const table = await lab.api<{ rows: { protocol: string; ok: boolean; tcpConnections: number; bytesOnWire: number; error?: string }[] }>('/api/ftp/compare', { body: { bytes: 100_000 } });
    const [ftps, sftp] = table.rows;
    expect(ftps).toMatchObject({ protocol: 'FTPS', ok: true, tcpConnections: 3 });
    expect(ftps.bytesOnWire).toBeGreaterThan(200_000);
    // This daemon runs no SSH lab: the row must say so, not carry some other error.
    expect(sftp).toMatchObject({ protocol: 'SFTP', ok: false, error: expect.stringMatching(/SSH lab is not running/) });
  });
});
