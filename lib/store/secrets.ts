import type { Db } from './db.ts';

/**
 * Generated-once material (TLS certificate, SSH host keys) kept in the store so that a
 * restart presents the same identity — students' known_hosts stay valid.
 */
export class SecretStore {
  constructor(private readonly db: Db) {}

  get(name: string): string | null {
    const row = this.db.prepare(`SELECT value FROM secrets WHERE name = ?`).get(name) as { value: string } | undefined;
    return row?.value ?? null;
  }

  set(name: string, value: string): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO secrets (name, value, created_at) VALUES (?, ?, ?)`)
      .run(name, value, Date.now());
  }

  /** Returns the stored value, generating and storing it on first use. */
  async getOrCreate(name: string, create: () => string | Promise<string>): Promise<string> {
    const existing = this.get(name);
    if (existing !== null) return existing;
    const value = await create();
    this.set(name, value);
    return value;
  }
}
