/**
 * Classes (issue 15): a teacher's class has a name and a join code students type to get a sandbox
 * in it. Its students are the sandboxes that joined it (lib/sandbox/directory.ts `classId`).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Db } from './db.ts';

export interface ClassInfo {
  id: string;
  name: string;
  /** What students type to join: read off a projector, so no 0/O or 1/I/L. */
  code: string;
  createdAt: number;
}

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** A join code as shown (`K7QM-2XPA`); typed in upper or lower case, with or without the dash. */
export const JOIN_CODE = /^[A-HJKMNP-Z2-9]{4}-?[A-HJKMNP-Z2-9]{4}$/i;

function newCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as stored, from what a student typed. */
export const normalizeJoinCode = (typed: string): string => {
  const bare = typed.trim().toUpperCase().replace('-', '');
  return `${bare.slice(0, 4)}-${bare.slice(4)}`;
};

type Row = { id: string; name: string; join_code: string; created_at: number };
const toInfo = (row: Row): ClassInfo => ({ id: row.id, name: row.name, code: row.join_code, createdAt: row.created_at });

export class ClassStore {
  constructor(private readonly db: Db) {}

  create(name: string, now = Date.now()): ClassInfo {
    const id = `class-${randomBytes(5).toString('base64url')}`;
    let code = newCode();
    while (this.byCode(code)) code = newCode();
    this.db.prepare(`INSERT INTO classes (id, name, join_code, created_at) VALUES (?, ?, ?, ?)`).run(id, name, code, now);
    return { id, name, code, createdAt: now };
  }

  get(id: string): ClassInfo | null {
    const row = this.db.prepare(`SELECT * FROM classes WHERE id = ?`).get(id) as Row | undefined;
    return row ? toInfo(row) : null;
  }

  /** The class a typed join code opens, or null. */
  byCode(typed: string): ClassInfo | null {
    if (!JOIN_CODE.test(typed.trim())) return null;
    const row = this.db.prepare(`SELECT * FROM classes WHERE join_code = ?`).get(normalizeJoinCode(typed)) as Row | undefined;
    return row ? toInfo(row) : null;
  }

  /** Newest first. */
  list(): ClassInfo[] {
    return (this.db.prepare(`SELECT * FROM classes ORDER BY created_at DESC`).all() as Row[]).map(toInfo);
  }
}
