/**
 * A lesson's what-if box is titled "What if <the fault rule's title>?" (components/lessons/what-if.tsx):
 * the access-control rule's title must read as that clause, not as a command ("What if revoke this
 * subscription at step N?", walk C #15).
 */
import { describe, expect, it } from 'vitest';
import { faultRule } from '../../lib/faults/catalogue.ts';
import { LESSONS } from '../lessons.ts';

describe('the access-control lessons’ what-if titles', () => {
  const faults = LESSONS.filter((lesson) => lesson.lab === 'gateway').flatMap((lesson) => lesson.steps.flatMap((step) => (step.whatIf ? [step.whatIf.fault] : [])));

  it('read as a clause after "What if": a subject, then what happens', () => {
    expect(faults).toContain('gateway.revoke-at-step');
    for (const fault of faults) {
      const title = faultRule(fault)?.title ?? '';
      expect(`What if ${title}?`, fault).toMatch(/^What if The \S+( \S+)* (is|are|gets|changes|drops|answers|closes) [^?]+\?$/);
    }
  });
});
