/**
 * Lesson progress per sandbox (issue 13), kept in the store so it survives restarts and the pruning
 * of old transcripts: when the lesson was started (only messages after it count), each done step with
 * the messages that proved it, whether its "what if" was seen, and the held questions' answers with
 * the real answer once known. Its tables are versioned like a lab's (lab-migrations.ts) under the
 * name 'lessons': lessons are kernel-level and no lab owns them.
 */
import { z } from 'zod';
import type { LessonAnswer } from '../lessons/evaluate.ts';
import type { Db } from './db.ts';
import { migrateLab } from './lab-migrations.ts';

const MIGRATIONS = [
  `CREATE TABLE lesson_progress (
     sandbox TEXT NOT NULL, lesson TEXT NOT NULL, started_at INTEGER NOT NULL, state TEXT NOT NULL,
     PRIMARY KEY (sandbox, lesson));`,
];

/** A held question's answer as stored: what was given, where, and the real answer once the server gave it. */
export interface StoredAnswer extends LessonAnswer {
  actual: string | null;
}

/** One sandbox's progress in one lesson. */
export interface LessonProgress {
  startedAt: number;
  /** Steps proven done, by step id: the ids of the messages that proved them (kept after their transcript is pruned). */
  done: Record<string, string[]>;
  /** Steps whose what-if was seen (a step may show its what-if before it is done). */
  whatIfSeen: string[];
  answers: Record<string, StoredAnswer>;
}

const State = z.object({
  done: z.record(z.string(), z.array(z.string())),
  whatIfSeen: z.array(z.string()),
  answers: z.record(z.string(), z.object({ given: z.string(), after: z.string().nullable(), actual: z.string().nullable() })),
});
const empty = (): z.infer<typeof State> => ({ done: {}, whatIfSeen: [], answers: {} });

interface Row {
  lesson: string;
  started_at: number;
  state: string;
}

/** Reads a stored state; a row this version cannot read counts as a fresh start rather than breaking the page. */
function toProgress(row: Row): LessonProgress {
  let state: unknown;
  try {
    state = JSON.parse(row.state);
  } catch {
    state = empty();
  }
  const parsed = State.safeParse(state);
  return { startedAt: row.started_at, ...(parsed.success ? parsed.data : empty()) };
}

/** Reads and writes lesson progress; every call names the sandbox it acts in. */
export class LessonProgressStore {
  private readonly selectOne;
  private readonly selectAll;
  private readonly upsert;

  constructor(db: Db) {
    migrateLab(db, 'lessons', MIGRATIONS);
    this.selectOne = db.prepare(`SELECT lesson, started_at, state FROM lesson_progress WHERE sandbox = ? AND lesson = ?`);
    this.selectAll = db.prepare(`SELECT lesson, started_at, state FROM lesson_progress WHERE sandbox = ?`);
    this.upsert = db.prepare(
      `INSERT INTO lesson_progress (sandbox, lesson, started_at, state) VALUES (?, ?, ?, ?)
       ON CONFLICT (sandbox, lesson) DO UPDATE SET started_at = excluded.started_at, state = excluded.state`,
    );
  }

  /** The sandbox's progress in `lesson`, or null if it never started it. */
  get(sandbox: string, lesson: string): LessonProgress | null {
    const row = this.selectOne.get(sandbox, lesson) as Row | undefined;
    return row ? toProgress(row) : null;
  }

  /** The sandbox's progress in every lesson it started, by lesson id. */
  all(sandbox: string): Map<string, LessonProgress> {
    return new Map((this.selectAll.all(sandbox) as Row[]).map((row) => [row.lesson, toProgress(row)]));
  }

  /** Starts (or restarts) a lesson at `at`: nothing done, no answers. */
  start(sandbox: string, lesson: string, at: number): LessonProgress {
    const progress: LessonProgress = { startedAt: at, ...empty() };
    this.save(sandbox, lesson, progress);
    return progress;
  }

  save(sandbox: string, lesson: string, progress: LessonProgress): void {
    const { startedAt, ...state } = progress;
    this.upsert.run(sandbox, lesson, startedAt, JSON.stringify(state));
  }
}
