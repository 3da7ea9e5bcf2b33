import { describe, expect, it } from 'vitest';
import { folderFirst, type FileRow } from './file-panel';

describe('folderFirst', () => {
  it('lists folders before files, each by name, whatever order the server listed them in', () => {
    const rows: FileRow[] = [
      { name: 'notes.txt', type: 'file', size: 5 },
      { name: 'upload', type: 'directory', size: 0 },
      { name: 'README.txt', type: 'file', size: 9 },
      { name: 'archive', type: 'directory', size: 0 },
    ];
    expect(folderFirst(rows).map((r) => r.name)).toEqual(['archive', 'upload', 'notes.txt', 'README.txt']);
    expect(rows[0].name).toBe('notes.txt');
  });
});
