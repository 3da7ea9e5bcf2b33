import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../lib/store/db.ts';
import { TEACHER_COOKIE, TeacherAuth } from './teacher.ts';

const DAY = 24 * 60 * 60 * 1000;
const OLD_TOKEN = 'teach-old-token-0001';
const NEW_TOKEN = 'teach-new-token-0002';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

function database(): Db {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-teacher-'));
  const db = openDatabase(dataDir);
  cleanup.push(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return db;
}

/** A browser request carrying the Set-Cookie `openSession` answered. */
const browserWith = (setCookie: string): IncomingMessage => ({ headers: { cookie: setCookie.split(';')[0] } }) as IncomingMessage;

describe("the teacher's browser sessions", () => {
  it('are opened with the token and survive a restart with the same token', () => {
    const db = database();
    const cookie = new TeacherAuth(db, OLD_TOKEN).openSession(OLD_TOKEN);
    expect(cookie).toMatch(new RegExp(`^${TEACHER_COOKIE}=`));
    expect(new TeacherAuth(db, OLD_TOKEN).isTeacher(browserWith(cookie ?? ''))).toBe(true);
    expect(new TeacherAuth(db, OLD_TOKEN).openSession('teach-wrong-token')).toBeNull();
  });

  it('end when the teacher changes the token (a leaked token is revoked by choosing another)', () => {
    const db = database();
    const cookie = new TeacherAuth(db, OLD_TOKEN).openSession(OLD_TOKEN) ?? '';
    const restarted = new TeacherAuth(db, NEW_TOKEN);
    expect(restarted.isTeacher(browserWith(cookie))).toBe(false);
    // The new token opens a session of its own.
    expect(restarted.isTeacher(browserWith(restarted.openSession(NEW_TOKEN) ?? ''))).toBe(true);
  });

  it('end after 30 days on the server too, whatever Max-Age the browser keeps', () => {
    const db = database();
    let now = Date.UTC(2026, 0, 1);
    const clock = () => now;
    const auth = new TeacherAuth(db, OLD_TOKEN, clock);
    const cookie = auth.openSession(OLD_TOKEN) ?? '';
    now += 29 * DAY;
    expect(auth.isTeacher(browserWith(cookie))).toBe(true);
    now += 2 * DAY;
    expect(auth.isTeacher(browserWith(cookie))).toBe(false);
    expect(new TeacherAuth(db, OLD_TOKEN, clock).isTeacher(browserWith(cookie))).toBe(false);
    // An expired session is not kept in the store either.
    expect((db.prepare('SELECT COUNT(*) AS n FROM teacher_sessions').get() as { n: number }).n).toBe(0);
  });
});
