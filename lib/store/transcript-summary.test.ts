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
});
