/**
 * The sandboxes of a lab install (DESIGN.md "Sandboxes"): the default one (`local`, the machine
 * owner's, where unauthenticated external clients land) and one per student browser, each with a
 * short readable id and its own password. The id and password are the student's login for every
 * external client (SSH, SFTP, FTP, SMTP AUTH); a browser holds a random token in a cookie, kept
 * here only as its SHA-256, so a leaked database opens no browser session.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { sameSecret } from '../auth/same-secret.ts';

/** What a client logs in with. */
export interface Login {
  user: string;
  password: string;
}

/** One student sandbox. */
export interface SandboxAccount {
  id: string;
  password: string;
  /** The class it joined (none: opened on its own). */
  classId: string | null;
  /** The name its student gave when joining. */
  name: string | null;
  createdAt: number;
  lastSeen: number;
}

// No 0/o, 1/l/i: an id is read off a projector and typed into a terminal.
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const ID_LENGTH = 6;
/** A student sandbox id: also a login name and a DNS label (`<id>.lab.test`). */
export const SANDBOX_ID = /^[a-hjkmnp-z2-9]{6}$/;
/** How often a browser's visits are written back as `last_seen` (idle expiry needs minutes, not requests). */
const TOUCH_EVERY_MS = 60_000;

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

function newId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

// Two short groups are easy to read off a screen and type; 48 bits of randomness.
const newPassword = (): string => `${randomBytes(3).toString('hex')}-${randomBytes(3).toString('hex')}`;

export class SandboxDirectory {
  private readonly accounts = new Map<string, SandboxAccount>();
  private readonly tokens = new Map<string, string>();
  /** When each sandbox's last visit was last written to the store. */
  private readonly written = new Map<string, number>();
  private readonly updateLastSeen;

  constructor(
    private readonly db: Db,
    private readonly options: {
      /** The machine owner's sandbox (LAB_SANDBOX), logged into with the lab's own credentials. */
      defaultSandbox: string;
      defaultLogin: Login;
      /** Most student sandboxes at once: beyond it, new ones are refused. */
      maxSandboxes: number;
      now?: () => number;
    },
  ) {
    this.updateLastSeen = db.prepare(`UPDATE sandboxes SET last_seen = ? WHERE id = ?`);
    type Row = { id: string; password: string; class_id: string | null; name: string | null; created_at: number; last_seen: number };
    for (const row of db.prepare(`SELECT * FROM sandboxes`).all() as Row[]) {
      this.accounts.set(row.id, { id: row.id, password: row.password, classId: row.class_id, name: row.name, createdAt: row.created_at, lastSeen: row.last_seen });
      this.written.set(row.id, row.last_seen);
    }
    for (const row of db.prepare(`SELECT token_hash, sandbox FROM sandbox_tokens`).all() as { token_hash: string; sandbox: string }[]) {
      this.tokens.set(row.token_hash, row.sandbox);
    }
  }

