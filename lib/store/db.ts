import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The embedded store's handle type. */
export type Db = Database.Database;

// Each entry runs once, in order; `user_version` remembers how far a database has come.
const MIGRATIONS: string[] = [
  `CREATE TABLE connections (
     id TEXT PRIMARY KEY, protocol TEXT NOT NULL, sandbox TEXT NOT NULL,
     started_at INTEGER NOT NULL, ended_at INTEGER, message_count INTEGER NOT NULL DEFAULT 0,
     client TEXT NOT NULL, label TEXT, parent TEXT);
   CREATE INDEX connections_by_protocol ON connections (protocol, started_at DESC);
   CREATE TABLE messages (
     conn TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (conn, seq));
   CREATE TABLE mails (
     id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, conn TEXT, received_at INTEGER NOT NULL,
     mail_from TEXT NOT NULL, rcpt_to TEXT NOT NULL, subject TEXT NOT NULL, size INTEGER NOT NULL,
     message_id TEXT, in_reply_to TEXT, raw BLOB NOT NULL);
   CREATE INDEX mails_by_sandbox ON mails (sandbox, received_at DESC);
   CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL);`,
];

/** Opens (creating if needed) the lab database in `dataDir`, with WAL and migrations applied. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'lab.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return db;
}
