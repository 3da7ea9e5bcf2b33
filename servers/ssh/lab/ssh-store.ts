/**
 * Per-sandbox SSH state in the lab database: the browser terminal's known_hosts (OpenSSH line
 * format), the server's authorized_keys, and key pairs generated for the student. The tables are
 * the SSH lab's own migrations (sshLab.migrations), which the daemon applies before the lab starts.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../lib/store/db.ts';
import type { LabMigrations } from '../../../lib/store/lab-migrations.ts';

/** One known_hosts line as the UI lists it. */
export interface KnownHostLine {
  /** 1-based line number, as OpenSSH names it ("Offending key in known_hosts:3"). */
  line: number;
  id: number;
  host: string;
  keyType: string;
  keyBase64: string;
  /** The whole line in OpenSSH format: `[127.0.0.1]:2222 ssh-ed25519 AAAA…`. */
  text: string;
  addedAt: number;
}

/** A key pair generated for the student. */
export interface UserKey {
  id: string;
  name: string;
  publicKey: string;
  privateKey: string;
  fingerprint: string;
  createdAt: number;
}

/** One authorized_keys line. */
export interface AuthorizedKey {
  id: number;
  line: string;
  addedAt: number;
}

/**
 * The SSH lab's tables, append only. The first keeps IF NOT EXISTS: databases from before per-lab
 * migrations already have these tables, created by an earlier SshStore.
 */
export const SSH_MIGRATIONS: LabMigrations = [
  `CREATE TABLE IF NOT EXISTS ssh_known_hosts (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, host TEXT NOT NULL,
     key_type TEXT NOT NULL, key_base64 TEXT NOT NULL, added_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS ssh_authorized_keys (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, line TEXT NOT NULL, added_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS ssh_user_keys (
     id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, name TEXT NOT NULL, public_key TEXT NOT NULL,
     private_key TEXT NOT NULL, fingerprint TEXT NOT NULL, created_at INTEGER NOT NULL);`,
];

/** SSH lab persistence (its tables exist once the daemon has run SSH_MIGRATIONS). */
export class SshStore {
  constructor(private readonly db: Db) {}

  knownHosts(sandbox: string): KnownHostLine[] {
    const rows = this.db.prepare(`SELECT * FROM ssh_known_hosts WHERE sandbox = ? ORDER BY id`).all(sandbox) as {
      id: number;
      host: string;
      key_type: string;
      key_base64: string;
      added_at: number;
    }[];
    return rows.map((r, i) => ({
      line: i + 1,
      id: r.id,
      host: r.host,
      keyType: r.key_type,
      keyBase64: r.key_base64,
      text: `${r.host} ${r.key_type} ${r.key_base64}`,
      addedAt: r.added_at,
    }));
  }

  addKnownHost(sandbox: string, host: string, keyType: string, keyBase64: string): void {
    this.db
      .prepare(`INSERT INTO ssh_known_hosts (sandbox, host, key_type, key_base64, added_at) VALUES (?, ?, ?, ?, ?)`)
      .run(sandbox, host, keyType, keyBase64, Date.now());
  }

  /** Removes one line by its 1-based number; returns whether it existed. */
  removeKnownHostLine(sandbox: string, line: number): boolean {
    const entry = this.knownHosts(sandbox).find((l) => l.line === line);
    if (!entry) return false;
    this.db.prepare(`DELETE FROM ssh_known_hosts WHERE id = ?`).run(entry.id);
    return true;
  }

  /** `ssh-keygen -R host`: removes every line for `host`; returns the removed line numbers. */
  removeKnownHost(sandbox: string, host: string): number[] {
    const lines = this.knownHosts(sandbox).filter((l) => l.host === host);
    const remove = this.db.prepare(`DELETE FROM ssh_known_hosts WHERE id = ?`);
    for (const l of lines) remove.run(l.id);
    return lines.map((l) => l.line);
  }

  authorizedKeys(sandbox: string): AuthorizedKey[] {
    const rows = this.db.prepare(`SELECT id, line, added_at FROM ssh_authorized_keys WHERE sandbox = ? ORDER BY id`).all(sandbox) as {
      id: number;
      line: string;
      added_at: number;
    }[];
    return rows.map((r) => ({ id: r.id, line: r.line, addedAt: r.added_at }));
  }

  addAuthorizedKey(sandbox: string, line: string): void {
    this.db.prepare(`INSERT INTO ssh_authorized_keys (sandbox, line, added_at) VALUES (?, ?, ?)`).run(sandbox, line.trim(), Date.now());
  }

  removeAuthorizedKey(sandbox: string, id: number): boolean {
    return this.db.prepare(`DELETE FROM ssh_authorized_keys WHERE sandbox = ? AND id = ?`).run(sandbox, id).changes > 0;
  }

  userKeys(sandbox: string): UserKey[] {
    const rows = this.db.prepare(`SELECT * FROM ssh_user_keys WHERE sandbox = ? ORDER BY created_at DESC`).all(sandbox) as {
      id: string;
      name: string;
      public_key: string;
      private_key: string;
      fingerprint: string;
      created_at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      publicKey: r.public_key,
      privateKey: r.private_key,
      fingerprint: r.fingerprint,
      createdAt: r.created_at,
    }));
  }

  addUserKey(sandbox: string, key: Omit<UserKey, 'id' | 'createdAt'>): UserKey {
    const stored: UserKey = { ...key, id: randomBytes(6).toString('base64url'), createdAt: Date.now() };
    this.db
      .prepare(`INSERT INTO ssh_user_keys (id, sandbox, name, public_key, private_key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(stored.id, sandbox, stored.name, stored.publicKey, stored.privateKey, stored.fingerprint, stored.createdAt);
    return stored;
  }
}
