/**
 * The SMTP lessons teach each requirement at the strength RFC 5321 gives it (accuracy audit of the
 * annotations): the client SHOULD wait for the greeting (§4.3.1), SHOULD NOT repeat a request that got
 * a 5yz reply (§4.2.1), and reads a reply code it does not know by its first digit (§4.2); none of them
 * is a "must" the way the lessons once said.
 */
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../lessons.ts';

const lesson = (id: string) => LESSONS.find((l) => l.id === id);
const step = (id: string, stepId: string) => lesson(id)?.steps.find((s) => s.id === stepId);

describe('SMTP lessons: requirement levels as RFC 5321 words them', () => {
  it('the client should wait for the 220 greeting, and the step cites §4.3.1, where that is said', () => {
    const greeting = step('smtp-first-mail', 'greeting');
    expect(greeting?.do).toMatch(/The client should wait for it before it says anything \(RFC 5321 §4\.3\.1\)/);
    expect(greeting?.do).not.toMatch(/must wait/);
    expect(greeting?.ref).toContain('§4.3.1');
  });

  it('after a 5yz reply the client should not repeat the same command unchanged (§4.2.1: SHOULD NOT)', () => {
    const badSequence = step('smtp-first-mail', 'bad-sequence');
    expect(badSequence?.do).toMatch(/the client should not repeat the same command unchanged/);
    expect(badSequence?.do).not.toMatch(/must not repeat/);
  });

  it('the reading-replies goal: the first digit alone decides only for a code the client does not know (§4.2)', () => {
    const goal = lesson('smtp-reading-replies')?.goal ?? '';
    expect(goal).toMatch(/a client that meets a code it does not know acts on the first digit alone/);
    expect(goal).not.toMatch(/a client must act on the first digit alone/);
  });
});
