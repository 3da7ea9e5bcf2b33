/**
 * A page that unloads cannot tell a reload from a closed tab: its leave (`?unload=1`) disarms the lesson's
 * what-ifs only after a grace, and a reload's page opening the lesson again within it keeps them.
 */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Bus } from '../../lib/bus/bus.ts';
import { FaultEngine } from '../../lib/faults/engine.ts';
import { openDatabase } from '../../lib/store/db.ts';
import { LessonProgressStore } from '../../lib/store/lesson-progress.ts';
import { TranscriptStore } from '../../lib/store/transcripts.ts';
import { LESSONS } from '../lessons.ts';
import { UNLOAD_GRACE_MS, lessonRoutes } from './lesson-routes.ts';

const LESSON = 'smtp-relays';
const RULE = 'smtp.rcpt-451-second';

let dir: string;
let close: () => void;
let faults: FaultEngine;
let call: (pathname: string) => Promise<unknown>;
/** What the routes told the sandbox's pages, as `sandbox lesson`. */
let announced: string[];

beforeEach(() => {
  vi.useFakeTimers();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-leave-'));
  const db = openDatabase(dir);
  const transcripts = new TranscriptStore(db, new Bus(), {}, Date.now, 'inline');
  close = () => {
    transcripts.dispose();
    db.close();
  };
  faults = new FaultEngine();
  const reader = { user: 'student', password: 'pw', host: '127.0.0.1', ports: {} };
  announced = [];
  const announceLeaving = (sandbox: string, lesson: string) => void announced.push(`${sandbox} ${lesson}`);
  const routes = lessonRoutes({ sandboxOf: () => 'local', transcripts, progress: new LessonProgressStore(db), lessons: LESSONS, readerOf: () => reader, faults, announceLeaving });
  call = async (pathname) => {
    const url = new URL(`http://localhost${pathname}`);
    const route = routes.find((r) => r.method === 'POST' && r.pattern.test(url.pathname));
    if (!route) throw new Error(`no route for ${pathname}`);
    const req = Readable.from([]) as unknown as IncomingMessage;
    return route.handler(url.pathname.match(route.pattern) as RegExpMatchArray, url, req);
  };
  expect(faults.arm('local', { rule: RULE, times: 1, lesson: LESSON })).toMatchObject({ rule: RULE });
});

afterEach(() => {
  vi.useRealTimers();
  close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const armed = () => faults.armed('local').map((f) => f.rule);

describe('a lesson left by an unloading page', () => {
  it('keeps its what-if armed through the grace, then disarms it (a closed tab)', async () => {
    expect(await call(`/api/lessons/${LESSON}/leave?unload=1`)).toEqual({ disarmed: [] });
    vi.advanceTimersByTime(UNLOAD_GRACE_MS - 1);
    expect(armed()).toEqual([RULE]);
    vi.advanceTimersByTime(1);
    expect(armed()).toEqual([]);
  });

  it('keeps it when the reloaded page opens the lesson again within the grace', async () => {
    await call(`/api/lessons/${LESSON}/leave?unload=1`);
    vi.advanceTimersByTime(UNLOAD_GRACE_MS / 2);
    expect(await call(`/api/lessons/${LESSON}/open`)).toEqual({ disarmed: [] });
    vi.advanceTimersByTime(UNLOAD_GRACE_MS * 2);
    expect(armed()).toEqual([RULE]);
  });

  it('keeps it when a page that showed the lesson all along says so within the grace, and disarms nothing else', async () => {
    expect(faults.arm('local', { rule: 'smtp.data-554', times: 1, lesson: 'smtp-first-mail' })).toMatchObject({ rule: 'smtp.data-554' });
    await call(`/api/lessons/${LESSON}/leave?unload=1`);
    expect(await call(`/api/lessons/${LESSON}/open?still=1`)).toEqual({ disarmed: [] });
    vi.advanceTimersByTime(UNLOAD_GRACE_MS * 2);
    expect(armed().sort()).toEqual(['smtp.data-554', RULE].sort());
  });

  it("tells the sandbox's pages, so one still showing the lesson in another window can say so", async () => {
    await call(`/api/lessons/${LESSON}/leave?unload=1`);
    expect(announced).toEqual([`local ${LESSON}`]);
  });

  it('is left at once by a plain leave (the panel closed, the app went to a page without it), with nothing announced', async () => {
    expect(await call(`/api/lessons/${LESSON}/leave`)).toMatchObject({ disarmed: [{ rule: RULE, lesson: LESSON }] });
    expect(armed()).toEqual([]);
    expect(announced).toEqual([]);
  });

  it('refuses an unload value it does not know, in words', async () => {
    await expect(call(`/api/lessons/${LESSON}/leave?unload=yes`)).rejects.toMatchObject({ status: 400 });
    expect(armed()).toEqual([RULE]);
  });
});
