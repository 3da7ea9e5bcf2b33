/** The tuple a message crosses the dissect thread as: nothing a dissector sets is lost or changed on the way. */
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../protocols/types.ts';
import { packMessage, unpackMessage } from './dissect-protocol.ts';
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

describe('packMessage / unpackMessage', () => {
  const annotation: Annotation = { key: 'soap.fault', title: 'Fault', explain: 'The service refused.', ref: 'SOAP 1.2 Part 1 §5.4', level: 'warn' };
  const cases: [string, DissectedMessage][] = [
    ['bare', { dir: 'client', kind: 'line', text: 'HELO', bytes: 6 }],
    ['empty text, no bytes', { dir: 'note', kind: 'note', text: '', bytes: 0 }],
    ['fields, one with a note', { dir: 'server', kind: 'header', text: 'A: b', bytes: 6, fields: [{ name: 'A', value: 'b' }, { name: 'n', value: '', note: 'empty on purpose' }] }],
    ['no fields at all, but an empty list', { dir: 'server', kind: 'header', text: 'x', bytes: 1, fields: [] }],
    ['annotation and phase', { dir: 'server', kind: 'xml', text: '<f/>', bytes: 0, annotation, phase: 'envelope' }],
  ];
  for (const [name, message] of cases) {
    it(`round-trips a message: ${name}`, () => {
      const { numberOf, annotationOf } = tables();
      const packed = structuredClone(packMessage(message, numberOf));
      expect(unpackMessage(packed, annotationOf)).toEqual(message);
    });
  }

  it('gives the annotation the main thread keeps for its number (one object per annotation)', () => {
    const { numberOf, annotationOf } = tables();
    const shared: Annotation = { title: 'Kept', explain: 'once' };
    const packed = packMessage({ dir: 'client', kind: 'line', text: 'x', bytes: 1, annotation: { title: 'Kept', explain: 'once' } }, () => 7);
    expect(unpackMessage(packed, (id) => (id === 7 ? shared : annotationOf(id))).annotation).toBe(shared);
  });

  it('drops an annotation whose number the main thread no longer knows, rather than inventing one', () => {
    const packed = packMessage({ dir: 'client', kind: 'line', text: 'x', bytes: 1, annotation }, () => 3);
    expect(unpackMessage(packed, () => undefined)).toEqual({ dir: 'client', kind: 'line', text: 'x', bytes: 1 });
  });
});
