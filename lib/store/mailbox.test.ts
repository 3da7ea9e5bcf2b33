/**
 * Mail delivered in a burst is stored in one transaction, and each delivery still gets its own
 * verdict: it resolves once its mail is stored, or rejects alone when its row cannot be.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import { openDatabase, type Db } from './db.ts';
import { MailboxStore } from './mailbox.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(): { db: Db; mailbox: MailboxStore; bus: Bus; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-mailbox-'));
  dirs.push(dir);
  const db = openDatabase(dir);
  const bus = new Bus();
  return { db, mailbox: new MailboxStore(db, bus), bus, file: path.join(dir, 'lab.sqlite') };
}

const mail = (subject: string) => ({ sandbox: 'local', conn: null, from: 'student@lab.test', to: ['alice@lab.test'], raw: Buffer.from(`Subject: ${subject}\r\n\r\nhello\r\n`) });

describe('MailboxStore.deliver', () => {
  it('stores a burst of mails in one transaction, each listed once its delivery resolves', async () => {
    const { db, mailbox, file } = open();
    // At each insert, how many mails a second connection sees committed: 0 every time if the
    // burst is one transaction, 0, 1, 2… if each mail were committed alone.
    const other = new Database(file, { readonly: true });
    const committedCount = other.prepare(`SELECT COUNT(*) AS n FROM mails`);
    db.function('committed', () => (committedCount.get() as { n: number }).n);
    db.exec(`CREATE TEMP TABLE seen (committed INTEGER); CREATE TEMP TRIGGER mark AFTER INSERT ON main.mails BEGIN INSERT INTO seen VALUES (committed()); END;`);
    const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => mailbox.deliver(mail(`burst ${i}`))));
    expect(stored.map((m) => m.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${i}`));
    expect((db.prepare(`SELECT committed FROM seen`).all() as { committed: number }[]).map((r) => r.committed)).toEqual(Array.from({ length: 20 }, () => 0));
    expect((committedCount.get() as { n: number }).n).toBe(20);
    other.close();
  });

  it('rejects only the delivery whose row cannot be stored', async () => {
    const { db, mailbox } = open();
    db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.mails WHEN NEW.subject = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END;`);
    const outcomes = await Promise.allSettled(['first', 'refused', 'last'].map((subject) => mailbox.deliver(mail(subject))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(mailbox.list('local').map((m) => m.subject).sort()).toEqual(['first', 'last']);
  });

  it('announces each stored mail on the bus after it is stored', async () => {
    const { mailbox, bus } = open();
    const seen: string[] = [];
    bus.subscribe((event) => {
      if (event.type === 'mail') seen.push(`${event.mail.subject}:${mailbox.list('local').some((m) => m.id === event.mail.id)}`);
    });
    await Promise.all([mailbox.deliver(mail('a')), mailbox.deliver(mail('b'))]);
    expect(seen).toEqual(['a:true', 'b:true']);
  });
});