  get defaultSandbox(): string {
    return this.options.defaultSandbox;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Opens a new student sandbox; returns it and a browser token for it. Throws when the lab is full. */
  create(init: { classId?: string; name?: string } = {}): { account: SandboxAccount; token: string } {
    if (this.accounts.size >= this.options.maxSandboxes) {
      throw new SandboxLimitError(`This lab holds ${this.options.maxSandboxes} sandboxes already (LAB_MAX_SANDBOXES); ask the teacher to remove idle ones.`);
    }
    let id = newId();
    while (this.accounts.has(id) || id === this.options.defaultSandbox) id = newId();
    const now = this.now();
    const account: SandboxAccount = { id, password: newPassword(), classId: init.classId ?? null, name: init.name ?? null, createdAt: now, lastSeen: now };
    this.db
      .prepare(`INSERT INTO sandboxes (id, password, class_id, name, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(account.id, account.password, account.classId, account.name, now, now);
    this.accounts.set(id, account);
    this.written.set(id, now);
    return { account: { ...account }, token: this.issueToken(id) };
  }

  /**
   * Puts a student's own sandbox (in no class yet) into a class under the name given, keeping its
   * mail, files and transcripts: joining must not cost a student the work already in it.
   */
  enrol(id: string, classId: string, name: string): SandboxAccount | null {
    const account = this.accounts.get(id);
    if (!account || account.classId !== null) return null;
    this.db.prepare(`UPDATE sandboxes SET class_id = ?, name = ? WHERE id = ?`).run(classId, name, id);
    account.classId = classId;
    account.name = name;
    return { ...account };
  }

  /**
   * Takes a sandbox out of its class (the teacher removed its row): it stays, with its login, mail, files and
   * transcripts, a sandbox of its own in no class. False when it is not in `classId`.
   */
  unenrol(id: string, classId: string): boolean {
    const account = this.accounts.get(id);
    if (!account || account.classId !== classId) return false;
    this.db.prepare(`UPDATE sandboxes SET class_id = NULL, name = NULL WHERE id = ?`).run(id);
    account.classId = null;
    account.name = null;
    return true;
  }

  /** Notes that a sandbox's page is in use (its WebSocket spoke): as a request with its cookie does. */
  seen(id: string): void {
    const account = this.accounts.get(id);
    if (account) this.touch(account, this.now());
  }

  /** Reopens a sandbox on another browser with its id and password: a new token, or null. */
  open(id: string, password: string): string | null {
    const account = this.accounts.get(id);
    if (!account || !sameSecret(password, account.password)) return null;
    return this.issueToken(id);
  }

  /** The sandbox a browser token opens (and notes the visit), or null for an unknown token. */
  ofToken(token: string): string | null {
    const sandbox = this.tokens.get(hashToken(token));
    const account = sandbox === undefined ? undefined : this.accounts.get(sandbox);
    if (!account) return null;
    const now = this.now();
    this.touch(account, now);
    return account.id;
  }

  /** The sandbox a login opens: a student's id and password, or the lab's own credentials (the default sandbox). */
  sandboxOfLogin(user: string, password: string): string | null {
    const { defaultLogin, defaultSandbox } = this.options;
    if (sameSecret(user, defaultLogin.user) && sameSecret(password, defaultLogin.password)) return defaultSandbox;
    const account = this.accounts.get(user);
    if (!account || !sameSecret(password, account.password)) return null;
    // A class logs in hundreds of times a minute: one write per sandbox per minute is enough for expiry.
    const now = this.now();
    this.touch(account, now);
    return account.id;
  }

  /** What a sandbox's clients log in with (the default sandbox: the lab's own credentials). */
  loginOf(sandbox: string): Login | null {
    if (sandbox === this.options.defaultSandbox) return { ...this.options.defaultLogin };
    const account = this.accounts.get(sandbox);
    return account ? { user: account.id, password: account.password } : null;
  }

  exists(sandbox: string): boolean {
    return sandbox === this.options.defaultSandbox || this.accounts.has(sandbox);
  }

  /** Whether a student sandbox exists: until one does, every connection is the default sandbox's. */
  hasStudents(): boolean {
    return this.accounts.size > 0;
  }

  get(id: string): SandboxAccount | null {
    const account = this.accounts.get(id);
    return account ? { ...account } : null;
  }

  /** Student sandboxes, oldest first; only one class's when `classId` is given. */
  list(classId?: string): SandboxAccount[] {
    return [...this.accounts.values()].filter((a) => classId === undefined || a.classId === classId).map((a) => ({ ...a }));
  }

  /** Sandboxes no browser or client has used since `before` (ms epoch). */
  idleSince(before: number): string[] {
    return [...this.accounts.values()].filter((a) => a.lastSeen < before).map((a) => a.id);
  }

  /** Forgets a sandbox and every browser token for it (its data is the caller's to remove). */
  remove(id: string): boolean {
    if (!this.accounts.delete(id)) return false;
    this.written.delete(id);
    for (const [hash, sandbox] of this.tokens) if (sandbox === id) this.tokens.delete(hash);
    this.db.prepare(`DELETE FROM sandboxes WHERE id = ?`).run(id);
    return true;
  }

  private issueToken(sandbox: string): string {
    const token = randomBytes(24).toString('base64url');
    const hash = hashToken(token);
    this.db.prepare(`INSERT INTO sandbox_tokens (token_hash, sandbox, created_at) VALUES (?, ?, ?)`).run(hash, sandbox, this.now());
    this.tokens.set(hash, sandbox);
    return token;
  }

  /**
   * Notes a visit: the roster reads it at once; the store gets it once a minute per sandbox (idle expiry
   * needs minutes, and a class logs in hundreds of times a minute).
   */
  private touch(account: SandboxAccount, now: number): void {
    account.lastSeen = now;
    if (now - (this.written.get(account.id) ?? 0) < TOUCH_EVERY_MS) return;
    this.written.set(account.id, now);
    this.updateLastSeen.run(now, account.id);
  }
}

/** The lab holds as many sandboxes as it may (a 429 at the HTTP boundary). */
export class SandboxLimitError extends Error {}
