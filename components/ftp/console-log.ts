import type { LabMessage } from '@/lib/wire/event.ts';

/** Which console mode the FTP terminal is in: raw control lines, or the friendly ftp(1)-style client. */
export type ConsoleMode = 'raw' | 'client';

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Turns one `console.output` chunk from the daemon's FTP console (help and mode lines; everything
 * about a session arrives as notes in the transcript) into lines for the terminal, or null to drop
 * it. In client mode basic-ftp logs every raw line ("> PASV", "< 227 …"); those are already in the
 * dissected transcript (with annotations), so they are dropped.
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

/** Console lines kept at most (the oldest go first; the terminal tracks the last one it wrote). */
const MAX_ITEMS = 5_000;

/**
 * The console's terminal content, append-only: the messages of every control connection the
 * console used (raw session, then each friendly `open`), each connection in seq order — which
 * already holds the lab's notes about the data connections and the console's own notes about the
 * session — plus the console's lines about itself (help, mode switches), placed after whatever
 * had arrived when they did. Nothing is ordered by time. A batch bringing messages of two of the
 * console's connections at once (rare: the idle raw session closing while client mode is busy)
 * takes the connections in the order the console used them.
 */
export class ConsoleLog {
  private items: LabMessage[] = [];
  private readonly placed = new Set<string>();
  private lines = 0;

  /** Appends the messages of `connections` (each in seq order) not placed yet. */
  sync(connections: readonly (readonly LabMessage[])[]): void {
    for (const messages of connections) {
      for (const message of messages) {
        if (this.placed.has(message.id)) continue;
        this.placed.add(message.id);
        this.items.push(message);
      }
    }
    if (this.items.length > MAX_ITEMS) this.items = this.items.slice(-MAX_ITEMS);
  }

  /** A line the console printed about itself: after everything received before it. */
  addLine(text: string, connections: readonly (readonly LabMessage[])[]): void {
    this.sync(connections);
    const seq = ++this.lines;
    this.items.push({ id: `console-line-${seq}`, conn: 'console', sandbox: '', protocol: 'ftp', seq, t: 0, dir: 'note', view: 'wire', kind: 'console', text });
  }

  /** What the terminal shows: placed messages `keep` accepts (the console's own lines always). */
  messages(keep: (m: LabMessage) => boolean = () => true): LabMessage[] {
    return this.items.filter((m) => m.kind === 'console' || keep(m));
  }

  get lineCount(): number {
    return this.lines;
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
