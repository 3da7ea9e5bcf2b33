import type { LabMessage } from '@/lib/wire/event.ts';
import { escapeControls } from '@/lib/wire/escape.ts';

/** Which messages a view shows: the endpoint view hides ciphertext, the wire view shows only the wire. */
export type ViewMode = 'endpoint' | 'wire';

export function isVisible(message: LabMessage, mode: ViewMode): boolean {
  if (mode === 'wire') return message.view === 'wire';
  return message.kind !== 'tls-record' && message.kind !== 'encrypted';
}

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const COLOURS = {
  client: '\x1b[38;2;125;211;252m',
  server: '\x1b[38;2;134;239;172m',
  note: '\x1b[38;2;252;211;77m',
  warn: '\x1b[38;2;251;191;36m',
  error: '\x1b[38;2;248;113;113m',
};
const PREFIX = { client: 'C: ', server: 'S: ', note: '•  ' };

/** The first sentence of a longer explanation: enough for a dim line under the message. */
export function firstSentence(text: string): string {
  // A sentence ends at . ! or ? right after a word and before a capital or the end, so quoted
  // dots ("." or CR LF . CR LF) don't cut it short.
  const match = text.match(/^.*?\S[.!?](?=\s+[A-Z(]|\s*$)/);
  return match ? match[0] : text;
}

/** One message as terminal lines (ANSI colour, CRLF line ends); all text escaped again defensively. */
export function renderMessage(message: LabMessage, options: { annotations: boolean }): string {
  const colour = COLOURS[message.dir];
  const lines = escapeControls(message.text.replace(/\r?\n/g, '\u2028')).split('\u2028');
  let out = lines
    .map((line, i) => `${colour}${i === 0 ? PREFIX[message.dir] : '   '}${line}${RESET}`)
    .join('\r\n');
  const a = message.annotation;
  if (options.annotations && a) {
    const levelColour = a.level === 'error' ? COLOURS.error : a.level === 'warn' ? COLOURS.warn : '';
    const sentence = a.explain ? firstSentence(a.explain) : '';
    const explain = sentence ? `: ${sentence}` : '';
    // Many explanations already cite their section; don't print it twice.
    const ref = a.ref && !sentence.includes(a.ref) ? ` (${a.ref})` : '';
    out += `\r\n${DIM}${levelColour}   ↳ ${escapeControls(a.title + explain + ref)}${RESET}`;
  }
  return out + '\r\n';
}
