/**
 * The Channels tab pairs each data connection with the command it carried. A PASV whose data
 * connection is never used (the next PASV replaces it) must not shift that pairing: the walk saw
 * the unused 0-byte connection labelled "LIST 150 → 226 ✓" and the real listing "waiting for reply".
 * These drive the lab's console as the student did and build the tab's picture from the transcripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChannelPicture } from '../../components/ftp/lanes.ts';
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

const replies = (messages: LabMessage[], code: string) => messages.filter((m) => m.dir === 'server' && m.text.startsWith(`${code} `)).length;

/** The Channels tab's picture of a control connection, from the lab's records. */
async function picture(conn: string) {
  const control = (await transcript(lab, conn)).connection;
  const children = await dataConnections(lab, conn);
  const messages = new Map<string, LabMessage[]>();
  for (const c of [control, ...children]) messages.set(c.id, (await transcript(lab, c.id)).messages.sort((a, b) => a.seq - b.seq));
  return buildChannelPicture(control, [control, ...children], (id) => messages.get(id) ?? [], Date.now());
}

/** Waits until every data connection under `conn` has closed and been summarised. */
async function settled(conn: string, count: number): Promise<void> {
  for (;;) {
    const children = await dataConnections(lab, conn);
    if (children.length >= count && children.every((c) => c.endedAt)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The lab's FTP console, logged in as the lab user. */
async function loggedInConsole() {
  const c = openFtpConsole(lab);
  const conn = await c.conn();
  c.console.sendLine('USER student');
  c.console.sendLine(`PASS ${TEST_PASSWORD}`);
  await untilMessages(lab, conn, (m) => replies(m, '230') === 1);
  return { c, conn };
}

describe('FTP Channels tab after an unused PASV', () => {
  it('PASV, PASV, LIST, PASV, RETR: each lane shows its own command and replies; the unused one none', async () => {
    const c = openFtpConsole(lab);
    const conn = await c.conn();
    const until = (done: (m: LabMessage[]) => boolean) => untilMessages(lab, conn, done);
    c.console.sendLine('USER student');
    c.console.sendLine(`PASS ${TEST_PASSWORD}`);
    await until((m) => replies(m, '230') === 1);
    c.console.sendLine('PASV');
    await until((m) => m.filter((x) => x.text.startsWith('Data connection opened')).length === 1);
    c.console.sendLine('PASV');
    await until((m) => m.filter((x) => x.text.startsWith('Data connection opened')).length === 2);
    c.console.sendLine('LIST');
    await until((m) => replies(m, '226') === 1);
    c.console.sendLine('PASV');
    await until((m) => m.filter((x) => x.text.startsWith('Data connection opened')).length === 3);
    c.console.sendLine('RETR README.txt');
    await until((m) => replies(m, '226') === 2);
    await settled(conn, 3);
    const p = await picture(conn);
    c.console.close();

    const lanes = p.lanes.map((l) => ({ command: l.command, reply: l.replyCode, down: l.bytesDown > 0 }));
    expect(lanes).toEqual([
      { command: null, reply: null, down: false },
      { command: 'LIST', reply: 226, down: true },
      { command: 'RETR README.txt', reply: 226, down: true },
    ]);
    expect(p.transfers.map((t) => [t.text, t.preliminary?.slice(0, 3), t.replyCode, t.lane])).toEqual([
      ['LIST', '150', 226, p.lanes[1].id],
      ['RETR README.txt', '150', 226, p.lanes[2].id],
    ]);
  });

  it('PASV, PASV, LIST typed at once: LIST goes on the second PASV\'s connection, and gets 150 → 226, not 227', async () => {
    const { c, conn } = await loggedInConsole();
    c.console.sendLine('PASV');
    c.console.sendLine('PASV');
    c.console.sendLine('LIST');
    const messages = await untilMessages(lab, conn, (m) => replies(m, '226') + replies(m, '425') === 1);
    expect(replies(messages, '226')).toBe(1);
    const opened = messages.filter((x) => x.text.startsWith('Data connection opened'));
    await settled(conn, opened.length);
    const p = await picture(conn);
    c.console.close();

    const list = p.transfers.find((t) => t.text === 'LIST');
    expect([list?.preliminary?.slice(0, 3), list?.replyCode]).toEqual(['150', 226]);
    const used = p.lanes.filter((l) => l.command === 'LIST');
    expect(used.map((l) => [l.replyCode, l.bytesDown > 0])).toEqual([[226, true]]);
    // The second 227's port carried the listing.
    const ports = messages.filter((m) => m.dir === 'server' && m.text.startsWith('227 ')).map((m) => m.text);
    const second = /(\d+),(\d+)\)/.exec(ports[1] ?? '');
    expect(used[0].to).toBe(`server :${Number(second?.[1]) * 256 + Number(second?.[2])}`);
  });

  it('PASV, PASV, STOR typed at once: the console uploads on the connection the server uses (the second 227\'s)', async () => {
    const { c, conn } = await loggedInConsole();
    c.console.sendLine('PASV');
    c.console.sendLine('PASV');
    c.console.sendLine('STOR pipelined.txt');
    const messages = await untilMessages(lab, conn, (m) => m.some((x) => x.dir === 'server' && /^(226|4\d\d|5\d\d) /.test(x.text) && x.seq > (m.find((y) => y.text === 'STOR pipelined.txt')?.seq ?? Infinity)));
    expect(messages.filter((m) => m.dir === 'server').map((m) => m.text.slice(0, 3)).slice(-2)).toEqual(['150', '226']);
    await settled(conn, messages.filter((x) => x.text.startsWith('Data connection opened')).length);
    const p = await picture(conn);
    c.console.close();
    expect(p.lanes.filter((l) => l.command === 'STOR pipelined.txt').map((l) => [l.replyCode, l.bytesUp > 0])).toEqual([[226, true]]);
  });
});
