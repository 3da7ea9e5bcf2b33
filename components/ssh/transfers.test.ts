import { describe, expect, it } from 'vitest';
import type { Transfer } from './api';
import { newUploadTo } from './transfers';

const transfer = (id: string, over: Partial<Transfer> = {}): Transfer => ({ id, direction: 'upload', path: '/notes.txt', bytes: 0, total: 10, startedAt: 0, finishedAt: null, error: null, ...over });

describe('newUploadTo', () => {
  it('finds the upload that was not listed before, whatever its clock says', () => {
    const earlier = transfer('old', { startedAt: 5_000_000, finishedAt: 5_000_100, bytes: 10 });
    // The daemon's clock is ten minutes behind the page's: the new upload "started" long before the page began it.
    const mine = transfer('new', { startedAt: 5_000_000 - 600_000, bytes: 4 });
    expect(newUploadTo([mine, earlier], '/notes.txt', new Set(['old']))?.id).toBe('new');
  });

  it('ignores downloads, other paths and what was there before', () => {
    const listed = [transfer('a'), transfer('b', { direction: 'download' }), transfer('c', { path: '/other.txt' })];
    expect(newUploadTo(listed, '/notes.txt', new Set(['a']))).toBeUndefined();
  });
});
