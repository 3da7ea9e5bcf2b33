import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '@/lib/wire/event.ts';
import { clientHost, describeRun, foldRepeats, MIN_RUN } from './repeats';

let port = 40000;
/** A closed 5 ms connection from a new client port, as a reconnecting client makes them. */
const retry = (startedAt: number, over: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  id: `zmq-${port}`,
  protocol: 'zmq',
  sandbox: 'local',
  startedAt,
  endedAt: startedAt + 5,
  messageCount: 9,
  client: `127.0.0.1:${port++}`,
  server: '127.0.0.1:5560',
  ...over,
});
const shape = (folded: ReturnType<typeof foldRepeats<ConnectionInfo>>) => folded.map((f) => (f.kind === 'one' ? 1 : `run of ${f.lines.length}`));
const fold = (list: ConnectionInfo[]) => foldRepeats(list, (c) => c);
/** Newest first, one every 150 ms (libzmq's reconnect interval plus the handshake). */
const storm = (n: number, from: number, over: Partial<ConnectionInfo> = {}) => Array.from({ length: n }, (_, i) => retry(from + (n - 1 - i) * 150, over));

describe('foldRepeats', () => {
  it('folds a reconnect storm into one run, newest first, and leaves its neighbours alone', () => {
    const console_ = retry(20_000, { label: 'REQ console', endedAt: 40_000 });
    const list = [console_, ...storm(30, 10_000), retry(1_000, { label: 'CURVE console' })];
    const folded = fold(list);
    expect(shape(folded)).toEqual([1, 'run of 30', 1]);
    const run = folded[1];
    expect(run.kind === 'run' && run.lines[0].startedAt).toBe(10_000 + 29 * 150);
  });

  it(`keeps fewer than ${MIN_RUN} alike connections as they are`, () => {
    expect(shape(fold(storm(MIN_RUN - 1, 0)))).toEqual(Array(MIN_RUN - 1).fill(1));
    expect(shape(fold(storm(MIN_RUN, 0)))).toEqual([`run of ${MIN_RUN}`]);
  });

  it('does not fold sessions that differ in what matters', () => {
    const differing: Partial<ConnectionInfo>[] = [
      { messageCount: 10 }, // a different exchange
      { server: '127.0.0.1:5555' },
      { client: '10.0.0.7:50000' },
      { label: 'REQ console' },
      { endedAt: null }, // still open
    ];
    for (const over of differing) {
      // Every other connection differs, so no two neighbours are alike.
      const list = Array.from({ length: 8 }, (_, i) => retry(10_000 - i * 150, i % 2 ? over : {}));
      expect(shape(fold(list)), JSON.stringify(over)).toEqual(Array(8).fill(1));
    }
  });

  it('does not fold long sessions, nor visits far apart', () => {
    expect(shape(fold(storm(6, 0).map((c) => ({ ...c, endedAt: c.startedAt + 10_000 }))))).toEqual(Array(6).fill(1));
    const apart = Array.from({ length: 6 }, (_, i) => retry(100_000 - i * 60_000));
    expect(shape(fold(apart))).toEqual(Array(6).fill(1));
  });

  it('never folds a line the caller keeps (a parent with children, a child)', () => {
    const list = storm(10, 0);
    const kept = new Set([list[4].id]);
    expect(shape(foldRepeats(list, (c) => (kept.has(c.id) ? null : c)))).toEqual(['run of 4', 1, 'run of 5']);
  });
});

describe('clientHost and describeRun', () => {
  it('drops the port, IPv6 brackets too', () => {
    expect(clientHost('127.0.0.1:35922')).toBe('127.0.0.1');
    expect(clientHost('[::1]:35922')).toBe('::1');
    expect(clientHost('console')).toBe('console');
  });

  it('says how many, from where and over how long', () => {
    expect(describeRun(storm(30, 10_000))).toBe('30 alike connections from 127.0.0.1 in 4.3 s — a client retrying?');
  });
});
