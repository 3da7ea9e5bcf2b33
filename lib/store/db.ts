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
  // Retention: a running size per connection, and oldest-first order for pruning.
  `ALTER TABLE connections ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
   UPDATE connections SET stored_bytes = (SELECT COALESCE(SUM(length(body)), 0) FROM messages WHERE messages.conn = connections.id);
   CREATE INDEX connections_by_start ON connections (started_at);`,
  // Captures (lib/store/captures.ts): the address the client reached, the bytes each side's tap
  // forwarded (chunk by chunk, as written), where a capped capture stopped, and TLS key log lines.
  // Deleting a connection deletes its capture, whichever rule deletes it.
  `ALTER TABLE connections ADD COLUMN server TEXT;
   ALTER TABLE connections ADD COLUMN capture_truncated_at INTEGER;
   CREATE TABLE chunks (
     conn TEXT NOT NULL, seq INTEGER NOT NULL, dir TEXT NOT NULL, t REAL NOT NULL, offset INTEGER NOT NULL, data BLOB NOT NULL,
     PRIMARY KEY (conn, seq));
   CREATE TABLE keylogs (conn TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY (conn, line));
   CREATE TRIGGER connections_delete_capture AFTER DELETE ON connections BEGIN
     DELETE FROM chunks WHERE conn = OLD.id;
     DELETE FROM keylogs WHERE conn = OLD.id;
   END;`,
  // Sandboxes (lib/sandbox/directory.ts): each student's id and login password, and the browser
  // tokens that open it (kept as SHA-256, so the database alone opens no browser session); classes
  // and their join codes (lib/store/classes.ts); the teacher's browser sessions (hashed likewise).
  `CREATE TABLE sandboxes (
     id TEXT PRIMARY KEY, password TEXT NOT NULL, class_id TEXT, name TEXT,
     created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL);
   CREATE TABLE sandbox_tokens (token_hash TEXT PRIMARY KEY, sandbox TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE INDEX sandbox_tokens_by_sandbox ON sandbox_tokens (sandbox);
   CREATE TRIGGER sandboxes_delete_tokens AFTER DELETE ON sandboxes BEGIN
     DELETE FROM sandbox_tokens WHERE sandbox = OLD.id;
   END;
   CREATE TABLE classes (id TEXT PRIMARY KEY, name TEXT NOT NULL, join_code TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
   CREATE TABLE teacher_sessions (token_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL);`,
  // A transcript page names its connection's children (FTP data connections, SSH-tunnelled ones).
  `CREATE INDEX connections_by_parent ON connections (parent) WHERE parent IS NOT NULL;`,
  // Connections a lab page opened for its browser (ConnectionInfo.openedByPage): 1, else NULL.
  `ALTER TABLE connections ADD COLUMN opened_by_page INTEGER;`,
  // Connections filed in the default sandbox because they ended without a login (ConnectionInfo.unclaimed): 1, else NULL.
  `ALTER TABLE connections ADD COLUMN unclaimed INTEGER;`,
];

/** The database holds the lab password, the TLS key and SSH keys: only the lab's own user may read it. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const DB_FILES = ['lab.sqlite', 'lab.sqlite-wal', 'lab.sqlite-shm'];

/** Tightens the data dir and database files, including those an older version created 0755/0644. */
function restrictModes(dataDir: string): void {
  fs.chmodSync(dataDir, DIR_MODE);
  for (const name of DB_FILES) {
    const file = path.join(dataDir, name);
    if (fs.existsSync(file)) fs.chmodSync(file, FILE_MODE);
  }
}

/** Opens (creating if needed) the lab database in `dataDir`, with WAL and migrations applied. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
  const file = path.join(dataDir, 'lab.sqlite');
  // Create the file 0600 before SQLite does: SQLite gives the -wal and -shm files the database's mode.
  fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
  restrictModes(dataDir);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A large write batch grows the WAL; truncate it back after each checkpoint instead of keeping its peak size.
  db.pragma('journal_size_limit = 16777216');
  restrictModes(dataDir);
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return db;
}
