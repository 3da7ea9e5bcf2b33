/**
 * The order of a transfer on the control connection is the order on the wire (issue 8, "Shown
 * wrong in the UI"): the data connection opens before the server's 150, and it closes — the
 * sender's close is the end of the data in stream mode (RFC 959 §3.4.1) — before the 226 that
 * says "Closing data connection" (§4.2). The lab's notes about the data connection are recorder
 * notes on the control connection, so their seq places them; nothing is merged by time.
 */
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { login, startFtpTestLab, transcript } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** The control connection's messages once `count` replies with `code` are stored (in either view). */
async function untilReplies(lab: TestLab, conn: string, code: string, count: number): Promise<LabMessage[]> {
  for (;;) {
    const { messages } = await transcript(lab, conn);
    if (messages.filter((m) => m.dir === 'server' && m.text.startsWith(`${code} `)).length >= count) return messages;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** For each transfer command: the seq of its opened note, 150, end-of-data note and 226, in that order. */
function transfers(messages: LabMessage[], verbs: string[]): { command: string; seqs: Record<string, number>; eof: LabMessage }[] {
  const wire = messages.filter((m) => m.view === 'wire').sort((a, b) => a.seq - b.seq);
  return verbs.map((verb) => {
    const at = wire.findIndex((m) => m.dir === 'client' && m.text.startsWith(verb));
    expect(at, `${verb} sent`).toBeGreaterThanOrEqual(0);
    // basic-ftp connects to the announced port before it sends the command: look from the 229.
    const from = wire.findLastIndex((m, i) => i < at && m.dir === 'server' && /^22[79] /.test(m.text));
    const after = wire.slice(from + 1);
    const find = (test: (m: LabMessage) => boolean, what: string) => {
      const found = after.find(test);
      if (!found) throw new Error(`${verb}: no ${what} in ${after.map((m) => m.text).join(' | ')}`);
      return found;
    };
    const opened = find((m) => m.dir === 'note' && m.text.startsWith('Data connection opened'), 'opened note');
    const preliminary = find((m) => m.dir === 'server' && m.text.startsWith('150 '), '150');
    const eof = find((m) => m.dir === 'note' && m.annotation?.key === 'ftp.data.eof', 'end-of-data note');
    const done = find((m) => m.dir === 'server' && m.text.startsWith('226 '), '226');
    return { command: wire[at].text, seqs: { opened: opened.seq, '150': preliminary.seq, eof: eof.seq, '226': done.seq }, eof };
  });
}

describe('FTP transfer order on the control connection', () => {
  it('passive LIST, RETR and STOR with basic-ftp: opened < 150 < end of data < 226', async () => {
    const { client, conn } = await login(lab);
    try {
      await client.uploadFrom(Readable.from([Buffer.from('first line\nsecond line\n')]), 'order.txt');
      await client.list();
      const chunks: Buffer[] = [];
      await client.downloadTo(new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }), 'order.txt');
      expect(Buffer.concat(chunks).toString()).toBe('first line\nsecond line\n');
    } finally {
      client.close();
    }
    const messages = await untilReplies(lab, conn, '226', 3);
    const [stor, list, retr] = transfers(messages, ['STOR', 'LIST', 'RETR']);
    for (const t of [stor, list, retr]) {
      const { opened, eof } = t.seqs;
      expect([opened, t.seqs['150'], eof, t.seqs['226']], t.command).toEqual([...[opened, t.seqs['150'], eof, t.seqs['226']]].sort((a, b) => a - b));
    }
    // Who closed first is the sender; the note quotes what an eavesdropper read.
    expect(stor.eof.text).toMatch(/^Data connection closed by the client after 23 bytes/);
    expect(retr.eof.text).toMatch(/^Data connection closed by the server after 23 bytes in clear text:\n {2}first line\n {2}second line$/);
    expect(list.eof.text).toContain('order.txt');
  });

  it('FTPS with PROT P: the end-of-data note names TLS records and quotes nothing', async () => {
    const { client, conn } = await login(lab, { secure: true });
    try {
      await client.uploadFrom(Readable.from([Buffer.from('a secret line\n')]), 'secret.txt');
      await client.downloadTo(new Writable({ write: (_c, _e, done) => done() }), 'secret.txt');
    } finally {
      client.close();
    }
    const messages = await untilReplies(lab, conn, '226', 2);
    // After AUTH TLS the replies are read from the server's side (endpoint view): order those.
    const endpoint = messages.filter((m) => m.view === 'endpoint' || m.dir === 'note').sort((a, b) => a.seq - b.seq);
    const retr = endpoint.findIndex((m) => m.dir === 'client' && m.text.startsWith('RETR'));
    const eof = endpoint.findIndex((m, i) => i > retr && m.annotation?.key === 'ftp.data.eof');
    const done = endpoint.findIndex((m, i) => i > retr && m.text.startsWith('226 '));
    expect(eof).toBeGreaterThan(retr);
    expect(done).toBeGreaterThan(eof);
    expect(endpoint[eof].text).toMatch(/^Data connection closed by the server: [\d,]+ bytes of TLS records\.\nPROT P: /);
    expect(messages.filter((m) => m.view === 'wire').map((m) => m.text).join('\n')).not.toContain('a secret line');
  });
});
