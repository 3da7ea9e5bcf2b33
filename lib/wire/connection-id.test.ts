/** Connection ids name a connection in URLs and the store: unique and URL-safe, also past one pool of random bytes. */
import { describe, expect, it } from 'vitest';
import { newConnectionId } from './recorder.ts';

describe('newConnectionId', () => {
  it('gives distinct URL-safe ids, more of them than one draw of random bytes covers', () => {
    const ids = Array.from({ length: 1000 }, () => newConnectionId('ssh'));
    for (const id of ids) expect(id).toMatch(/^ssh-[A-Za-z0-9_-]{8}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
