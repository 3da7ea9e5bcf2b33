/**
 * Step mode's hold-edit-release for one held message of a direction gate (gate.ts): what the student
 * may edit (the message, or an HTTP message's whole unit), the bytes and re-read messages an edit
 * releases, and a drop.
 */
import type { EditContext, HeldEditor, HeldOriginal } from '../protocols/edits.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import { groupDigits } from '../text/numbers.ts';
import { escapeControls } from './escape.ts';
import type { HeldEdits } from './step.ts';
import type { ReleasedMessage } from './step-types.ts';

/** One framed message on its way through the gate. */
export interface GateItem {
  message: DissectedMessage;
  /** Where it starts in the source stream (what the client or server sent). */
  sourceAt: number;
  /** Its bytes still held here (all of them unless some were forwarded before anything framed them). */
  toRelease: number;
  /** Its bytes forwarded before it was framed (step mode or a rule started in the middle of it). */
  covered: number;
  /** Replaced as part of an edited unit (an HTTP message edited whole): releases nothing, records nothing. */
  void: boolean;
  /** The rest of its unit (an HTTP message's headers and body), held with it and released right after it by the same Step. */
  followers: GateItem[];
}

/** How step mode changed a held message before releasing it. */
export type Change = { kind: 'edit'; bytes: Buffer; messages: DissectedMessage[]; original: string } | { kind: 'drop'; text: string };

/** What an edit reads of its gate, and asks it to do. */
export interface EditTarget {
  dir: StreamDir;
  /** The gate's framed items waiting, oldest first. */
  pending: readonly GateItem[];
  /** The next `count` held bytes, not taken. */
  peek(count: number): Buffer;
  /** The client's last released message (the primer a server reply is re-read after), for the server's gate. */
  lastClient(): ReleasedMessage | undefined;
  release(item: GateItem, change: Change): void;
}

/** Largest held message offered for editing. */
const MAX_EDITABLE = 64 * 1024;

/** What step mode's hold-edit-release may do to a held item. */
export function heldEdits(item: GateItem, editor: HeldEditor, gate: EditTarget): HeldEdits {
  return {
    offer: () => {
      const unit = unitOf(item, editor, gate);
      return typeof unit === 'string' ? { refusal: unit } : { text: editor.textOf(unit.original) };
    },
    release: (text) => {
      const unit = unitOf(item, editor, gate);
      if (typeof unit === 'string') return unit;
      const bytes = editor.encode(unit.original, text);
      if (typeof bytes === 'string') return bytes;
      const context: EditContext = { lastClient: gate.lastClient() };
      const reread = editor.reread(unit.original, bytes, context);
      const messages = reread.length > 0 ? reread : [{ ...item.message, text: escapeControls(text), bytes: bytes.length, annotation: undefined, fields: undefined }];
      for (const part of unit.parts) part.void = true;
      const original = unit.parts.length > 0 ? escapeControls(editor.textOf(unit.original)) : item.message.text;
      gate.release(item, { kind: 'edit', bytes, messages, original });
      return null;
    },
    drop: () => {
      const unit = unitOf(item, editor, gate);
      if (typeof unit !== 'string') for (const part of unit.parts) part.void = true;
      gate.release(item, { kind: 'drop', text: item.message.text });
    },
  };
}

/**
 * The held unit an edit replaces: the item itself, or (HTTP) the item and the parts framed after
 * it. Its bytes are the start of the gate's held bytes, because Step releases a direction's items in order.
 */
function unitOf(item: GateItem, editor: HeldEditor, gate: EditTarget): { original: HeldOriginal; parts: GateItem[] } | string {
  const refusal = editor.refusal(item.message);
  if (refusal) return refusal;
  if (gate.pending[0] !== item) return 'only the next held message of this direction can be edited';
  if (item.covered > 0) return 'part of this message went through before step mode held it';
  const parts: GateItem[] = [];
  if (editor.continues) {
    for (const next of gate.pending.slice(1)) {
      if (!editor.continues(item.message, next.message)) break;
      if (next.message.dir === gate.dir) parts.push(next);
    }
    if (!editor.complete?.([item.message, ...parts.map((p) => p.message)])) return 'the rest of this message has not arrived yet: Step once it has, or wait';
  }
  const length = [item, ...parts].reduce((sum, p) => sum + p.toRelease, 0);
  // The whole text travels in every step state: a bulk message is stepped, not edited.
  if (length > MAX_EDITABLE) return `too large to edit here (${groupDigits(length)} bytes; at most ${groupDigits(MAX_EDITABLE)})`;
  return { original: { message: item.message, bytes: gate.peek(length) }, parts };
}
