/**
 * The lesson routes against a real daemon and a real SMTP client: only messages after the start count,
 * progress is per sandbox, what was proven survives a restart even when its transcript is gone, and
 * wrong requests are refused in words.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lessonContracts, type LessonState } from '../../lib/http/lesson-contracts.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

/** API calls name their sandbox in x-test-sandbox (default 'local'); every external client lands in 'local'. */
const policy: SandboxPolicy = {
  ofRequest: (req) => {
    const named = req.headers['x-test-sandbox'];
    return typeof named === 'string' ? named : 'local';
  },
  ofConnection: (socket) => socket.own?.sandbox ?? 'local',
  clientSandboxOf: () => 'local',
};

let dataDir: string;
let lab: TestLab;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lessons-routes-'));
  lab = await startTestLab({ labs: [smtpLab], dataDir, sandboxes: policy });
});
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ID = 'smtp-first-mail';
const get = (sandbox = 'local') => call<LessonState>('GET', `/api/lessons/${ID}`, sandbox);
const statusOf = (state: LessonState, step: string) => state.status.find((s) => s.step === step);

/** A request in a sandbox; resolves with the parsed body, or throws "<status> <error>". */
async function call<T>(method: string, pathname: string, sandbox = 'local', body?: unknown): Promise<T> {
  const res = await fetch(lab.baseUrl + pathname, {
    method,
    headers: { 'x-test-sandbox': sandbox, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`${res.status} ${parsed.error}`);
  return parsed;
}

/** One EHLO exchange and QUIT, by a raw client; resolves once the tap recorded the close. */
async function ehloSession(): Promise<void> {
  const client = await LineClient.connect(lab.port('smtp'));
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO routes.example');
  await client.command('QUIT');
  await client.whenClosed();
}

describe('lesson routes', () => {
  it('lists the lessons by lab with their length, steps and this sandbox\'s progress', async () => {
    const { labs } = await lab.api(lessonContracts.list);
    const smtp = labs.find((group) => group.lab === 'smtp');
    const first = smtp?.lessons.find((l) => l.id === ID);
    expect(first).toMatchObject({ lab: 'smtp', order: 1, progress: { startedAt: null, done: 0 } });
    expect(first?.steps).toBeGreaterThan(3);
    expect(first?.minutes).toBeGreaterThan(0);
    expect(smtp?.lessons.map((l) => l.order)).toEqual([...(smtp?.lessons.map((l) => l.order) ?? [])].sort((a, b) => a - b));
  });

  it('serves try lines that work as they are: the AUTH PLAIN line carries this sandbox\'s login, and the real server answers 235', async () => {
    const state = await call<LessonState>('GET', '/api/lessons/smtp-starttls-auth');
    const auth = state.lesson.steps.find((s) => s.id === 'auth-in-clear')?.try?.find((line) => line.startsWith('AUTH PLAIN '));
    expect(auth).toBeDefined();
    const client = await LineClient.connect(lab.port('smtp'));
    await client.waitFor(/^220 .*\r\n/m);
    await client.command('EHLO routes.example');
    expect(await client.command(auth ?? '')).toMatch(/^235 /m);
    await client.command('QUIT');
    await client.whenClosed();
  });

  it('shows a lesson never started as not started, nothing done', async () => {
    const state = await get();
    expect(state.startedAt).toBeNull();
    expect(state.lesson.id).toBe(ID);
    expect(state.status.every((s) => !s.done && s.proof.length === 0)).toBe(true);
  });

  it('counts only what happens after the start, and names the proving messages', async () => {
    await ehloSession();
    const started = await call<LessonState>('POST', `/api/lessons/${ID}/start`);
    expect(started.startedAt).not.toBeNull();
    expect(statusOf(started, 'ehlo')?.done).toBe(false);

    await ehloSession();
    const state = await get();
    const ehlo = statusOf(state, 'ehlo');
    expect(ehlo?.done).toBe(true);
    expect(statusOf(state, 'quit')?.done).toBe(true);
    expect(statusOf(state, 'data')?.done).toBe(false);
    // The proof is the EHLO and its 250, on the connection made after the start.
    const conn = ehlo!.proof[0].slice(0, ehlo!.proof[0].lastIndexOf(':'));
    const { messages } = await lab.api<{ messages: LabMessage[] }>(`/api/connections/${conn}`);
    expect(ehlo!.proof.map((id) => messages.find((m) => m.id === id)?.annotation?.key)).toEqual(['smtp.cmd.EHLO', 'smtp.reply.250.ehlo']);

    const { labs } = await lab.api(lessonContracts.list);
    expect(labs.find((g) => g.lab === 'smtp')?.lessons.find((l) => l.id === ID)?.progress.done).toBeGreaterThanOrEqual(3);
  });

  it('counts what happens after the start even when the system clock was stepped ahead (NTP, a VM\'s time sync)', async () => {
    // The system clock was stepped a minute ahead since the process started: Date.now() follows it, the
    // monotonic clock connections are stamped with (performance.timeOrigin + performance.now()) does not.
    const monotonic = performance.now.bind(performance);
    const stepped = vi.spyOn(performance, 'now').mockImplementation(() => monotonic() - 60_000);
    try {
      await call<LessonState>('POST', `/api/lessons/${ID}/start`);
      await ehloSession();
      expect(statusOf(await get(), 'ehlo')?.done).toBe(true);
    } finally {
      stepped.mockRestore();
    }
  });

  it('lists steps proven since the lesson was last opened (the list evaluates lessons left mid-way)', async () => {
    await call<LessonState>('POST', `/api/lessons/${ID}/start`);
    const before = await lab.api(lessonContracts.list);
    expect(before.labs.find((g) => g.lab === 'smtp')?.lessons.find((l) => l.id === ID)?.progress.done).toBe(0);
    await ehloSession();
    const { labs } = await lab.api(lessonContracts.list);
    expect(labs.find((g) => g.lab === 'smtp')?.lessons.find((l) => l.id === ID)?.progress.done).toBeGreaterThanOrEqual(3);
  });

  it('keeps each sandbox\'s progress and transcripts apart', async () => {
    const other = await call<LessonState>('POST', `/api/lessons/${ID}/start`, 'other');
    await ehloSession(); // lands in 'local'
    expect(statusOf(await get('other'), 'ehlo')?.done).toBe(false);
    expect(other.startedAt).not.toBe((await get()).startedAt);
    const { labs } = await call<{ labs: { lab: string; lessons: { id: string; progress: { done: number } }[] }[] }>('GET', '/api/lessons', 'third');
    expect(labs.find((g) => g.lab === 'smtp')?.lessons.find((l) => l.id === ID)?.progress.done).toBe(0);
  });

  it('refuses in words: an unknown lesson or step, a step without a question, an answer before the start', async () => {
    await expect(call('GET', '/api/lessons/no-such-lesson')).rejects.toThrow(/^404 No lesson no-such-lesson/);
    await expect(call('POST', `/api/lessons/${ID}/answer`, 'local', { step: 'nope', answer: '354' })).rejects.toThrow(/^404 .*no step nope/);
    await expect(call('POST', `/api/lessons/${ID}/answer`, 'local', { step: 'ehlo', answer: '250' })).rejects.toThrow(/^400 .*asks no question/);
    await expect(call('POST', `/api/lessons/${ID}/answer`, 'fresh', { step: 'data', answer: '354' })).rejects.toThrow(/^409 Start the lesson/);
    await expect(call('POST', `/api/lessons/${ID}/answer`, 'local', { step: 'data', answer: '' })).rejects.toThrow(/^400 /);
  });

  it('keeps an answer with the newest message it was given after; its real answer waits for the held message', async () => {
    const state = await call<LessonState>('POST', `/api/lessons/${ID}/answer`, 'local', { step: 'data', answer: ' 354 ' });
    expect(state.answers.data?.given).toBe('354');
    expect(state.answers.data?.after).not.toBeNull();
    expect(statusOf(state, 'data')?.answer).toEqual({ given: '354', actual: null, correct: null });
  });

  it('keeps what was proven across a restart, even after the transcripts are gone', async () => {
    const before = await get();
    expect(statusOf(before, 'ehlo')?.done).toBe(true);
    await lab.stop();
    const db = new Database(path.join(dataDir, 'lab.sqlite'));
    db.exec('DELETE FROM messages; DELETE FROM connections;');
    db.close();
    lab = await startTestLab({ labs: [smtpLab], dataDir, sandboxes: policy });
    const after = await get();
    expect(after.startedAt).toBe(before.startedAt);
    expect(statusOf(after, 'ehlo')).toEqual(statusOf(before, 'ehlo'));
    expect(statusOf(after, 'data')?.done).toBe(false);
  });

  it('starts again from nothing on restart of the lesson', async () => {
    const again = await call<LessonState>('POST', `/api/lessons/${ID}/start`);
    expect(again.status.every((s) => !s.done)).toBe(true);
  });
});
