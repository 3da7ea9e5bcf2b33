/** Shared helpers for the SMTP dissector tests: feed steps, check prose and byte coverage. */
import { expect } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createSmtpDissector } from './dissector.ts';

export type Step = [StreamDir, string | Uint8Array];
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const raw = (x: string | Uint8Array): Uint8Array => (typeof x === 'string' ? enc(x) : x);

/** Feeds every step, ends the connection and returns all messages. */
export function dissect(steps: Step[]): DissectedMessage[] {
  const d = createSmtpDissector();
  return [...steps.flatMap(([dir, x]) => d.push(dir, raw(x))), ...d.end()];
}

/** Feeds the prefix, then returns only the messages produced by the last step. */
export function last(prefix: Step[], step: Step): DissectedMessage[] {
  const d = createSmtpDissector();
  for (const [dir, x] of prefix) d.push(dir, raw(x));
  return d.push(step[0], raw(step[1]));
}

/** Every annotation and field note resolved to real prose (a missing key would show the key itself). */
export function expectProse(messages: DissectedMessage[]): void {
  for (const m of messages) {
    if (m.annotation) expect(m.annotation.title).not.toBe(m.annotation.key);
    for (const f of m.fields ?? []) expect(f.note ?? '').not.toMatch(/^smtp\./);
  }
}

/** The step-mode invariant: per direction, message bytes add up to the bytes pushed. */
export function expectCovered(steps: Step[], messages: DissectedMessage[]): void {
  for (const dir of ['client', 'server'] as const) {
    const pushed = steps.filter(([d]) => d === dir).reduce((n, [, x]) => n + raw(x).length, 0);
    expect(messages.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0), dir).toBe(pushed);
  }
  expect(messages.filter((m) => m.dir === 'note').every((m) => m.bytes === 0)).toBe(true);
}

export const GREET: Step[] = [['server', '220 lab.local ESMTP\r\n']];
export const HELLO: Step[] = [...GREET, ['client', 'EHLO me\r\n'], ['server', '250 lab.local\r\n']];
export const TRANSACTION: Step[] = [...HELLO, ['client', 'MAIL FROM:<a@lab.local>\r\n'], ['server', '250 OK\r\n']];
export const IN_DATA: Step[] = [...TRANSACTION, ['client', 'RCPT TO:<b@lab.local>\r\n'], ['server', '250 OK\r\n'], ['client', 'DATA\r\n'], ['server', '354 go ahead\r\n']];
