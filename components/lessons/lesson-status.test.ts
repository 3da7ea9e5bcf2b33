import { describe, expect, it } from 'vitest';
import type { Lesson, StepStatus } from '@/lib/lessons/types.ts';
import { mergeStatus, protocolsOf } from './lesson-status';

describe('mergeStatus', () => {
  it('keeps a step the daemon stored as done, with its first proof, though the live view no longer sees it', () => {
    const stored: StepStatus[] = [{ step: 'ehlo', done: true, proof: ['smtp-a:2', 'smtp-a:3'] }];
    const live: StepStatus[] = [{ step: 'ehlo', done: true, proof: ['smtp-b:2', 'smtp-b:3'] }];
    expect(mergeStatus(stored, live)).toEqual([{ step: 'ehlo', done: true, proof: ['smtp-a:2', 'smtp-a:3'] }]);
    expect(mergeStatus(stored, [{ step: 'ehlo', done: false, proof: [] }])[0].done).toBe(true);
  });

  it('shows a step done live before the daemon has kept it', () => {
    const merged = mergeStatus([{ step: 'quit', done: false, proof: [] }], [{ step: 'quit', done: true, proof: ['smtp-a:20', 'smtp-a:21'] }]);
    expect(merged).toEqual([{ step: 'quit', done: true, proof: ['smtp-a:20', 'smtp-a:21'] }]);
  });

  it('a what-if seen by either is seen', () => {
    expect(mergeStatus([{ step: 'rcpt', done: false, proof: [], whatIfSeen: true }], [{ step: 'rcpt', done: false, proof: [], whatIfSeen: false }])[0].whatIfSeen).toBe(true);
    expect(mergeStatus([{ step: 'rcpt', done: false, proof: [], whatIfSeen: false }], [{ step: 'rcpt', done: false, proof: [], whatIfSeen: true }])[0].whatIfSeen).toBe(true);
  });

  it('takes the real answer from whichever has it', () => {
    const pending = { given: '354', actual: null, correct: null };
    const known = { given: '354', actual: '354', correct: true };
    expect(mergeStatus([{ step: 'data', done: false, proof: [], answer: pending }], [{ step: 'data', done: true, proof: ['x:1'], answer: known }])[0].answer).toEqual(known);
    expect(mergeStatus([{ step: 'data', done: true, proof: ['x:1'], answer: known }], [{ step: 'data', done: false, proof: [] }])[0].answer).toEqual(known);
    expect(mergeStatus([{ step: 'data', done: false, proof: [], answer: pending }], [{ step: 'data', done: false, proof: [] }])[0].answer).toEqual(pending);
  });

  it('shows the stored state while the live view has not evaluated yet', () => {
    const stored: StepStatus[] = [{ step: 'ehlo', done: true, proof: ['smtp-a:2'] }];
    expect(mergeStatus(stored, [])).toEqual(stored);
  });
});

describe('protocolsOf', () => {
  const lesson = (steps: Lesson['steps']): Lesson => ({ id: 'l', lab: 'soap', title: 't', summary: 's', minutes: 5, order: 1, goal: 'g', steps });
  it('reads the lab and every protocol a proof, what-if or question names', () => {
    const steps: Lesson['steps'] = [
      { id: 'a', title: 'a', do: 'a', proof: { all: [{ key: 'soap.fault' }] }, hints: [], ref: 'r' },
      {
        id: 'b',
        title: 'b',
        do: 'b',
        proof: { all: [{ protocol: 'smtp', key: 'smtp.cmd.DATA' }] },
        hints: [],
        ref: 'r',
        whatIf: { fault: 'soap.receiver-fault', explain: 'e', proof: { all: [{ injectedBy: 'soap.receiver-fault' }] } },
      },
    ];
    expect(protocolsOf(lesson(steps)).sort()).toEqual(['smtp', 'soap']);
    expect(protocolsOf(lesson([]))).toEqual(['soap']);
  });
});
