/**
 * A ZMTP 2.0 peer (ZMTP RFC 15) meeting libzmq 4.3.5: the bytes are recorded from a real zeromq REP
 * (libzmq 4.3.5) answering a hand-written ZMTP 2.0 REQ (signature, revision 1, socket type REQ, an empty
 * identity, then an enveloped "Hello"). libzmq read the revision and answered in ZMTP 2.0 itself.
 */
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createZmtpDissector } from './dissector.ts';
import { TEXT } from './text.en.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
// The client: FF 00…01 7F · revision 01 · socket type 03 (REQ) · identity 00 00 · 01 00 (delimiter) · 00 05 "Hello".
const CLIENT = hex('ff00000000000000017f 01 03 0000 0100 0005 48656c6c6f');
// libzmq 4.3.5, recorded: its signature and major version 3, then (having read revision 1) socket type 04 (REP) and an
// empty identity; then the reply "World" behind the delimiter.
const SERVER = [hex('ff00000000000000017f 03 04 0000'), hex('0100 0005 576f726c64')];

function dissect(steps: [StreamDir, Uint8Array][], split = false): DissectedMessage[] {
  const d = createZmtpDissector();
  const out: DissectedMessage[] = [];
  for (const [dir, bytes] of steps) {
    if (split) for (let i = 0; i < bytes.length; i++) out.push(...d.push(dir, bytes.subarray(i, i + 1)));
    else out.push(...d.push(dir, bytes));
  }
  return [...out, ...d.end()];
}

const steps: [StreamDir, Uint8Array][] = [['client', CLIENT.subarray(0, 10)], ['server', SERVER[0].subarray(0, 11)], ['client', CLIENT.subarray(10)], ['server', SERVER[0].subarray(11)], ['server', SERVER[1]]];

describe('a ZMTP 2.0 peer (ZMTP RFC 15)', () => {
  it('words the greeting as RFC 15 §5.1 defines it: signature, revision, socket type and the identity frame', () => {
    // greeting = signature revision socket-type identity: the identity frame is the greeting's last part, not a frame after it.
    expect(TEXT['zmtp.v2.revision']?.explain).toMatch(/Its greeting is the signature, this revision, one octet naming the socket type, and an identity frame/);
    expect(TEXT['zmtp.v2.socket-type']?.explain).toMatch(/the greeting's last part, the identity frame, comes next/);
    expect(TEXT['zmtp.v2.identity']?.explain).toMatch(/^The last part of a ZMTP 2\.0 greeting/);
  });

  it('reads its greeting as signature, revision and socket type by name, then its identity frame', () => {
    const out = dissect(steps).filter((m) => m.dir === 'client');
    expect(out.map((m) => [m.kind, m.text, m.bytes, m.annotation?.key])).toEqual([
      ['greeting', 'signature FF 00 00 00 00 00 00 00 01 7F', 10, 'zmtp.greeting.signature'],
      ['greeting', 'revision 1 (ZMTP 2.0)', 1, 'zmtp.v2.revision'],
      ['greeting', 'socket type 3 (REQ)', 1, 'zmtp.v2.socket-type'],
      ['frame', 'identity [0] ‹empty›', 2, 'zmtp.v2.identity'],
      ['frame', 'MORE [0] ‹empty› (frame 1, more follow)', 2, 'zmtp.frame.delimiter'],
      ['frame', '[5] "Hello" (frame 2 of 2)', 7, 'zmtp.frame.message'],
    ]);
    expect(out[1].annotation?.ref).toBe('ZMTP RFC 15 §5.1, §5.5; ZMTP RFC 37 §6.1');
    expect(out[2].annotation?.ref).toBe('ZMTP RFC 15 §5.1, §5.3');
    expect(out[2].fields).toContainEqual(expect.objectContaining({ name: 'socket-type', value: 'REQ' }));
  });

  it('reads libzmq answering in ZMTP 2.0: major 3, then its socket type instead of the rest of a 3.x greeting', () => {
    const out = dissect(steps).filter((m) => m.dir === 'server');
    expect(out.map((m) => [m.kind, m.text, m.bytes, m.annotation?.key])).toEqual([
      ['greeting', 'signature FF 00 00 00 00 00 00 00 01 7F', 10, 'zmtp.greeting.signature'],
      ['greeting', 'version major 3', 1, 'zmtp.greeting.major'],
      ['greeting', 'socket type 4 (REP)', 1, 'zmtp.v2.downgrade'],
      ['frame', 'identity [0] ‹empty›', 2, 'zmtp.v2.identity'],
      ['frame', 'MORE [0] ‹empty› (frame 1, more follow)', 2, 'zmtp.frame.delimiter'],
      ['frame', '[5] "World" (frame 2 of 2)', 7, 'zmtp.frame.message'],
    ]);
    expect(out[2].annotation?.ref).toBe('ZMTP RFC 37 §6.1, §6.2; ZMTP RFC 15 §5.1');
  });

  it('frames the same messages when every octet arrives alone, and nothing is left truncated', () => {
    const whole = dissect(steps).map((m) => [m.dir, m.text, m.bytes]);
    expect(dissect(steps, true).map((m) => [m.dir, m.text, m.bytes])).toEqual(whole);
    expect(dissect(steps).filter((m) => m.kind === 'truncated' || m.kind === 'undecoded')).toEqual([]);
  });

  it('says when the two socket types may not talk (RFC 15 §5.3)', () => {
    const push = hex('ff00000000000000017f 01 08 0000');
    const out = dissect([['client', push], ['server', SERVER[0]]]);
    const types = out.filter((m) => m.text.startsWith('socket type'));
    expect(types.map((m) => m.annotation?.level)).toEqual(['info', 'error']);
    expect(types[1].annotation?.explain).toContain('PUSH');
  });

  it('names an unknown socket-type octet as such, without losing step', () => {
    const out = dissect([['client', hex('ff00000000000000017f 01 2a 0000 0003 616263')]]);
    expect(out.map((m) => m.text)).toEqual(['signature FF 00 00 00 00 00 00 00 01 7F', 'revision 1 (ZMTP 2.0)', 'socket type 42 (unknown)', 'identity [0] ‹empty›', '[3] "abc" (single frame)']);
    expect(out[2].annotation?.level).toBe('warn');
  });

  it('refuses ZMTP 2.0 flags with reserved bits set (RFC 15 §5.2): a 3.x COMMAND flag is not one', () => {
    const out = dissect([['client', hex('ff00000000000000017f 01 03 0000 0405 5245414459')]]);
    expect(out.at(-2)?.annotation?.key).toBe('zmtp.frame.bad-flags');
  });
});
