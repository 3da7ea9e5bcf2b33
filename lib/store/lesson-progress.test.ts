import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LessonProgressStore } from './lesson-progress.ts';

describe('lesson progress', () => {
  it('keeps each sandbox\'s progress per lesson, and a second store on the same database reads it', () => {
    const db = new Database(':memory:');
    const store = new LessonProgressStore(db);
    expect(store.get('local', 'smtp-first-mail')).toBeNull();
    const progress = store.start('local', 'smtp-first-mail', 1000);
    progress.done.ehlo = ['smtp-a:2', 'smtp-a:3'];
    progress.whatIfSeen.push('data');
    progress.answers.data = { given: '354', after: 'smtp-a:5', actual: '354' };
    store.save('local', 'smtp-first-mail', progress);
    store.start('other', 'smtp-first-mail', 2000);

    const again = new LessonProgressStore(db);
    expect(again.get('local', 'smtp-first-mail')).toEqual({
      startedAt: 1000,
      done: { ehlo: ['smtp-a:2', 'smtp-a:3'] },
      whatIfSeen: ['data'],
      answers: { data: { given: '354', after: 'smtp-a:5', actual: '354' } },
    });
    expect(again.get('other', 'smtp-first-mail')).toEqual({ startedAt: 2000, done: {}, whatIfSeen: [], answers: {} });
    expect([...again.all('local').keys()]).toEqual(['smtp-first-mail']);
    expect(again.all('nobody').size).toBe(0);
  });

  it('starts again from nothing, and two starts never share their records', () => {
    const store = new LessonProgressStore(new Database(':memory:'));
    const first = store.start('local', 'l', 1);
    first.done.x = ['c:1'];
    const second = store.start('local', 'l', 2);
    expect(second.done).toEqual({});
    expect(store.get('local', 'l')).toEqual({ startedAt: 2, done: {}, whatIfSeen: [], answers: {} });
  });

  it('reads a state it cannot parse as a fresh start rather than failing the page', () => {
    const db = new Database(':memory:');
    const store = new LessonProgressStore(db);
    db.prepare(`INSERT INTO lesson_progress (sandbox, lesson, started_at, state) VALUES ('local', 'a', 5, '{not json'), ('local', 'b', 6, '{"done": 3}')`).run();
    expect(store.get('local', 'a')).toEqual({ startedAt: 5, done: {}, whatIfSeen: [], answers: {} });
    expect(store.get('local', 'b')).toEqual({ startedAt: 6, done: {}, whatIfSeen: [], answers: {} });
  });
});
