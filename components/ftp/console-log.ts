import { PROTECTED_DATA_NOTE } from '@/lib/protocols/ftp/console-notes.ts';
import type { LabMessage } from '@/lib/wire/event.ts';

/** Which console mode the FTP terminal is in: raw control lines, or the friendly ftp(1)-style client. */
export type ConsoleMode = 'raw' | 'client';

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Turns one `console.output` chunk from the daemon's FTP console into note lines for the
 * terminal, or null to drop it. In client mode basic-ftp logs every raw line ("> PASV",
 * "< 227 …"); those are already in the dissected transcript (with annotations), so they are dropped.
 */
export function parseConsoleOutput(data: string): string[] | null {
  const text = data.replace(ANSI, '');
  if (/^[<>] /.test(text)) return null;
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/^# /, '').replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '');
  return lines.length > 0 ? lines : null;
}

/** One console line for the terminal: 'console-tls' lines are file contents that crossed inside TLS. */
export interface ConsoleLine {
  text: string;
  kind: 'console' | 'console-tls';
}

/**
 * Marks the lines of one output chunk: after a header naming a TLS-protected data connection, the
 * rest are decrypted file contents, which the eavesdropper view must not show.
 */
export function classifyConsoleLines(lines: string[]): ConsoleLine[] {
  const protectedBlock = lines[0]?.includes(PROTECTED_DATA_NOTE) ?? false;
  return lines.map((text, i) => ({ text, kind: protectedBlock && i > 0 ? 'console-tls' : 'console' }));
}

/** How long a message waits before it is written, so late events still land in time order (hub batches are 25 ms). */
export const HOLD_MS = 150;

/**
 * The console's terminal content: the dissected messages of every control connection the console
 * used (raw session, then each friendly `open`) plus the lab's own notes, in time order. The
 * console's notes reach the browser before the tap's batched events, so everything is held for
 * HOLD_MS and then released in time order; once released, an item keeps its place, so the
 * terminal only ever appends.
 */
export class ArrivalLog {
  private released: LabMessage[] = [];
  private releasedIds = new Set<string>();
  private notes: { message: LabMessage; at: number }[] = [];
  /** True when something is still held back (the caller should render again after HOLD_MS). */
  pending = false;

  /** Records a note line from the console, stamped with the time it arrived. */
  addNote(text: string, at: number, conn = 'console', kind: ConsoleLine['kind'] = 'console'): void {
    const seq = this.notes.length + 1;
    // Decrypted contents belong to the endpoint view only; `keep` decides for them like for any message.
    const message: LabMessage = { id: `console-note-${seq}`, conn, sandbox: '', protocol: 'ftp', seq, t: 0, dir: 'note', view: 'endpoint', kind, text };
    this.notes.push({ message, at });
  }

  /**
   * Releases what is older than `now - HOLD_MS` (all views, so the order is the same in both) and
   * returns the released items that `keep` accepts; notes are always kept (not decrypted contents).
   */
  merge(messages: LabMessage[], timeOf: (m: LabMessage) => number, now: number, keep: (m: LabMessage) => boolean = () => true): LabMessage[] {
    const waiting = [
      ...messages.filter((m) => !this.releasedIds.has(m.id)).map((m) => ({ message: m, at: timeOf(m) })),
      ...this.notes.filter((n) => !this.releasedIds.has(n.message.id)),
    ].sort((a, b) => a.at - b.at);
    this.pending = false;
    for (const item of waiting) {
      if (item.at > now - HOLD_MS) {
        this.pending = true;
        break;
      }
      this.released.push(item.message);
      this.releasedIds.add(item.message.id);
    }
    return this.released.filter((m) => m.kind === 'console' || keep(m));
  }

  get noteCount(): number {
    return this.notes.length;
  }
}

/** Spells out a 227/229 reply's decoded address in its annotation title, so the terminal shows it. */
export function decorate(message: LabMessage): LabMessage {
  if (message.dir !== 'server' || !message.annotation || !/^22[79] /.test(message.text)) return message;
  const port = message.fields?.find((f) => f.name === 'port');
  if (!port) return message;
  const address = message.fields?.find((f) => f.name === 'address')?.value;
  const how = port.note?.startsWith('p1') ? ` (${port.note.replace(/^p1×256\+p2 = /, '')})` : '';
  const target = address ? `${address}:${port.value}` : `port ${port.value} on the server's address`;
  return { ...message, annotation: { ...message.annotation, title: `${message.annotation.title} → connect to ${target}${how}` } };
}
