/** How answers cross back from the dissect thread: nothing a dissector sets is lost or changed on the way. */
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../protocols/types.ts';
import { AnswerWriter, readAnswers, type DissectAnswer } from './dissect-answers.ts';
import type { Annotation } from './event.ts';

/** Both sides' annotation tables, as the thread and the main thread keep them. */
function tables() {
  const byNumber = new Map<number, Annotation>();
  const numberOf = (annotation: Annotation) => {
    byNumber.set(byNumber.size, annotation);
    return byNumber.size - 1;
  };
  return { numberOf, annotationOf: (id: number) => byNumber.get(id) };
}

/** The answers as the main thread reads them after a post (the numbers' buffer transferred). */
function crossed(answers: DissectAnswer[], numberOf: (a: Annotation) => number, annotationOf: (id: number) => Annotation | undefined): DissectAnswer[] {
  const writer = new AnswerWriter(numberOf);
  for (const answer of answers) writer.add(answer);
  const taken = writer.take();
  const posted = structuredClone(taken, { transfer: [taken.answers.buffer] });
  const read: DissectAnswer[] = [];
  readAnswers(posted, annotationOf, (answer) => read.push(answer));
  return read;
}

describe('dissect thread answers', () => {
  const annotation: Annotation = { key: 'soap.fault', title: 'Fault', explain: 'The service refused.', ref: 'SOAP 1.2 Part 1 §5.4', level: 'warn' };
  const cases: [string, DissectedMessage][] = [
    ['bare', { dir: 'client', kind: 'line', text: 'HELO', bytes: 6 }],
    ['empty text, no bytes', { dir: 'note', kind: 'note', text: '', bytes: 0 }],
    ['fields, one with a note', { dir: 'server', kind: 'header', text: 'A: b', bytes: 6, fields: [{ name: 'A', value: 'b' }, { name: 'n', value: '', note: 'empty on purpose' }] }],
    ['fields with where they lie in the bytes', { dir: 'client', kind: 'command', text: 'READY', bytes: 27, fields: [{ name: 'flags', value: '0x04 (COMMAND)', start: 0, end: 1 }, { name: 'size', value: '25 octets', note: 'one octet', start: 1, end: 2 }] }],
    ['no fields at all, but an empty list', { dir: 'server', kind: 'header', text: 'x', bytes: 1, fields: [] }],
    ['annotation and phase', { dir: 'server', kind: 'xml', text: '<f/>', bytes: 0, annotation, phase: 'envelope' }],
    ['a credential marked in its text', { dir: 'client', kind: 'command', text: 'PASS hunter2', bytes: 14, secret: { start: 5, end: 12 } }],
    ['a count past 2^31 and text beyond latin1', { dir: 'client', kind: 'data', text: 'naïve → ✓', bytes: 2 ** 33 + 1, phase: '' }],
  ];
  for (const [name, message] of cases) {
    it(`round-trips a message: ${name}`, () => {
      const { numberOf, annotationOf } = tables();
      expect(crossed([{ n: 1, messages: [message] }], numberOf, annotationOf)).toEqual([{ n: 1, messages: [message] }]);
    });
  }

  it('keeps answers in order: messages, none, a failure, and request numbers past 2^31', () => {
    const { numberOf, annotationOf } = tables();
    const answers: DissectAnswer[] = [
      { n: 7, messages: [cases[2][1], cases[4][1]] },
      { n: 8 },
      { n: 9, messages: [] },
      { n: 10, failed: 'unexpected end of envelope' },
      { n: 2 ** 40, messages: [cases[0][1]] },
    ];
    expect(crossed(answers, numberOf, annotationOf)).toEqual([answers[0], { n: 8 }, { n: 9 }, answers[3], answers[4]]);
  });

  it('sends each distinct string once per batch', () => {
    const writer = new AnswerWriter(() => 0);
    const line: DissectedMessage = { dir: 'server', kind: 'header', text: 'Content-Type: text/xml', bytes: 24, phase: 'headers' };
    for (let n = 0; n < 50; n++) writer.add({ n, messages: [line] });
    expect(writer.take().strings).toEqual(['server', 'header', 'Content-Type: text/xml', 'headers']);
    // A new batch starts its own table.
    writer.add({ n: 50, messages: [{ dir: 'client', kind: 'line', text: 'x', bytes: 1 }] });
    expect(writer.take().strings).toEqual(['client', 'line', 'x']);
  });

  it('gives the annotation the main thread keeps for its number (one object per annotation)', () => {
    const shared: Annotation = { title: 'Kept', explain: 'once' };
    const [answer] = crossed([{ n: 1, messages: [{ dir: 'client', kind: 'line', text: 'x', bytes: 1, annotation: { title: 'Kept', explain: 'once' } }] }], () => 7, (id) => (id === 7 ? shared : undefined));
    expect(answer.messages?.[0].annotation).toBe(shared);
  });

  it('drops an annotation whose number the main thread no longer knows, rather than inventing one', () => {
    const [answer] = crossed([{ n: 1, messages: [{ dir: 'client', kind: 'line', text: 'x', bytes: 1, annotation }] }], () => 3, () => undefined);
    expect(answer.messages).toEqual([{ dir: 'client', kind: 'line', text: 'x', bytes: 1 }]);
  });
});
