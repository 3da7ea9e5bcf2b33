import { describe, expect, it } from 'vitest';
import { editorFor, ENCRYPTED_REFUSAL } from './edits.ts';
import type { DissectedMessage } from './types.ts';

const msg = (m: Partial<DissectedMessage> & Pick<DissectedMessage, 'dir' | 'kind'>): DissectedMessage => ({ text: '', bytes: 0, ...m });

describe('held-message editors', () => {
  it('re-reads an edited SMTP command with the SMTP dissector (fields and annotation from the edit)', () => {
    const smtp = editorFor('smtp')!;
    const original = { message: msg({ dir: 'client', kind: 'command', text: 'RCPT TO:<a@lab.test>' }), bytes: Buffer.from('RCPT TO:<a@lab.test>\r\n') };
    expect(smtp.textOf(original)).toBe('RCPT TO:<a@lab.test>');
    const bytes = smtp.encode(original, 'MAIL FROM:<x@y.example>\n');
    expect(bytes).toEqual(Buffer.from('MAIL FROM:<x@y.example>\r\n'));
    // Two lines would be two commands: refused, not joined into one the user never typed.
    expect(smtp.encode(original, 'MAIL FROM:<x@y.example>\r\nRCPT TO:<a@lab.test>\r\n')).toMatch(/^one command per edit/);
    const [read] = smtp.reread(original, bytes as Buffer, {});
    expect(read).toMatchObject({ dir: 'client', kind: 'command', text: 'MAIL FROM:<x@y.example>', bytes: 25, fields: expect.arrayContaining([{ name: 'reverse-path', value: '<x@y.example>' }]) });
    expect(read.annotation?.key).toBe('smtp.cmd.MAIL');
  });

  it('reads an edited reply as the answer to the command released before it', () => {
    const smtp = editorFor('smtp')!;
    const original = { message: msg({ dir: 'server', kind: 'reply', text: '250 OK' }), bytes: Buffer.from('250 OK\r\n') };
    const lastClient = { message: msg({ dir: 'client', kind: 'command' }), bytes: Buffer.from('RCPT TO:<x@elsewhere.example>\r\n') };
    const [read] = smtp.reread(original, smtp.encode(original, '550 5.7.1 Relaying denied') as Buffer, { lastClient });
    expect(read.annotation?.key).toMatch(/^smtp\.reply\.550\.relay/);
  });

  it('reads an edited reply to EHLO (in the greeting phase) as the answer to the EHLO, the greeting itself as a greeting', () => {
    const smtp = editorFor('smtp')!;
    const original = { message: msg({ dir: 'server', kind: 'reply', text: '250 hi', phase: 'greeting' }), bytes: Buffer.from('250 hi\r\n') };
    const lastClient = { message: msg({ dir: 'client', kind: 'command' }), bytes: Buffer.from('EHLO a.example\r\n') };
    const [read] = smtp.reread(original, smtp.encode(original, '250-lab.test hello\n250 SIZE 1000') as Buffer, { lastClient });
    expect(read.annotation?.key).toBe('smtp.reply.250.ehlo');
    const greeting = { message: msg({ dir: 'server', kind: 'reply', text: '220 x', phase: 'greeting' }), bytes: Buffer.from('220 x\r\n') };
    expect(smtp.reread(greeting, smtp.encode(greeting, '220 other.example ESMTP') as Buffer, {})[0].annotation?.key).toBe('smtp.reply.220.greeting');
  });

  it('re-encodes a ZMTP message frame (MORE kept, LONG from the new size) and refuses commands', () => {
    const zmq = editorFor('zmq')!;
    const frame = Buffer.from([0x01, 5, ...Buffer.from('Hello')]);
    const original = { message: msg({ dir: 'client', kind: 'frame', text: 'Hello' }), bytes: frame };
    expect(zmq.textOf(original)).toBe('Hello');
    const long = zmq.encode(original, 'x'.repeat(300)) as Buffer;
    expect([...long.subarray(0, 9)]).toEqual([0x03, 0, 0, 0, 0, 0, 0, 0x01, 0x2c]);
    const short = zmq.encode(original, 'World') as Buffer;
    expect([...short]).toEqual([0x01, 5, ...Buffer.from('World')]);
    expect(zmq.reread(original, short, {})[0]).toMatchObject({ kind: 'frame', bytes: 7 });
    expect(zmq.refusal(msg({ dir: 'client', kind: 'command' }))).toMatch(/commands/);
  });

  it('says that an envelope delimiter edited to carry text no longer delimits (a REQ or REP drops the message)', () => {
    const zmq = editorFor('zmq')!;
    const delimiter = { message: msg({ dir: 'server', kind: 'frame', text: '', annotation: { key: 'zmtp.frame.delimiter', title: 'd', explain: 'd' } }), bytes: Buffer.from([0x01, 0]) };
    const [edited] = zmq.reread(delimiter, zmq.encode(delimiter, 'x') as Buffer, {});
    expect(edited.annotation).toMatchObject({ key: 'zmtp.frame.no-delimiter', level: 'warn' });
    const [kept] = zmq.reread(delimiter, zmq.encode(delimiter, '') as Buffer, {});
    expect(kept.annotation?.key).toBe('zmtp.frame.delimiter');
  });

  it('fixes Content-Length when an HTTP message is edited, and refuses encrypted records', () => {
    const soap = editorFor('soap')!;
    const original = { message: msg({ dir: 'client', kind: 'request-line' }), bytes: Buffer.from('POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc') };
    const edited = soap.encode(original, 'POST /x HTTP/1.1\nHost: a\nContent-Length: 3\n\nabcdef') as Buffer;
    expect(edited.toString()).toBe('POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabcdef');
    expect(soap.refusal(msg({ dir: 'client', kind: 'header' }))).toMatch(/whole HTTP message/);
    expect(editorFor('smtp')!.refusal(msg({ dir: 'client', kind: 'tls-record' }))).toBe(ENCRYPTED_REFUSAL);
    // The 220 that answers STARTTLS is still cleartext: held, it can be changed (as a man in the middle would).
    expect(editorFor('smtp')!.refusal(msg({ dir: 'server', kind: 'reply', text: '220 2.0.0 Ready to start TLS', phase: 'tls' }))).toBeNull();
    expect(editorFor('smtp')!.refusal(msg({ dir: 'client', kind: 'data', text: 'Hello' }))).toBe('a line of the mail text cannot be edited here: only a command or a reply');
    expect(editorFor('ssh')!.refusal(msg({ dir: 'client', kind: 'encrypted' }))).toBe(ENCRYPTED_REFUSAL);
  });
});
