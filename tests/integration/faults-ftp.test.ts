/**
 * Scripted FTP faults at the tap (issue 13), with curl and basic-ftp against the real ftp-srv:
 * PASV/EPSV answered with a port where nothing listens, and a data connection cut after N bytes
 * (data connections run through the same pipeline, children of their control connection).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { curl, dataConnections, login, startFtpTestLab, TEST_PASSWORD, transcript } from './ftp-helpers.ts';
import { MessageLog, setFault } from './faults-helpers.ts';

const payload = Buffer.alloc(64 * 1024, 'abcdefghij');

describe('scripted FTP faults', () => {
  let lab: TestLab;
  let log: MessageLog;
  const url = (file = '') => `ftp://student:${TEST_PASSWORD}@127.0.0.1:${lab.port('ftp')}/${file}`;

  beforeAll(async () => {
    lab = await startFtpTestLab();
    log = new MessageLog(lab.daemon.bus);
    fs.writeFileSync(path.join(sandboxRoot(lab.dataDir, 'local'), 'big.bin'), payload);
  });
  afterAll(async () => {
    log?.dispose();
    await lab?.stop();
  });
  afterEach(async () => {
    for (const rule of ['ftp.pasv-unreachable', 'ftp.data-drop']) await setFault(lab, { rule, enabled: false });
  });

  it('rewrites 229/227 to a port where nothing listens: curl cannot open the data connection, and the transcript says the lab did it', async () => {
    await setFault(lab, { rule: 'ftp.pasv-unreachable', enabled: true });
    const listed = await curl(['-l', url()]);
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(/connect|Failed/i);
    const rewritten = await log.find((m) => m.injected?.rule === 'ftp.pasv-unreachable', 'a rewritten passive reply');
    expect(rewritten).toMatchObject({ dir: 'server', kind: 'reply', annotation: { key: 'fault.ftp.pasv-unreachable', title: 'injected by the lab: PASV answers an unreachable address' } });
    expect(rewritten.text).toMatch(/^229 .*\(\|\|\|1\|\)|^227 .*\(127,0,0,1,0,1\)/);
    expect(rewritten.fields?.find((f) => f.name === 'the server said')?.value).toMatch(/^22[79] /);

    // Disarmed, the same client lists again.
    await setFault(lab, { rule: 'ftp.pasv-unreachable', enabled: false });
    const again = await curl(['-l', url()]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.toString()).toContain('big.bin');
  });

  it('cuts a data connection after N bytes (param), once with times=1; the next download is whole', async () => {
    await setFault(lab, { rule: 'ftp.data-drop', enabled: true, times: 1, param: 1000 });
    const cut = await curl([url('big.bin')]);
    expect(cut.code).not.toBe(0);
    expect(cut.stdout.length).toBeLessThanOrEqual(1000);
    const note = await log.find((m) => m.injected?.rule === 'ftp.data-drop', 'the cut note');
    expect(note.text).toBe('The lab cut this data connection after 1,000 bytes (both sides reset).');
    expect(note.annotation?.key).toBe('fault.ftp.data-drop');
    // The note sits on the data connection, a child of its control connection.
    const { connection } = await transcript(lab, note.conn);
    expect(connection.parent).toBeTruthy();

    const whole = await curl([url('big.bin')]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout.equals(payload)).toBe(true);
  });

  it('armed for one control connection, it cuts only that connection’s data connections', async () => {
    const a = await login(lab);
    const b = await login(lab);
    await setFault(lab, { rule: 'ftp.data-drop', enabled: true, scope: 'connection', conn: a.conn, param: 2000 });
    const sink = () => {
      const chunks: Buffer[] = [];
      return { stream: new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }), bytes: () => Buffer.concat(chunks) };
    };
    const fromB = sink();
    await b.client.downloadTo(fromB.stream, 'big.bin');
    expect(fromB.bytes().equals(payload)).toBe(true);
    const fromA = sink();
    // In stream mode the close of the data connection IS the end of the file: whether the server had
    // handed everything over (226) or noticed the cut (426), the client has only what came before it.
    const outcome = await a.client.downloadTo(fromA.stream, 'big.bin').then((r) => String(r.code), (e: Error) => e.message);
    expect(outcome).toMatch(/226|426|ECONNRESET|closed/);
    expect(fromA.bytes().length).toBeLessThanOrEqual(2000);
    const cutData = (await dataConnections(lab, a.conn)).map((c) => c.id);
    expect(log.messages.some((m) => cutData.includes(m.conn) && m.injected?.rule === 'ftp.data-drop')).toBe(true);
    expect((await dataConnections(lab, b.conn)).some((c) => log.of(c.id).some((m) => m.injected))).toBe(false);
    a.client.close();
    b.client.close();
  });
});
