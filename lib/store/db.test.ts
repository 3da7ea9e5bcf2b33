import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempParent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-db-'));
  dirs.push(dir);
  return dir;
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const FILES = ['lab.sqlite', 'lab.sqlite-wal', 'lab.sqlite-shm'];

describe('openDatabase file modes', () => {
  it('creates the data dir 0700 and the database, WAL and shared-memory files 0600', () => {
    const dataDir = path.join(tempParent(), 'data');
    const db = openDatabase(dataDir);
    try {
      db.prepare(`INSERT INTO secrets (name, value, created_at) VALUES ('x', 'y', 0)`).run();
      expect(mode(dataDir)).toBe(0o700);
      for (const name of FILES) expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
    } finally {
      db.close();
    }
  });

  it('tightens a data dir and database an older version left 0755 and 0644', () => {
    const dataDir = path.join(tempParent(), 'data');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    // What the previous version left behind: a world-readable WAL database.
    const old = new Database(path.join(dataDir, 'lab.sqlite'));
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE t (x)`);
    old.close();
    fs.chmodSync(path.join(dataDir, 'lab.sqlite'), 0o644);
    expect(mode(path.join(dataDir, 'lab.sqlite'))).toBe(0o644);

    const db = openDatabase(dataDir);
    try {
      db.prepare(`INSERT INTO secrets (name, value, created_at) VALUES ('x', 'y', 0)`).run();
      expect(mode(dataDir)).toBe(0o700);
      for (const name of FILES) expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
    } finally {
      db.close();
    }
  });

  it('gives connections an older version recorded their stored size', () => {
    const dataDir = path.join(tempParent(), 'data');
    fs.mkdirSync(dataDir);
    // The version-1 tables this migration reads.
    const old = new Database(path.join(dataDir, 'lab.sqlite'));
    old.exec(`CREATE TABLE connections (
       id TEXT PRIMARY KEY, protocol TEXT NOT NULL, sandbox TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER,
       message_count INTEGER NOT NULL DEFAULT 0, client TEXT NOT NULL, label TEXT, parent TEXT);
     CREATE TABLE messages (conn TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (conn, seq));
     INSERT INTO connections (id, protocol, sandbox, started_at, client) VALUES ('c', 'smtp', 'local', 1, 'x');
     INSERT INTO messages VALUES ('c', 1, '12345'), ('c', 2, '123');
     PRAGMA user_version = 1;`);
    old.close();
    const db = openDatabase(dataDir);
    try {
      expect(db.prepare(`SELECT stored_bytes FROM connections`).get()).toEqual({ stored_bytes: 8 });
    } finally {
      db.close();
    }
  });
});
