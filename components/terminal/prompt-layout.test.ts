import { describe, expect, it } from 'vitest';
import { Terminal } from '@xterm/headless';
import { erasePrompt, placeCursor } from './prompt-layout';

describe('placeCursor', () => {
  const text = (cells: number) => 'x'.repeat(cells);
  it('leaves the cursor at the end of a prompt, on the row the last cell is on', () => {
    expect(placeCursor(text(10), '', 20)).toEqual({ sequence: '', cursorRow: 0 });
    expect(placeCursor(text(25), '', 20)).toEqual({ sequence: '', cursorRow: 1 });
    // A full row waits to wrap: the cursor is still on it.
    expect(placeCursor(text(38), '', 20, 2)).toEqual({ sequence: '', cursorRow: 1 });
  });

  it('moves the cursor back across rows for an edit inside a wrapped line', () => {
    expect(placeCursor(text(3), text(40), 20, 2)).toEqual({ sequence: '\x1b[2A\r\x1b[5C', cursorRow: 0 });
    expect(placeCursor(text(38), text(5), 20, 2)).toEqual({ sequence: '\r', cursorRow: 2 });
    expect(placeCursor(text(20), text(20), 20)).toEqual({ sequence: '\r', cursorRow: 1 });
  });

  it('moves a wide character that does not fit in the last cell to the next row, as xterm does', () => {
    // 19 narrow cells, then 한 (two cells): it starts the second row.
    expect(placeCursor(text(19), '한', 20)).toEqual({ sequence: '\r', cursorRow: 1 });
  });

  it('erases from the prompt row the cursor is on up to its first, and any status rows above', () => {
    expect(erasePrompt(0)).toBe('\r\x1b[J');
    expect(erasePrompt(2, 1)).toBe('\x1b[3A\r\x1b[J');
  });
});

/** What a real xterm shows after the prompt was drawn once per key, as terminal-panel.tsx redraws it. */
async function typedInto(cols: number, line: string, cursorBack = 0): Promise<{ rows: string[]; cursor: [number, number] }> {
  const term = new Terminal({ cols, rows: 12, allowProposedApi: true });
  const write = (data: string) => new Promise<void>((resolve) => term.write(data, resolve));
  let cursorRow = 0;
  const draw = async (typed: string, cursor: number) => {
    const placed = placeCursor(typed.slice(0, cursor), typed.slice(cursor), cols, 2);
    await write(erasePrompt(cursorRow) + '› ' + typed + placed.sequence);
    cursorRow = placed.cursorRow;
  };
  await write('S: 220 ready\r\n');
  for (let i = 1; i <= line.length; i++) await draw(line.slice(0, i), i);
  for (let back = 1; back <= cursorBack; back++) await draw(line, line.length - back);
  const buffer = term.buffer.active;
  const rows = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? '').filter(Boolean);
  const cursor: [number, number] = [buffer.baseY + buffer.cursorY, buffer.cursorX];
  term.dispose();
  return { rows, cursor };
}

describe('a prompt redrawn key by key in a real terminal', () => {
  it('keeps one copy of a line typed past the terminal width', async () => {
    const line = 'MAIL FROM:<a.very.long.address.of.a.student@some-really-long-domain.lab.test>';
    const { rows } = await typedInto(30, line);
    expect(rows.join('')).toBe('S: 220 ready› ' + line);
    expect(rows).toHaveLength(1 + Math.ceil((line.length + 2) / 30));
  });

  it('keeps one copy of a line of wide characters, and puts the cursor back inside it', async () => {
    const line = '제목: 안녕하세요 여러분, 오늘은 SMTP를 배웁니다';
    const { rows, cursor } = await typedInto(20, line, 3);
    expect(rows.join('').replaceAll(' ', '')).toBe(('S: 220 ready› ' + line).replaceAll(' ', ''));
    // Three characters back from the end: the cursor is just before 웁, where xterm drew it.
    const term = new Terminal({ cols: 20, rows: 12, allowProposedApi: true });
    await new Promise<void>((resolve) => term.write('S: 220 ready\r\n› ' + line, resolve));
    const buffer = term.buffer.active;
    const end = { row: buffer.baseY + buffer.cursorY, col: buffer.cursorX };
    term.dispose();
    expect(end.row).toBe(cursor[0]);
    expect(rows.at(-1)?.replaceAll(' ', '')).toMatch(/배웁니다$/);
    expect(cursor[1]).toBe(end.col - 6);
  });
});
