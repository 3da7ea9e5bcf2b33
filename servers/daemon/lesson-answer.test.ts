/**
 * A held question's answer marks its place in the transcript: the newest message recorded when it was
 * given. Lines that crossed the wire before it but were still being dissected (the dissect thread answers
 * a little later) must come before that mark, or an earlier exchange would be taken for the real answer.
 */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../../lib/bus/bus.ts';
import { FaultEngine } from '../../lib/faults/engine.ts';
import { openDatabase } from '../../lib/store/db.ts';
import { LessonProgressStore } from '../../lib/store/lesson-progress.ts';
import { TranscriptStore } from '../../lib/store/transcripts.ts';
import { ConnectionRecorder } from '../../lib/wire/recorder.ts';
import { LESSONS } from '../lessons.ts';
import { lessonRoutes } from './lesson-routes.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a held question answered', () => {
  it('marks its place after every line that crossed the wire before it, dissected or not yet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-answer-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    const bus = new Bus();
    const transcripts = new TranscriptStore(db, bus, {}, Date.now, 'inline');
    const progress = new LessonProgressStore(db);
    const lesson = 'smtp-first-mail';
    progress.start('local', lesson, Date.now() - 1000);
    const recorder = new ConnectionRecorder(bus, { protocol: 'smtp', sandbox: 'local', client: '127.0.0.1:40000' });
    recorder.record({ dir: 'client', kind: 'command', text: 'RCPT TO:<alice@lab.test>', bytes: 26 }, 'wire');
    // The lab's barrier: what is still being dissected is recorded before it resolves.
    const settled = async () => recorder.record({ dir: 'server', kind: 'reply', text: '250 2.1.5 Ok', bytes: 14 }, 'wire');
    const reader = { user: 'student', password: 'pw', host: '127.0.0.1', ports: {} };
    const routes = lessonRoutes({ sandboxOf: () => 'local', transcripts, progress, lessons: LESSONS, settled, readerOf: () => reader, faults: new FaultEngine() });
    const answer = routes.find((r) => r.method === 'POST' && r.pattern.test(`/api/lessons/${lesson}/answer`));
    if (!answer) throw new Error('no answer route');
    const url = new URL(`http://localhost/api/lessons/${lesson}/answer`);
    const req = Readable.from([Buffer.from(JSON.stringify({ step: 'data', answer: '354' }))]) as unknown as IncomingMessage;
    await answer.handler(url.pathname.match(answer.pattern) as RegExpMatchArray, url, req);
    expect(progress.get('local', lesson)?.answers.data?.after).toBe(`${recorder.info.id}:2`);
    transcripts.dispose();
    db.close();
  });
});
