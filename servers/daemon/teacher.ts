/**
 * The teacher's key (issue 15): a token printed at start (or LAB_TEACHER_TOKEN). A script sends it
 * as `Authorization: Bearer <token>`; a browser trades it once for an HttpOnly cookie, kept here
 * only as a SHA-256, so the teacher page works without the token in every request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieOf, labCookie } from './cookies.ts';
import { sameSecret } from '../../lib/auth/same-secret.ts';
import { HttpError } from '../../lib/http/api-kit.ts';
import type { Db } from '../../lib/store/db.ts';

export const TEACHER_COOKIE = 'lab_teacher';
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;

const hash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new teacher token: long enough that guessing is hopeless, short enough to paste. */
export const newTeacherToken = (): string => `teach-${randomBytes(12).toString('base64url')}`;

export class TeacherAuth {
  private readonly sessions = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly token: string,
  ) {
    for (const row of db.prepare(`SELECT token_hash FROM teacher_sessions`).all() as { token_hash: string }[]) this.sessions.add(row.token_hash);
  }

  /** Whether a request is the teacher's: the bearer token, or a browser session it opened. */
  isTeacher(req: IncomingMessage): boolean {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return sameSecret(bearer, this.token);
    const session = cookieOf(req, TEACHER_COOKIE);
    return session !== undefined && this.sessions.has(hash(session));
  }

  /** Refuses anyone but the teacher, in words. */
  require(req: IncomingMessage): void {
    if (!this.isTeacher(req)) throw new HttpError(403, "Only the teacher may do this: sign in on the teacher page with the teacher's token (printed when the lab starts, or LAB_TEACHER_TOKEN).");
  }

  /** Trades the token for a browser session: the Set-Cookie to send, or null for a wrong token. */
  openSession(token: string): string | null {
    if (!sameSecret(token, this.token)) return null;
    const session = randomBytes(24).toString('base64url');
    this.db.prepare(`INSERT INTO teacher_sessions (token_hash, created_at) VALUES (?, ?)`).run(hash(session), Date.now());
    this.sessions.add(hash(session));
    return labCookie(TEACHER_COOKIE, session, COOKIE_MAX_AGE_S);
  }
}
