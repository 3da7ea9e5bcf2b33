import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { byteGlyph, bytesFields, fieldAt } from './byte-fields';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('bytesFields', () => {
  it("lays an SMTP command's fields over its bytes and lists the rest apart", () => {
    const result = bytesFields(
      { kind: 'command', fields: [{ name: 'verb', value: 'AUTH' }, { name: 'mechanism', value: 'PLAIN' }, { name: 'password', value: '••••••' }] },
      bytes('AUTH PLAIN AHN0dWRlbnQAc2VjcmV0\r\n'),
    );
    expect(result.source).toBe('dissector');
    expect(result.fields.map((f) => [f.name, f.start, f.end])).toEqual([
      ['verb', 0, 4],
      ['mechanism', 5, 10],
    ]);
    expect(result.unlocated.map((f) => f.name)).toEqual(['password']);
  });

  it('parses a TLS record itself instead of trusting the record summary fields', () => {
    const hex = (JSON.parse(readFileSync(new URL('../../lib/protocols/kit/fixtures/tls-hellos.json', import.meta.url), 'utf8')) as { hellos: { hex: string }[] }).hellos[0].hex;
    const result = bytesFields({ kind: 'tls-record', fields: [{ name: 'type', value: 'Handshake' }] }, Uint8Array.from(Buffer.from(hex, 'hex')));
    expect(result.source).toBe('tls');
    expect(result.fields.find((f) => f.name === 'host name')?.value).toBe('lab.test');
  });

  it('reads a ClientHello sent to a plaintext port (implicit TLS against STARTTLS) as TLS', () => {
    const hex = (JSON.parse(readFileSync(new URL('../../lib/protocols/kit/fixtures/tls-hellos.json', import.meta.url), 'utf8')) as { hellos: { hex: string }[] }).hellos[4].hex;
    expect(bytesFields({ kind: 'command', fields: [] }, Uint8Array.from(Buffer.from(hex, 'hex'))).source).toBe('tls');
  });
});

describe('fieldAt', () => {
  const fields = [
    { name: 'extensions', value: '', start: 0, end: 20, depth: 1 },
    { name: 'extension server_name', value: '', start: 2, end: 12, depth: 2 },
    { name: 'host name', value: '', start: 6, end: 12, depth: 3 },
  ];
  it.each([
    [0, 0],
    [3, 1],
    [7, 2],
    [15, 0],
    [20, -1],
  ])('byte %i is under field %i (the innermost)', (offset, index) => {
    expect(fieldAt(fields, offset)).toBe(index);
  });
});

describe('byteGlyph', () => {
  it('shows line ends and controls so they can be seen', () => {
    expect([0x41, 0x0d, 0x0a, 0x09, 0x00, 0x1b, 0xc3].map(byteGlyph).join('')).toBe('A←↓⇥···');
  });
});
