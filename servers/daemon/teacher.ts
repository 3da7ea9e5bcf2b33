/**
 * The teacher's key (issue 15): a token printed at start (or LAB_TEACHER_TOKEN). A script sends it
 * as `Authorization: Bearer <token>`; a browser trades it once for an HttpOnly cookie, kept here
 * only as an HMAC keyed with the token, so the teacher page works without the token in every request.
 * Keyed with the token, a session ends when the teacher chooses another token (the way to revoke a
 * leaked one); it also ends after COOKIE_MAX_AGE_S on the server, whatever the browser keeps.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieOf, labCookie } from './cookies.ts';
import { sameSecret } from '../../lib/auth/same-secret.ts';
import { HttpError } from '../../lib/http/api-kit.ts';
import type { Db } from '../../lib/store/db.ts';

export const TEACHER_COOKIE = 'lab_teacher';
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;

/** A new teacher token: long enough that guessing is hopeless, short enough to paste. */
export const newTeacherToken = (): string => `teach-${randomBytes(12).toString('base64url')}`;

export class TeacherAuth {
  /** Each open session's HMAC and when it was opened. */
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly token: string,
    private readonly now: () => number = Date.now,
  ) {
    // Sessions opened with another token (or in the SHA-256 form of earlier versions) never match; expired ones go.
    db.prepare(`DELETE FROM teacher_sessions WHERE created_at <= ?`).run(this.now() - COOKIE_MAX_AGE_S * 1000);
    for (const row of db.prepare(`SELECT token_hash, created_at FROM teacher_sessions`).all() as { token_hash: string; created_at: number }[]) this.sessions.set(row.token_hash, row.created_at);
  }

  /** What the store keeps of a session: keyed with the token, it opens nothing once the token changes. */
  private keyOf(session: string): string {
    return createHmac('sha256', this.token).update(session, 'utf8').digest('hex');
  }

  /** Whether a request is the teacher's: the bearer token, or a browser session it opened. */
  isTeacher(req: IncomingMessage): boolean {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return sameSecret(bearer, this.token);
    const session = cookieOf(req, TEACHER_COOKIE);
    if (session === undefined) return false;
    const key = this.keyOf(session);
    const openedAt = this.sessions.get(key);
    if (openedAt === undefined) return false;
    if (this.now() - openedAt < COOKIE_MAX_AGE_S * 1000) return true;
    this.sessions.delete(key);
    this.db.prepare(`DELETE FROM teacher_sessions WHERE token_hash = ?`).run(key);
    return false;
  }

  /** Refuses anyone but the teacher, in words. */
  require(req: IncomingMessage): void {
    if (!this.isTeacher(req)) throw new HttpError(403, "Only the teacher may do this: sign in on the teacher page with the teacher's token (printed when the lab starts, or LAB_TEACHER_TOKEN).");
  }

  /** Trades the token for a browser session: the Set-Cookie to send, or null for a wrong token. */
  openSession(token: string): string | null {
    if (!sameSecret(token, this.token)) return null;
    const session = randomBytes(24).toString('base64url');
    const key = this.keyOf(session);
    const openedAt = this.now();
    this.db.prepare(`INSERT INTO teacher_sessions (token_hash, created_at) VALUES (?, ?)`).run(key, openedAt);
    this.sessions.set(key, openedAt);
    return labCookie(TEACHER_COOKIE, session, COOKIE_MAX_AGE_S);
  }
}
