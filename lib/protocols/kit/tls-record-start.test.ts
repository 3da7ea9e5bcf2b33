import { describe, expect, it } from 'vitest';
import { MAX_TLS_RECORD, tlsRecordAt, tlsRecordStart, tlsRecordStartFields } from './tls-record-start.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('tlsRecordAt', () => {
  it.each([
    ['a whole record', bytes(0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00), 0, 7],
    ['a record after a line', bytes(0x41, 0x0a, 0x16, 0x03, 0x03, 0x00, 0x00), 2, 5],
    ['one byte 0x16', bytes(0x16), 0, 'incomplete'],
    ['a header cut short', bytes(0x16, 0x03, 0x01, 0x02), 0, 'incomplete'],
    ['a body cut short', bytes(0x16, 0x03, 0x01, 0x00, 0x05, 0x01), 0, 'incomplete'],
    ['0x16 then text', bytes(0x16, 0x41), 0, null],
    ['a command', bytes(0x51, 0x55, 0x49, 0x54), 0, null],
    ['a length no record has', bytes(0x16, 0x03, 0x01, 0xff, 0xff), 0, null],
    ['nothing', bytes(), 0, null],
  ])('reads %s', (_, data, pos, expected) => {
    expect(tlsRecordAt(data, pos)).toBe(expected);
  });

  it('takes the longest record there is', () => {
    const len = MAX_TLS_RECORD - 5;
    const record = new Uint8Array(MAX_TLS_RECORD);
    record.set([0x16, 0x03, 0x03, len >> 8, len & 0xff]);
    expect(tlsRecordAt(record, 0)).toBe(MAX_TLS_RECORD);
  });
});

describe('tlsRecordStart', () => {
  it('tells a ClientHello and its declared size, whole or cut short', () => {
    expect(tlsRecordStart(bytes(0x16, 0x03, 0x01, 0x01, 0x40, 0x01, 0x00))).toEqual({ hello: true, total: 325 });
    expect(tlsRecordStart(bytes(0x16, 0x03, 0x03, 0x00, 0x04, 0x02))).toEqual({ hello: false, total: 9 });
    expect(tlsRecordStart(bytes(0x16, 0x03))).toEqual({ hello: false, total: null });
    expect(tlsRecordStartFields(bytes(0x16, 0x03, 0x01, 0x01, 0x40, 0x01))).toEqual([
      { name: 'first bytes', value: '16 03 01 01 40 01' },
      { name: 'length', value: '320' },
    ]);
    expect(tlsRecordStartFields(bytes(0x16, 0x03))).toEqual([{ name: 'first bytes', value: '16 03' }]);
  });
});
