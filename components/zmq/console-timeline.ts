import { isVisible, type ViewMode } from '@/components/terminal/render';
import type { LabMessage } from '@/lib/wire/event.ts';

/** Most lines a console keeps (the feed keeps its own cap per connection). */
const MAX_ENTRIES = 5000;
/** A colour or cursor sequence from the console's program output: the terminal panel draws its own. */
const CSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * One pattern console's screen: what its program printed (`Sending request 1 …`) and the ZMTP
 * frames of its connections, in the order they reached the page. Program lines are notes (the wire never
 * carries them); frames keep their own view. Pure, for tests.
 */
export class ConsoleTimeline {
  private entries: LabMessage[] = [];
  private seen = new Set<string>();
  private partial = '';
  private lines = 0;
  private snapshot: LabMessage[] = [];

  constructor(private readonly name: string) {}

  /** Program output: complete lines become entries, an unfinished one waits for its end. */
  addOutput(data: string): boolean {
    const text = (this.partial + data.replace(CSI, '')).replace(/\r\n?/g, '\n');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const fresh = parts.filter((line) => line.trim() !== '');
    for (const line of fresh) {
      this.lines++;
      this.push({
        id: `${this.name}-out-${this.lines}`,
        conn: '',
        sandbox: '',
        protocol: 'zmq',
        seq: 0,
        t: 0,
        dir: 'note',
        view: 'endpoint',
        kind: 'console',
        text: line,
      });
    }
    return fresh.length > 0;
  }

  /** Frames of the console's connections, each connection's in its own order; known ones are skipped. */
  addFrames(messages: readonly LabMessage[]): boolean {
    let changed = false;
    for (const message of messages) {
      if (this.seen.has(message.id)) continue;
      this.seen.add(message.id);
      this.push(message);
      changed = true;
    }
    return changed;
  }

  /** A new run: the screen starts empty (the old connection stays in the connection list). */
  clear(): void {
    this.entries = [];
    this.snapshot = [];
    this.seen.clear();
    this.partial = '';
  }

  /** The same array until something changes, then a new one, so React sees it. */
  list(): LabMessage[] {
    if (this.snapshot.length !== this.entries.length || this.snapshot.at(-1) !== this.entries.at(-1)) this.snapshot = this.entries.slice();
    return this.snapshot;
  }

  private push(entry: LabMessage): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }
}

/**
 * What a console's screen shows in a view: its frames as that view has them, and its program's own lines
 * in both. They are the student's screen, not the wire: hidden in the eavesdropper view, `help` and
 * `wrongkey` there printed nothing at all and the console looked dead.
 */
export function shownOnScreen(entries: readonly LabMessage[], mode: ViewMode): LabMessage[] {
  return entries.filter((m) => m.kind === 'console' || isVisible(m, mode));
}
