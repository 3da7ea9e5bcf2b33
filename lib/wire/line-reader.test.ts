import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atLineStart, drainLineReader, newLineReader, readLine, type LineEvent, type LineLimits } from './line-reader.ts';

const LIMITS: LineLimits = { lineBuffer: 16, overlongBlock: 8, preview: 4 };
const enc = (s: string) => new TextEncoder().encode(s);
const show = (ev: LineEvent) => (ev.t === 'line' ? { ...ev, content: new TextDecoder().decode(ev.content) } : ev.t === 'overlong' ? { ...ev, preview: new TextDecoder().decode(ev.preview) } : ev);

/** Every event of `chunks` read in turn, then what a drain leaves. */
function readAll(chunks: Uint8Array[], limits = LIMITS) {
  const r = newLineReader();
  const events: ReturnType<typeof show>[] = [];
  let maxBuf = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; ) {
      const { ev, next } = readLine(r, chunk, i, limits);
      expect(next).toBeGreaterThan(i);
      i = next;
      maxBuf = Math.max(maxBuf, r.buf.length);
      if (ev) events.push(show(ev));
    }
  }
  const { partial, more } = drainLineReader(r);
  return { events, partial: partial.length, more, maxBuf, atStart: atLineStart(r) };
}

describe('line reader', () => {
  it('frames lines, an overlong line (start, blocks, end) and a partial line', () => {
    const { events, partial } = readAll([enc('HELO a\r\nbare\n' + 'x'.repeat(30) + '\r\nok')]);
    expect(events).toEqual([
      { t: 'line', content: 'HELO a', crlf: true, bytes: 8 },
      { t: 'line', content: 'bare', crlf: false, bytes: 5 },
      { t: 'overlong', preview: 'xxxx', bytes: 16 },
      { t: 'more', bytes: 8, total: 24, ended: false, crlf: false },
      { t: 'more', bytes: 8, total: 32, ended: true, crlf: true },
    ]);
    expect(partial).toBe(2);
  });

  it('is at a line start only with nothing of the next line read', () => {
    const r = newLineReader();
    expect(atLineStart(r)).toBe(true);
    readLine(r, enc('ab'), 0, LIMITS);
    expect(atLineStart(r)).toBe(false);
    readLine(r, enc('\n'), 0, LIMITS);
    expect(atLineStart(r)).toBe(true);
  });

  it('drains an overlong remainder as a count and leaves the reader at a line start', () => {
    const { events, more, atStart } = readAll([enc('y'.repeat(21))]);
    expect(events.map((e) => e.t)).toEqual(['overlong']);
    expect(more).toEqual({ t: 'more', bytes: 5, total: 21, ended: false, crlf: false });
    expect(atStart).toBe(true);
  });

  it('gives the same events for any split, keeps its buffer bounded and accounts for every byte', () => {
    const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => b.map((x) => (x % 4 === 0 ? 0x0a : x % 4 === 1 ? 0x0d : x)));
    fc.assert(
      fc.property(bytes, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), (data, cuts) => {
        const chunks: Uint8Array[] = [];
        for (let pos = 0, i = 0; pos < data.length; i++) {
          chunks.push(data.subarray(pos, pos + cuts[i % cuts.length]));
          pos += cuts[i % cuts.length];
        }
        const whole = readAll([data]);
        const split = readAll(chunks);
        expect(split.events).toEqual(whole.events);
        expect(split.partial).toBe(whole.partial);
        expect(split.maxBuf).toBeLessThan(LIMITS.lineBuffer);
        const covered = split.events.reduce((n, e) => n + e.bytes, 0) + split.partial + (split.more?.bytes ?? 0);
        expect(covered).toBe(data.length);
      }),
    );
  });
});
