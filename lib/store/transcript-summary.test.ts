import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isSummary, OverflowCounts, summaryNote } from './transcript-summary.ts';
import type { LabMessage } from '../wire/event.ts';

const message = (conn: string, seq: number, dir: LabMessage['dir'], kind: string): LabMessage => ({
  id: `${conn}:${seq}`, conn, sandbox: 'local', protocol: 'smtp', seq, t: 0, dir, view: 'wire', kind, text: kind, bytes: 3,
});

describe('transcript summary', () => {
  it('tells the summary note from every message of its connection and of others', () => {
    const counts = new OverflowCounts();
    counts.add(message('smtp-a', 11, 'client', 'command'));
    const note = summaryNote({ id: 'smtp-a', sandbox: 'local', protocol: 'smtp' }, 10, counts, false);
    expect(isSummary(note)).toBe(true);
    expect(isSummary(message('smtp-a', 11, 'client', 'command'))).toBe(false);
    // Another connection's note, and ids that only look alike, are not this connection's summary.
    expect(isSummary({ id: 'smtp-b:summary', conn: 'smtp-a' })).toBe(false);
    expect(isSummary({ id: 'smtp-ab:summary', conn: 'smtp-a' })).toBe(false);
    expect(isSummary({ id: 'smtp-a:summaries', conn: 'smtp-a' })).toBe(false);
    expect(note.phase).toBe('summary');
  });

  it('counts by direction and kind in first-seen order', () => {
    const counts = new OverflowCounts();
    for (const [dir, kind] of [['client', 'command'], ['server', 'reply'], ['client', 'command'], ['client', 'reply'], ['server', 'reply']] as const) {
      counts.add(message('smtp-a', counts.count + 11, dir, kind));
    }
    expect([...counts.byKind]).toEqual([['client command', 2], ['server reply', 2], ['client reply', 1]]);
    expect({ count: counts.count, bytes: counts.bytes, firstSeq: counts.firstSeq, lastSeq: counts.lastSeq }).toEqual({ count: 5, bytes: 15, firstSeq: 11, lastSeq: 15 });
  });

  it("leaves stamped messages' hidden class alone (its seq, cap + 0.5, is not a small integer)", () => {
    // V8 shares one hidden class between literals that start with the same properties; a note of
    // the stamped message's shape would turn every message's seq into a boxed number from then on.
    // Asked in a fresh process: one that made a note before this test would pass whatever the order.
    const here = (file: string) => new URL(file, import.meta.url).href;
    const script = `
      import { stampMessage } from ${JSON.stringify(here('../wire/recorder.ts'))};
      import { OverflowCounts, summaryNote } from ${JSON.stringify(here('./transcript-summary.ts'))};
      const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
      const conn = { id: 'smtp-a', sandbox: 'local', protocol: 'smtp' };
      const dissected = { dir: 'client', kind: 'command', text: 'NOOP', bytes: 6 };
      const before = stampMessage(dissected, conn, 10, 1, 'wire');
      const counts = new OverflowCounts();
      counts.add(stampMessage(dissected, conn, 11, 2, 'wire'));
      summaryNote(conn, 10, counts, false);
      const after = stampMessage(dissected, conn, 12, 3, 'wire');
      console.log(JSON.stringify({ sameMap: haveSameMap(before, after) }));
    `;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ sameMap: true });
  });
});
