import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateLab } from './lab-migrations.ts';

const columns = (db: Database.Database, table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('per-lab migrations', () => {
  it('runs each migration once, in order, and only the new ones on the next start', () => {
    const db = new Database(':memory:');
    expect(migrateLab(db, 'zmq', [`CREATE TABLE zmq_keys (sandbox TEXT)`])).toBe(1);
    db.prepare(`INSERT INTO zmq_keys VALUES ('local')`).run();
    // A later version of the lab appends a migration: only that one runs, and the data stays.
    expect(migrateLab(db, 'zmq', [`CREATE TABLE zmq_keys (sandbox TEXT)`, `ALTER TABLE zmq_keys ADD COLUMN z85 TEXT`])).toBe(1);
    expect(columns(db, 'zmq_keys')).toEqual(['sandbox', 'z85']);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM zmq_keys`).get()).toEqual({ n: 1 });
    expect(migrateLab(db, 'zmq', [`CREATE TABLE zmq_keys (sandbox TEXT)`, `ALTER TABLE zmq_keys ADD COLUMN z85 TEXT`])).toBe(0);
  });

  it("keeps each lab's version apart", () => {
    const db = new Database(':memory:');
    migrateLab(db, 'ssh', [`CREATE TABLE a (x)`, `CREATE TABLE b (x)`]);
    expect(migrateLab(db, 'zmq', [`CREATE TABLE c (x)`])).toBe(1);
    expect(db.prepare(`SELECT lab, version FROM lab_schema ORDER BY lab`).all()).toEqual([
      { lab: 'ssh', version: 2 },
      { lab: 'zmq', version: 1 },
    ]);
  });

  it('leaves the database at the last good version when a migration fails, and says so', () => {
    const db = new Database(':memory:');
    expect(() => migrateLab(db, 'ftp', [`CREATE TABLE ok (x)`, `CREATE TABLE ok (x)`])).toThrow(/already exists/);
    expect(db.prepare(`SELECT version FROM lab_schema WHERE lab = 'ftp'`).get()).toEqual({ version: 1 });
  });

  it('refuses a database written by a newer version of the lab, and a malformed lab id', () => {
    const db = new Database(':memory:');
    migrateLab(db, 'soap', [`CREATE TABLE s1 (x)`, `CREATE TABLE s2 (x)`]);
    expect(() => migrateLab(db, 'soap', [`CREATE TABLE s1 (x)`])).toThrow(/newer than this lab knows/);
    expect(() => migrateLab(db, "x'; DROP TABLE lab_schema; --", [])).toThrow(/Invalid lab id/);
  });
});
