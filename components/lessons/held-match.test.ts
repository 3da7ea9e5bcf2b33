import { describe, expect, it } from 'vitest';
import type { HeldQuestion } from '@/lib/lessons/types.ts';
import { holdsQuestion, readablePattern } from './held-match';

const question = (dir: 'client' | 'server', text: string): HeldQuestion => ({
  prompt: 'What will the server answer?',
  when: { dir, text },
  answer: { from: { dir: 'server', kind: 'reply' } },
  explain: '354 (RFC 5321 §4.1.1.4).',
});
const held = (dir: 'client' | 'server' | 'note', text: string) => ({ conn: 'smtp-a', connection: 'browser console', dir, text });

describe('holdsQuestion', () => {
  it.each([
    ['a held DATA raises the DATA question', question('client', '^DATA$'), held('client', 'DATA'), true],
    ['case aside, as the evaluator reads it', question('client', '^DATA$'), held('client', 'data'), true],
    ['another command does not', question('client', '^DATA$'), held('client', 'MAIL FROM:<a@lab.test>'), false],
    ['nor the same text the other way', question('client', '^DATA$'), held('server', 'DATA'), false],
    ['a RCPT to a foreign domain', question('client', '^RCPT TO:<someone@example\\.com>'), held('client', 'RCPT TO:<someone@example.com>'), true],
    ['a pattern that does not compile matches nothing', question('client', '^(DATA'), held('client', '(DATA'), false],
  ])('%s', (_name, q, next, expected) => {
    expect(holdsQuestion(q, next)).toBe(expected);
  });

  it('asks nothing while nothing is held', () => {
    expect(holdsQuestion(question('client', '^DATA$'), undefined)).toBe(false);
  });
});

describe('readablePattern', () => {
  it.each([
    ['^DATA$', 'DATA'],
    ['^RCPT TO:<someone@example\\.com>', 'RCPT TO:<someone@example.com>'],
    ['^QUIT\\b', 'QUIT'],
    ['^AUTH\\s+PLAIN', 'AUTH PLAIN'],
  ])('shows %s as %s', (source, expected) => {
    expect(readablePattern(source)).toBe(expected);
  });
});
