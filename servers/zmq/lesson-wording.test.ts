/**
 * The ZeroMQ lessons teach a requirement at the strength the specification gives it: RFC 37 §3.8 says
 * NULL "SHOULD NOT be used on public infrastructure without transport-level security", a SHOULD NOT,
 * not a must not (accuracy audit of the annotations).
 */
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../lessons.ts';

const step = (lesson: string, id: string) => LESSONS.find((l) => l.id === lesson)?.steps.find((s) => s.id === id);

describe('ZeroMQ security lesson', () => {
  it('NULL without transport security: "should not", as RFC 37 §3.8 words it', () => {
    const nullStep = step('zmq-security', 'null');
    expect(nullStep?.do).toMatch(/NULL should not be used on a network you do not trust/);
    expect(nullStep?.do).not.toMatch(/must not/);
    expect(nullStep?.ref).toContain('ZMTP RFC 37 §3.8');
  });
});
