import { describe, expect, it } from 'vitest';
import { ByteBatch } from './byte-batch.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (view: Uint8Array) => new TextDecoder().decode(view);

describe('ByteBatch', () => {
  it('says where each chunk lies and hands over exactly the bytes gathered', () => {
    const batch = new ByteBatch(16);
    expect(batch.add(bytes('HELO a\r\n'))).toEqual({ from: 0, to: 8 });
    expect(batch.add(bytes('250 ok\r\n'))).toEqual({ from: 8, to: 16 });
    const taken = batch.take();
    expect(taken.byteLength).toBe(16);
    expect(taken.buffer.byteLength).toBe(16);
    expect(text(taken.subarray(8, 16))).toBe('250 ok\r\n');
  });

  it('keeps earlier chunks when it grows', () => {
    const batch = new ByteBatch(4);
    const first = batch.add(bytes('abc'));
    const second = batch.add(bytes('defghijklmnop'));
    const third = batch.add(bytes('q'.repeat(40)));
    const taken = batch.take();
    expect(text(taken.subarray(first.from, first.to))).toBe('abc');
    expect(text(taken.subarray(second.from, second.to))).toBe('defghijklmnop');
    expect(text(taken.subarray(third.from, third.to))).toBe('q'.repeat(40));
  });

  it('copies a chunk when it is added: later changes to the caller’s buffer do not reach the batch', () => {
    const batch = new ByteBatch();
    const chunk = bytes('RCPT TO:<a@b>');
    const at = batch.add(chunk);
    chunk.fill(0x21);
    expect(text(batch.take().subarray(at.from, at.to))).toBe('RCPT TO:<a@b>');
  });

  it('starts empty again after take, and a taken batch is not changed by later adds', () => {
    const batch = new ByteBatch(8);
    batch.add(bytes('one'));
    const first = batch.take();
    expect(batch.length).toBe(0);
    expect(batch.add(bytes('two'))).toEqual({ from: 0, to: 3 });
    expect(text(first)).toBe('one');
    expect(text(batch.take())).toBe('two');
  });

  it('reads a chunk that is a view into a larger buffer as just that view', () => {
    const pooled = bytes('xxxxPAYLOADyyyy');
    const batch = new ByteBatch();
    const at = batch.add(pooled.subarray(4, 11));
    expect(at).toEqual({ from: 0, to: 7 });
    expect(text(batch.take())).toBe('PAYLOAD');
  });

  it('gives back the memory a burst made it grow to, once that batch is taken', () => {
    const batch = new ByteBatch(16);
    batch.add(new Uint8Array(1000));
    expect(batch.capacity).toBeGreaterThanOrEqual(1000);
    expect(batch.take().byteLength).toBe(1000);
    expect(batch.capacity).toBe(16);
    // A batch that grew a little keeps its room for the next one.
    batch.add(new Uint8Array(100));
    batch.take();
    expect(batch.capacity).toBe(100);
  });
});
