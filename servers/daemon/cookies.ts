/**
 * The lab's two cookies (a browser's sandbox token, the teacher's session): read from a request,
 * and written always HttpOnly and SameSite=Strict, so no script and no other site's page uses them.
 */
import type { IncomingMessage } from 'node:http';

/** The value of cookie `name` in a request, or undefined. */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** The Set-Cookie value that sets cookie `name` for `maxAgeS` seconds, or with null clears it. */
export function labCookie(name: string, value: string | null, maxAgeS: number): string {
  return `${name}=${value ?? ''}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${value === null ? 0 : maxAgeS}`;
}
