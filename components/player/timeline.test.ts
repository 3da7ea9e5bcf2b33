import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { mergeTimeline, messageParam, moveTo, parseMessageParam, playDelay, playerHref } from './timeline';

const conn = (id: string, startedAt: number, parent?: string): ConnectionInfo => ({ id, protocol: 'ftp', sandbox: 'local', startedAt, endedAt: null, messageCount: 0, client: '127.0.0.1:1', parent });
const msg = (c: string, seq: number, t: number): LabMessage => ({ id: `${c}:${seq}`, conn: c, sandbox: 'local', protocol: 'ftp', seq, t, dir: 'client', view: 'wire', kind: 'command', text: `${c} ${seq}` });

describe('mergeTimeline', () => {
  it("interleaves a data connection's messages with its control connection's by wall-clock time", () => {
    const messages: Record<string, LabMessage[]> = {
      ctl: [msg('ctl', 1, 0), msg('ctl', 2, 100), msg('ctl', 3, 300)],
      data: [msg('data', 1, 10), msg('data', 2, 50)],
    };
    const merged = mergeTimeline([conn('ctl', 1000), conn('data', 1150, 'ctl')], (id) => messages[id] ?? []);
    expect(merged.map((m) => m.id)).toEqual(['ctl:1', 'ctl:2', 'data:1', 'data:2', 'ctl:3']);
  });
  it('keeps the parent first when two messages happen in the same millisecond', () => {
    const merged = mergeTimeline([conn('ctl', 0), conn('data', 0, 'ctl')], (id) => [msg(id, 1, 5)]);
    expect(merged.map((m) => m.id)).toEqual(['ctl:1', 'data:1']);
  });
  it('keeps the parent first at the same tenth of a millisecond, whatever floating-point noise the sums carry', () => {
    // 1796220225565.1 + 0.1 is 1796220225565.2002 in floating point: a plain sum puts the child first.
    const merged = mergeTimeline([conn('ctl', 1796220225565.1), conn('data', 1796220225565.2, 'ctl')], (id) => [msg(id, 1, id === 'ctl' ? 0.1 : 0)]);
    expect(merged.map((m) => m.id)).toEqual(['ctl:1', 'data:1']);
  });
});

describe('the URL names the message', () => {
  it.each([
    ['4', { conn: 'smtp-a', seq: 4 }],
    ['2000.5', { conn: 'smtp-a', seq: 2000.5 }],
    ['ftp-data_1:3', { conn: 'ftp-data_1', seq: 3 }],
    ['x', null],
    ['4; drop', null],
    [':4', null],
    ['a/b:4', null],
  ])('msg=%s', (value, expected) => {
    expect(parseMessageParam('smtp-a', value)).toEqual(expected);
  });
  it('round-trips through playerHref', () => {
    expect(playerHref('ctl', msg('ctl', 7, 0))).toBe('/sessions/ctl?msg=7');
    expect(playerHref('ctl', msg('data', 2, 0))).toBe('/sessions/ctl?msg=data%3A2');
    expect(parseMessageParam('ctl', messageParam('ctl', msg('data', 2, 0)))).toEqual({ conn: 'data', seq: 2 });
  });
});

describe('moveTo', () => {
  it.each<[number, Parameters<typeof moveTo>[2], number]>([
    [3, 'back', 2],
    [0, 'back', 0],
    [3, 'forward', 4],
    [9, 'forward', 9],
    [5, 'home', 0],
    [2, 'end', 9],
    [2, { to: 7 }, 6],
    [2, { to: 0 }, 0],
    [2, { to: 99 }, 9],
  ])('from %i, %o lands on %i of 10', (from, move, to) => {
    expect(moveTo(from, 10, move)).toBe(to);
  });
});

describe('playDelay', () => {
  const startedAt = (c: string) => (c === 'data' ? 1000 : 0);
  it('waits the chosen pace, or the recorded gap cut to 100 ms … 3 s', () => {
    expect(playDelay(800, msg('ctl', 1, 0), msg('ctl', 2, 5), startedAt)).toBe(800);
    expect(playDelay('recorded', msg('ctl', 1, 0), msg('ctl', 2, 450), startedAt)).toBe(450);
    expect(playDelay('recorded', msg('ctl', 1, 0), msg('ctl', 2, 5), startedAt)).toBe(100);
    expect(playDelay('recorded', msg('ctl', 1, 0), msg('ctl', 2, 60_000), startedAt)).toBe(3000);
    expect(playDelay('recorded', msg('ctl', 1, 900), msg('data', 1, 200), startedAt)).toBe(300);
  });
});
