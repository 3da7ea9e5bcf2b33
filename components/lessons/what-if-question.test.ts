import { describe, expect, it } from 'vitest';
import { FAULT_RULES } from '@/lib/faults/catalogue.ts';
import { whatIfQuestion } from './what-if-question';

describe('a what-if question from a fault title', () => {
  it('keeps acronyms and commands as written and lowers an ordinary first word', () => {
    expect(whatIfQuestion('DATA is refused with 554')).toBe('What if DATA is refused with 554?');
    expect(whatIfQuestion('PASV answers an unreachable address')).toBe('What if PASV answers an unreachable address?');
    expect(whatIfQuestion('The SSH host key changes.')).toBe('What if the SSH host key changes?');
  });

  it('reads as a question for every fault the lab knows (no "What if revoke…")', () => {
    for (const rule of FAULT_RULES) expect(whatIfQuestion(rule.title), rule.id).toMatch(/^What if (the|a|an|[A-Z]{2,}) /);
  });
});
