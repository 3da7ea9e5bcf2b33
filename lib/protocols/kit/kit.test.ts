import { describe, expect, it } from 'vitest';
import { createAnnotator } from './prose.ts';
import { lookupReplyIn, replyRowsFor, type ReplyTable } from './replies.ts';

describe('createAnnotator', () => {
  const annotate = createAnnotator({ prose: { 'x.a': { title: 'A', explain: 'About A.' } }, facts: (key) => (key === 'x.a' ? { key, ref: 'RFC 1 §1', level: 'warn' } : undefined) });

  it('joins a fact row with its prose, level info by default', () => {
    expect(annotate({ key: 'x.a', ref: 'RFC 2 §2' })).toEqual({ key: 'x.a', title: 'A', explain: 'About A.', ref: 'RFC 2 §2', level: 'info' });
  });
  it('finds the fact row of a bare key and appends the concrete case', () => {
    expect(annotate('x.a', { extra: 'Here: 3.' })).toEqual({ key: 'x.a', title: 'A', explain: 'About A. Here: 3.', ref: 'RFC 1 §1', level: 'warn' });
  });
  it('names an unknown key instead of throwing, and never reads inherited properties', () => {
    expect(annotate('constructor')).toEqual({ key: 'constructor', title: 'constructor', explain: '', level: 'info' });
  });
  it('builds a plain annotation once and shares it, never one with other options or another source', () => {
    const first = annotate('x.a');
    expect(annotate('x.a')).toBe(first);
    expect(annotate({ key: 'x.a', ref: 'RFC 1 §1', level: 'warn' })).toBe(first);
    // The same key cited elsewhere, at another level, or with a title or case of its own is its own annotation.
    expect(annotate({ key: 'x.a', ref: 'RFC 2 §2' })).toEqual({ key: 'x.a', title: 'A', explain: 'About A.', ref: 'RFC 2 §2', level: 'info' });
    expect(annotate('x.a', { level: 'error' })).toEqual({ key: 'x.a', title: 'A', explain: 'About A.', ref: 'RFC 1 §1', level: 'error' });
    expect(annotate('x.a', { title: 'Own title' }).title).toBe('Own title');
    expect(annotate('x.a', { extra: 'Here: 4.' }).explain).toBe('About A. Here: 4.');
    expect(annotate('x.a')).toEqual({ key: 'x.a', title: 'A', explain: 'About A.', ref: 'RFC 1 §1', level: 'warn' });
  });
});

describe('lookupReplyIn', () => {
  const { row, inContext } = replyRowsFor('p');
  const table: ReplyTable = {
    codes: { 250: row(250, 'r') },
    context: [inContext('RCPT', 550, 'relay', 'r', 'error', '5.7.1'), inContext('RCPT', 550, 'rcpt', 'r')],
    classes: { '2': { key: 'p.reply.2xx', ref: 'r', level: 'info' }, '5': { key: 'p.reply.5xx', ref: 'r', level: 'error' } },
    unknown: { key: 'p.reply.unknown', ref: 'r', level: 'warn' },
  };
  it.each([
    [550, 'RCPT', '5.7.1', 'p.reply.550.relay'],
    [550, 'RCPT', undefined, 'p.reply.550.rcpt'],
    [550, 'MAIL', undefined, 'p.reply.5xx'],
    [250, 'MAIL', undefined, 'p.reply.250'],
    [299, undefined, undefined, 'p.reply.2xx'],
    [650, undefined, undefined, 'p.reply.unknown'],
  ])('reply %i after %s (%s) is %s', (code, after, enhanced, key) => {
    expect(lookupReplyIn(table, code, after, enhanced).key).toBe(key);
  });
  it('gives 4xx rows warn and 5xx rows error', () => {
    expect([row(421, 'r').level, row(550, 'r').level, row(220, 'r').level]).toEqual(['warn', 'error', 'info']);
  });
});

describe('tlsRecordMessage', () => {
  it('gives FTP and SMTP records the same header fields (one builder)', async () => {
    const { tlsRecordMessage } = await import('./tls-message.ts');
    const { frameTls, initialTlsFramerState } = await import('../../wire/tls-records.ts');
    const [frame] = frameTls(initialTlsFramerState, Uint8Array.from([23, 3, 3, 0, 2, 0xaa, 0xbb])).frames;
    const message = tlsRecordMessage('server', frame!, { text: 'x', phase: 'data' });
    expect(message).toMatchObject({ kind: 'tls-record', bytes: 7, phase: 'data' });
    expect(message.fields).toEqual([
      { name: 'content type', value: '23 (Application Data)' },
      { name: 'version', value: '0x0303 (TLS 1.2)' },
      { name: 'length', value: '2' },
    ]);
  });
});
