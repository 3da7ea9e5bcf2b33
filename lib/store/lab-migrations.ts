/**
 * Each lab's own tables, migrated like the core schema (db.ts) but versioned per lab: a lab declares
 * its migrations in its module, and the daemon applies the ones a database has not seen before the
 * lab starts. A new lab adds tables without touching the core migration list, and labs never
 * depend on each other's schema version.
 */
import type { Db } from './db.ts';

/** A lab's migrations: SQL scripts run once each, in order. Append only; never edit a shipped one. */
export type LabMigrations = readonly string[];

/** Lab ids are config keys and URL slugs; the check keeps a typo from creating a stray version row. */
const LAB_ID = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Applies the migrations of `lab` that this database has not run yet, each in its own transaction
 * with its version bump, so a failing script leaves the database at the last good version.
 * Returns how many ran. A database that has run more migrations than the lab declares (a newer
 * version of the lab wrote it) is refused rather than silently used.
 */
export function migrateLab(db: Db, lab: string, migrations: LabMigrations): number {
  if (!LAB_ID.test(lab)) throw new Error(`Invalid lab id for migrations: ${JSON.stringify(lab)}`);
  db.exec(`CREATE TABLE IF NOT EXISTS lab_schema (lab TEXT PRIMARY KEY, version INTEGER NOT NULL)`);
  const row = db.prepare(`SELECT version FROM lab_schema WHERE lab = ?`).get(lab) as { version: number } | undefined;
  const version = row?.version ?? 0;
  if (version > migrations.length) {
    throw new Error(
      `The ${lab} lab's tables in this data directory are at version ${version}, newer than this lab knows (${migrations.length}); use a newer Protocol Lab or another LAB_DATA_DIR.`,
    );
  }
  const record = db.prepare(`INSERT INTO lab_schema (lab, version) VALUES (?, ?) ON CONFLICT (lab) DO UPDATE SET version = excluded.version`);
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]);
      record.run(lab, i + 1);
    })();
  }
  return migrations.length - version;
}
