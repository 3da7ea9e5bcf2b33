/**
 * How the lab marks what a scripted fault did: every injected reply, rewritten reply, kept-back
 * command or cut connection is a message with `injected: { rule, title }` and the annotation key
 * `fault.<rule id>`, titled "injected by the lab: <rule title>", so the transcript never passes off
 * the lab's doing as the server's.
 */
import type { Annotation, Field } from '../wire/event.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import type { FaultRule } from './types.ts';

/** The annotation every message a rule caused carries. */
export function faultAnnotation(rule: FaultRule, extra?: string): Annotation {
  return {
    key: `fault.${rule.id}`,
    title: `injected by the lab: ${rule.title}`,
    explain: extra ? `${extra} ${rule.explain}` : rule.explain,
    ...(rule.ref ? { ref: rule.ref } : {}),
    level: 'warn',
  };
}

/** The mark itself. */
export function injectedMark(rule: FaultRule): { rule: string; title: string } {
  return { rule: rule.id, title: rule.title };
}

/** Bytes the lab writes on the wire, with the message the transcript records for them. */
export interface Injection {
  bytes: Buffer;
  message: DissectedMessage;
}

/** A reply (or other line) the lab sends in `dir` in the server's place. */
export function injectedLine(rule: FaultRule, dir: StreamDir, line: string, fields: Field[] = [], kind = 'reply'): Injection {
  const bytes = Buffer.from(`${line}\r\n`, 'latin1');
  return { bytes, message: { dir, kind, text: line, bytes: bytes.length, fields, annotation: faultAnnotation(rule), injected: injectedMark(rule) } };
}

/** A note saying what the lab did (kept a command back, cut a connection). */
export function injectedNote(rule: FaultRule, text: string): DissectedMessage {
  return { dir: 'note', kind: 'note', text, bytes: 0, annotation: faultAnnotation(rule), injected: injectedMark(rule) };
}
