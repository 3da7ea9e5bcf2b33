import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { SANDBOX_ID, SandboxDirectory, SandboxLimitError } from './directory.ts';

const open: { db: Db; dir: string }[] = [];
afterEach(() => {
  for (const { db, dir } of open.splice(0)) {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function database(): { db: Db; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-dir-'));
  const entry = { db: openDatabase(dir), dir };
  open.push(entry);
  return entry;
}

const options = { defaultSandbox: 'local', defaultLogin: { user: 'student', password: 'lab-pw' }, maxSandboxes: 3 };

describe('SandboxDirectory', () => {
  it('gives each new sandbox a readable id, its own password and a browser token that opens it', () => {
    const directory = new SandboxDirectory(database().db, options);
    const a = directory.create();
    const b = directory.create();
    expect(a.account.id).toMatch(SANDBOX_ID);
    expect(a.account.id).not.toBe(b.account.id);
    expect(a.account.password).not.toBe(b.account.password);
    expect(directory.ofToken(a.token)).toBe(a.account.id);
    expect(directory.ofToken(b.token)).toBe(b.account.id);
    expect(directory.ofToken('forged-token')).toBeNull();
  });

  it("maps a login to its sandbox: a student's id and password, or the lab's own credentials to the default", () => {
    const directory = new SandboxDirectory(database().db, options);
    const a = directory.create().account;
    const b = directory.create().account;
    expect(directory.sandboxOfLogin(a.id, a.password)).toBe(a.id);
    expect(directory.sandboxOfLogin('student', 'lab-pw')).toBe('local');
    expect(directory.sandboxOfLogin(a.id, b.password)).toBeNull();
    expect(directory.sandboxOfLogin(b.id, 'lab-pw')).toBeNull();
    expect(directory.sandboxOfLogin('local', 'lab-pw')).toBeNull();
    expect(directory.loginOf(a.id)).toEqual({ user: a.id, password: a.password });
    expect(directory.loginOf('local')).toEqual({ user: 'student', password: 'lab-pw' });
    expect(directory.loginOf('nosuch')).toBeNull();
  });

  it('reopens a sandbox in another browser only with its password, and keeps everything across a restart', () => {
    const { db } = database();
    const first = new SandboxDirectory(db, options);
    const { account, token } = first.create();
    expect(first.open(account.id, 'wrong')).toBeNull();
    const second = first.open(account.id, account.password);
    expect(second).not.toBeNull();
    const restarted = new SandboxDirectory(db, options);
    expect(restarted.ofToken(token)).toBe(account.id);
    expect(restarted.ofToken(second ?? '')).toBe(account.id);
    expect(restarted.sandboxOfLogin(account.id, account.password)).toBe(account.id);
    // The database keeps only hashes of the tokens.
    const stored = db.prepare(`SELECT token_hash FROM sandbox_tokens`).all() as { token_hash: string }[];
    expect(stored.map((row) => row.token_hash)).not.toContain(token);
  });

  it('refuses a sandbox beyond the limit, and a removed sandbox opens nothing', () => {
    const directory = new SandboxDirectory(database().db, options);
    const made = [directory.create(), directory.create(), directory.create()];
    expect(() => directory.create()).toThrow(SandboxLimitError);
    const { account, token } = made[0];
    expect(directory.remove(account.id)).toBe(true);
    expect(directory.ofToken(token)).toBeNull();
    expect(directory.sandboxOfLogin(account.id, account.password)).toBeNull();
    expect(directory.exists(account.id)).toBe(false);
    expect(directory.create().account.id).toMatch(SANDBOX_ID);
  });

  it('lists sandboxes idle since a time (visits are noted at most once a minute)', () => {
    let now = 1_000_000;
    const directory = new SandboxDirectory(database().db, { ...options, now: () => now });
    const a = directory.create();
    const b = directory.create();
    now += 10 * 60_000;
    directory.ofToken(a.token);
    expect(directory.idleSince(now - 60_000)).toEqual([b.account.id]);
  });

  it('shows every visit at once (the roster\'s "last seen"), but writes it to the store at most once a minute', () => {
    let now = 1_000_000;
    const { db } = database();
    const directory = new SandboxDirectory(db, { ...options, now: () => now });
    const a = directory.create();
    const stored = () => (db.prepare(`SELECT last_seen FROM sandboxes WHERE id = ?`).get(a.account.id) as { last_seen: number }).last_seen;
    now += 70_000;
    directory.ofToken(a.token);
    expect([directory.get(a.account.id)?.lastSeen, stored()]).toEqual([now, now]);
    now += 20_000;
    directory.sandboxOfLogin(a.account.id, a.account.password);
    // Seen 20 s after the write: the roster says so, the store keeps the minute-old value.
    expect([directory.get(a.account.id)?.lastSeen, stored()]).toEqual([now, now - 20_000]);
  });
});
