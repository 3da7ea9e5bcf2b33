import type { LabMessage } from '@/lib/wire/event.ts';
import { breakIntoRows } from '@/lib/text/row-breaks.ts';
import { wrapForTerminal } from '@/lib/text/terminal-wrap.ts';
import { escapeControls } from '@/lib/wire/escape.ts';

/** Which messages a view shows: the endpoint view hides ciphertext, the wire view shows only the wire. */
export type ViewMode = 'endpoint' | 'wire';

export function isVisible(message: LabMessage, mode: ViewMode): boolean {
  if (mode === 'wire') return message.view === 'wire';
  return message.kind !== 'tls-record' && message.kind !== 'encrypted';
}

const RESET = '\x1b[0m';
/** Annotation lines: a quiet but readable grey (slate-300, 12:1 on the terminal background), not SGR dim, which a projector washes out. */
const ANNOTATION = '\x1b[38;2;203;213;225m';
/** Indent of an annotation and of its continuation lines. */
const ANNOTATION_INDENT = '   ↳ ';
const CONTINUATION_INDENT = '     ';
/** Indent of a message's continuation rows: under its text, after the prefix (each prefix is as wide). */
const CONTINUATION = '   ';
const COLOURS = {
  client: '\x1b[38;2;125;211;252m',
  server: '\x1b[38;2;134;239;172m',
  note: '\x1b[38;2;252;211;77m',
  warn: '\x1b[38;2;251;191;36m',
  error: '\x1b[38;2;248;113;113m',
};
const PREFIX = { client: 'C: ', server: 'S: ', note: '•  ' };

/**
 * The parts of a citation ("RFC 5321 §4.2.3, §4.1.1.4") that a text does not already cite, keeping each
 * part's document name: the annotation line must not print the same section twice.
 */
export function citationsNotIn(ref: string, text: string): string {
  let doc = '';
  const kept: { doc: string; section: string }[] = [];
  for (const part of ref.split(/\s*[;,]\s*/)) {
    const match = /^(.*?)\s*(§\s*[\w.–-]+)$/.exec(part);
    if (!match) {
      if (!text.includes(part)) kept.push({ doc: part, section: '' });
      continue;
    }
    if (match[1]) doc = match[1];
    if (!text.includes(match[2])) kept.push({ doc, section: match[2] });
  }
  // Rejoin, naming each document once before its first section.
  return kept
    .map((k, i) => (k.section ? (i > 0 && kept[i - 1].doc === k.doc ? k.section : `${k.doc} ${k.section}`.trim()) : k.doc))
    .join(', ');
}

/**
 * `sentence` with the citation `rest` added: into the sentence's own closing citation when it ends with one
 * ("… (RFC 5321 §4.1.1.10, §3.8)." and "RFC 5321 §4.2.3" make "… (RFC 5321 §4.1.1.10, §3.8, §4.2.3)."),
 * otherwise after it in parentheses. One citation per line reads better on a projector than two.
 */
export function withCitations(sentence: string, rest: string): string {
  if (!rest) return sentence;
  const closing = /\(([^()]*§[^()]*)\)(\.?)$/.exec(sentence);
  if (!closing) return `${sentence}${sentence ? ' ' : ''}(${rest})`;
  const [whole, inner, dot] = closing;
  // The same document named again right after its own sections reads as a repeat: keep its sections only.
  const doc = /^(.*?)\s*§/.exec(rest)?.[1] ?? '';
  const lastDoc = [...inner.matchAll(/(?:^|[;,]\s*)([^;,§\s][^;,§]*?)\s*§/g)].at(-1)?.[1] ?? '';
  const added = doc && doc === lastDoc ? rest.slice(doc.length).trimStart() : rest;
  return `${sentence.slice(0, -whole.length)}(${inner}, ${added})${dot}`;
}

/** The first sentence of a longer explanation: enough for a dim line under the message. */
export function firstSentence(text: string): string {
  // A sentence ends at . ! or ? right after a word and before a capital, a line break or the end,
  // so quoted dots ("." or CR LF . CR LF) don't cut it short; nor do "e.g.", "i.e.", "cf." and "vs.",
  // capitalised too ("E.g." opening a sentence). Not the `i` flag: [A-Z(] must stay capitals only.
  const match = text.match(/^[^\n]*?\S(?<!\b(?:[Ee]\.g|[Ii]\.e|[Cc]f|[Vv]s))[.!?](?=\s+[A-Z(]|[ \t]*\n|\s*$)/);
  return match ? match[0] : text;
}

/**
 * One message as terminal lines (ANSI colour, CRLF line ends); all text escaped again defensively.
 * `cols` is the terminal's width: annotations wrap at word boundaries under their own indent.
 */
export function renderMessage(message: LabMessage, options: { annotations: boolean; cols?: number }): string {
  const colour = COLOURS[message.dir];
  // Each line escaped on its own: a U+2028 the client sent is marked like any invisible character, never a line break.
  const text = message.text.split(/\r?\n/).map(escapeControls);
  // Every line is broken into rows here, at the terminal's width, so continuation rows go on under the text
  // after the prefix; xterm's own wrap would cut at the last column, inside a number or a word ("data con|nection").
  // The lab's own notes (a console's help and program lines, what the lab did) keep their help rows'
  // hanging indent; wire text breaks at spaces, and a token longer than a row after `,` `;` `/` `=` `&`.
  const prefix = PREFIX[message.dir];
  const width = options.cols ? options.cols - prefix.length : 0;
  const rowsOf = (line: string) => (message.dir === 'note' ? wrapForTerminal(line, width).split('\r\n') : breakIntoRows(line, width, prefix.length));
  const lines = width > 0 ? text.flatMap(rowsOf) : text;
  let out = lines
    .map((line, i) => `${colour}${i === 0 ? prefix : CONTINUATION}${line}${RESET}`)
    .join('\r\n');
  const a = message.annotation;
  if (options.annotations && a) {
    const levelColour = a.level === 'error' ? COLOURS.error : a.level === 'warn' ? COLOURS.warn : '';
    const sentence = a.explain ? firstSentence(a.explain) : '';
    // Many explanations already cite their section; don't print it twice.
    const rest = a.ref ? citationsNotIn(a.ref, sentence) : '';
    const cited = withCitations(sentence, rest);
    const width = options.cols ? Math.max(20, options.cols - ANNOTATION_INDENT.length - 1) : 0;
    const lines = breakIntoRows(escapeControls(a.title + (sentence ? `: ${cited}` : cited)), width, ANNOTATION_INDENT.length);
    const colour = levelColour || ANNOTATION;
    out += lines.map((line, i) => `\r\n${colour}${i === 0 ? ANNOTATION_INDENT : CONTINUATION_INDENT}${line}${RESET}`).join('');
  }
  return out + '\r\n';
}
