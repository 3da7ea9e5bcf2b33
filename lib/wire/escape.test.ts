import { describe, expect, it } from 'vitest';
import { bytesToSafeText, escapeControls, hexPreview, visibleControl } from './escape.ts';

describe('escapeControls', () => {
  it.each([
    ['\x1b[31mred', '^[[31mred'],
    ['\x1bP$q\x1b\\', '^[P$q^[\\'],
    ['a\x00b', 'a^@b'],
    ['tab\tkept', 'tab\tkept'],
    ['line\r\n', 'line^M^J'],
    ['del\x7f', 'del^?'],
    ['c1\u009bx', 'c1\\x9bx'],
    ['ünïcødé ✓', 'ünïcødé ✓'],
  ])('shows %j as %j', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });

  it('escapes exactly the C0 (but tab), DEL and C1 characters, wherever they stand', () => {
    for (let code = 0; code <= 0x2ff; code++) {
      const ch = String.fromCharCode(code);
      const shown = code === 0x09 ? ch : (visibleControl(code) ?? ch);
      expect(escapeControls(`a${ch}b`)).toBe(`a${shown}b`);
    }
  });

  it('is a no-op on its own output (escaping twice never garbles text)', () => {
    const hostile = '\x1b[31m\x07\x1bP$q\x1b\\\u009b\r\n\x00\x7f';
    expect(escapeControls(escapeControls(hostile))).toBe(escapeControls(hostile));
    expect(escapeControls(hostile)).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
  });

  it('decodes invalid UTF-8 to replacement characters, never raw bytes', () => {
    expect(bytesToSafeText(Uint8Array.from([0x41, 0xff, 0x1b, 0x42]))).toBe('A\ufffd^[B');
  });

  it('previews binary as hex', () => {
    expect(hexPreview(Uint8Array.from([0x16, 0x03, 0x01]))).toBe('16 03 01');
    expect(hexPreview(new Uint8Array(20), 2)).toBe('00 00 …');
    expect(hexPreview(new Uint8Array(0))).toBe('');
    // Every byte value, two lowercase digits each, as Node's own hex encoding writes them.
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    expect(hexPreview(all, 256)).toBe(Buffer.from(all).toString('hex').replace(/(..)(?!$)/g, '$1 '));
  });
});
