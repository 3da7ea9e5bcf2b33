/**
 * ftp.data-drop on a file too large to be handed over before the cut: the server's side of the data
 * connection is reset as a real dropped connection is, so ftp-srv answers the RETR 426, not 226
 * (the client, basic-ftp, sees the failure instead of a short file that says "complete").
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { FTPError } from 'basic-ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { login, startFtpTestLab, untilMessages } from './ftp-helpers.ts';
import { MessageLog, setFault } from './faults-helpers.ts';

/** 8 MB: far more than the server can have written into the data connection before a cut at 1,000 bytes. */
const payload = Buffer.alloc(8 * 1024 * 1024, 'abcdefghij');

describe('ftp.data-drop on a large download', () => {
  let lab: TestLab;
  let log: MessageLog;

  beforeAll(async () => {
    lab = await startFtpTestLab();
    log = new MessageLog(lab.daemon.bus);
    fs.writeFileSync(path.join(sandboxRoot(lab.dataDir, 'local'), 'large.bin'), payload);
  }, 60_000);
  afterAll(async () => {
    log?.dispose();
    await lab?.stop();
  });

  it('the RETR is answered 426 and the client has only the bytes before the cut', async () => {
    const { client, conn } = await login(lab);
    await setFault(lab, { rule: 'ftp.data-drop', enabled: true, times: 1, param: 1000 });
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) });
    const outcome = await client.downloadTo(sink, 'large.bin').then((r) => r, (e: unknown) => e);
    // basic-ftp resolves on a 2xx (it had resolved "226 Transfer complete" with 1,000 of 8 MB) and rejects on a 4xx.
    expect(outcome).toMatchObject({ code: 426 });
    expect(outcome).toBeInstanceOf(FTPError);
    expect(Buffer.concat(chunks).length).toBeLessThanOrEqual(1000);
    // The control connection's transcript: the transfer's reply is 426, and no 226 follows the cut.
    const messages = await untilMessages(lab, conn, (ms) => ms.some((m) => m.dir === 'server' && /^4\d\d /.test(m.text)));
    const replies = messages.filter((m) => m.view === 'wire' && m.dir === 'server' && m.kind === 'reply').map((m) => m.text);
    expect(replies.at(-1)).toMatch(/^426 /);
    expect(replies.some((r) => r.startsWith('226 '))).toBe(false);
    client.close();
  }, 60_000);

  it('a STOR cut the same way is answered 426 and leaves no short file behind', async () => {
    const { client, conn } = await login(lab);
    await setFault(lab, { rule: 'ftp.data-drop', enabled: true, times: 1, param: 1000 });
    // basic-ftp gives up on its own reset data socket (ECONNRESET) without waiting for the reply; the transcript has it.
    const outcome = await client.uploadFrom(Readable.from([payload]), 'upload.bin').then((r) => r, (e: unknown) => e);
    expect(outcome).toMatchObject({ code: expect.stringMatching(/^ECONNRESET$|^426$/) });
    const messages = await untilMessages(lab, conn, (ms) => ms.some((m) => m.dir === 'server' && /^4\d\d /.test(m.text)));
    const replies = messages.filter((m) => m.view === 'wire' && m.dir === 'server' && m.kind === 'reply').map((m) => m.text);
    // (basic-ftp quits after its failure: 221 may follow.)
    expect(replies.filter((r) => /^(226|426) /.test(r)).map((r) => r.slice(0, 3))).toEqual(['426']);
    expect(fs.existsSync(path.join(sandboxRoot(lab.dataDir, 'local'), 'upload.bin'))).toBe(false);
    client.close();
  }, 60_000);
});
