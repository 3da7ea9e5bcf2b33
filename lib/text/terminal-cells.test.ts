import { describe, expect, it } from 'vitest';
import { Terminal } from '@xterm/headless';
import { charWidth, layOut, retype } from './terminal-cells.ts';

const width = (text: string) => [...text].reduce((sum, ch) => sum + charWidth(ch), 0);

describe('charWidth and layOut', () => {
  it('count a cell per character, two for wide East Asian ones, none for combining marks', () => {
    expect(width('ls -l docs')).toBe(10);
    expect(width('안녕하세요')).toBe(10);
    expect(width('سلام')).toBe(4);
    expect(width('e\u0301')).toBe(1);
  });

  it('start a wide character that does not fit in the last cell on the next row, and leave a full row waiting', () => {
    expect(layOut('x'.repeat(19) + '한', 20)).toEqual({ row: 1, col: 2 });
    expect(layOut('x'.repeat(20), 20)).toEqual({ row: 0, col: 20 });
  });
});

/** A real xterm: what its rows read and where its cursor is after `writes`. */
async function screen(cols: number, writes: string[]): Promise<{ text: string; cursor: [number, number] }> {
  const term = new Terminal({ cols, rows: 10, allowProposedApi: true });
  for (const data of writes) await new Promise<void>((resolve) => term.write(data, resolve));
  const buffer = term.buffer.active;
  const rows = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? '');
  const cursor: [number, number] = [buffer.baseY + buffer.cursorY, buffer.cursorX];
  term.dispose();
  return { text: rows.join('').trimEnd(), cursor };
}

/** Where the cursor should be: at the end of prompt + line, written from the top left. */
function endOf(text: string, cols: number): [number, number] {
  const end = layOut(text, cols);
  return end.col === cols ? [end.row, cols - 1] : [end.row, end.col];
}

describe('retype, as a real terminal shows it', () => {
  const prompt = 'student@lab:/$ ';
  const cols = 20;
  /** Echoes `typed` key by key, then retypes it as each of `edits` in turn. */
  const session = (typed: string, ...edits: string[]) => {
    const writes = [prompt, ...typed];
    let shown = typed;
    for (const next of edits) {
      writes.push(retype(prompt, shown, next, cols));
      shown = next;
    }
    return screen(cols, writes);
  };

  it('erases back across a row boundary, one character at a time', async () => {
    const typed = 'cat docs/hello.txt';
    const edits = Array.from({ length: 8 }, (_, i) => typed.slice(0, typed.length - 1 - i));
    const shown = await session(typed, ...edits);
    expect(shown.text).toBe(prompt + 'cat docs/h');
    expect(shown.cursor).toEqual(endOf(prompt + 'cat docs/h', cols));
  });

  it('erases a two-cell character whole, and one that had moved to the next row', async () => {
    const typed = 'cat 안녕하세요.txt';
    const shown = await session(typed, 'cat 안녕하세요.tx', 'cat 안녕하세요', 'cat 안녕하세', 'cat 안녕하', 'cat 안녕');
    expect(shown.text.replaceAll(' ', '')).toBe((prompt + 'cat 안녕').replaceAll(' ', ''));
    expect(shown.cursor).toEqual(endOf(prompt + 'cat 안녕', cols));
  });

  it('erases back over a full first row and on, then typing goes on where the line ends', async () => {
    const typed = 'echo 안녕하세요';
    const edits = Array.from({ length: 6 }, (_, i) => typed.slice(0, typed.length - 1 - i));
    const writes = [prompt, ...typed];
    let shown = typed;
    for (const next of edits) {
      writes.push(retype(prompt, shown, next, cols));
      shown = next;
    }
    const after = await screen(cols, [...writes, ...' 안녕']);
    expect(after.text).toBe(prompt + 'echo 안녕');
    expect(after.cursor).toEqual(endOf(prompt + 'echo 안녕', cols));
  });

  it('replaces a long line by a shorter one and back (history ↑/↓), then typing goes on from its end', async () => {
    const long = 'grep -r student docs/ notes/';
    const shown = await session(long, 'ls', long, 'pwd');
    expect(shown.text).toBe(prompt + 'pwd');
    expect(shown.cursor).toEqual(endOf(prompt + 'pwd', cols));
  });

  it('erases back to a full row and keeps its last character', async () => {
    const typed = 'x'.repeat(cols - prompt.length) + 'yz';
    const shown = await session(typed, typed.slice(0, -1), typed.slice(0, -2));
    expect(shown.text).toBe(prompt + 'x'.repeat(cols - prompt.length));
    // Typing on goes to the next row, as after the first time the row filled.
    const again = await screen(cols, [prompt, ...typed, retype(prompt, typed, typed.slice(0, -2), cols), 'Q']);
    expect(again.text).toBe(prompt + 'x'.repeat(cols - prompt.length) + 'Q');
  });
});
