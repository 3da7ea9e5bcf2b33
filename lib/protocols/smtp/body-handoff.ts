/**
 * Wireshark-style hand-off from SMTP DATA: when a mail's Content-Type names a payload a registered
 * child dissector reads (today SOAP: application/soap+xml or text/xml, SOAP 1.2 Email Binding), the
 * SMTP dissector collects the body and, at the final ".", hands it over through the registry
 * (handoffs.ts) and appends the child's annotated lines. SMTP names no child dissector itself.
 */
import { HANDOFFS } from '../handoffs.ts';
import { findHandoff, handoffById, type HandoffRegistry } from '../kit/handoff.ts';
import { latin1 } from '../../wire/line-reader.ts';
import type { DissectedMessage } from '../types.ts';
import type { DataAcc } from './state.ts';

/** Bodies larger than this are not handed off (the SOAP host refuses > 1 MiB too). */
export const BODY_LIMIT = 256 * 1024;
/** Header sections longer than this are not searched for a SOAP Content-Type. */
const HEADER_LIMIT = 16 * 1024;

/** What the dissector keeps while a body for a child dissector streams by (plain data). */
export interface HandoffBody {
  /** The registered child that will read it (kit/handoff.ts `id`). */
  handler: string;
  transferEncoding: string;
  text: string;
  truncated: boolean;
}

const headerPatterns = new Map<string, RegExp>();

/** The pattern for one header name, built once (every mail's header section is searched with it). */
function headerPattern(name: string): RegExp {
  let pattern = headerPatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
    headerPatterns.set(name, pattern);
  }
  return pattern;
}

/** Reads a header from a raw header block (unfolding continuation lines, RFC 5322 §2.2.3). */
function header(block: string, name: string): string | undefined {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const match = unfolded.match(headerPattern(name));
  return match?.[1].trim();
}

/** The child dissector that reads a body with this Content-Type value, if any. */
export function handoffFor(contentType: string, registry: HandoffRegistry = HANDOFFS) {
  return findHandoff(registry, { mediaType: contentType });
}

/** At the end of the header section: a HandoffBody to fill if a registered child reads this mail's body. */
export function bodyFor(headerBlock: string, registry: HandoffRegistry = HANDOFFS): HandoffBody | null {
  const contentType = header(headerBlock, 'Content-Type');
  const handler = contentType ? handoffFor(contentType, registry) : undefined;
  if (!handler) return null;
  return { handler: handler.id, transferEncoding: (header(headerBlock, 'Content-Transfer-Encoding') ?? '7bit').toLowerCase(), text: '', truncated: false };
}

/** Adds one body line (dot-stuffing already undone by the caller). */
export function appendBodyLine(body: HandoffBody, line: string): void {
  if (body.text.length + line.length + 1 > BODY_LIMIT) body.truncated = true;
  else body.text += `${line}\n`;
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** The body decoded per its Content-Transfer-Encoding (RFC 2045 §6). */
export function decodeBody(body: HandoffBody): Buffer {
  if (body.transferEncoding === 'base64') return Buffer.from(body.text.replace(/\s+/g, ''), 'base64');
  if (body.transferEncoding === 'quoted-printable') return decodeQuotedPrintable(body.text);
  return Buffer.from(body.text, 'latin1');
}

/** The messages the child dissector contributes: one note naming the hand-off, then its annotated lines. */
export function handOff(body: HandoffBody, registry: HandoffRegistry = HANDOFFS): DissectedMessage[] {
  const handler = handoffById(registry, body.handler);
  if (!handler) return [];
  if (body.truncated) {
    return [{ dir: 'note', kind: 'note', text: `${handler.name} body over ${BODY_LIMIT / 1024} KiB: not handed to the ${handler.name} dissector`, bytes: 0, phase: 'data' }];
  }
  const result = handler.dissect(decodeBody(body), { dir: 'client', maxLines: 200 });
  const note: DissectedMessage = {
    dir: 'note',
    kind: 'note',
    text: `The message body is ${result.description}: handed to the ${handler.name} dissector`,
    bytes: 0,
    phase: 'data',
    annotation: handler.note,
  };
  return [note, ...result.messages.map((line) => ({ ...line, phase: 'data' }))];
}

/** Keeps the header section (to find Content-Type) and, for a body a child dissector reads, the body itself. */
export function collectBody(d: DataAcc, line: Uint8Array, leadingDot: boolean): void {
  const text = latin1(leadingDot ? line.subarray(1) : line);
  if (!d.headerDone) {
    if (d.headerBlock.length < HEADER_LIMIT) d.headerBlock += `${text}\n`;
  } else if (d.body) appendBodyLine(d.body, text);
}
