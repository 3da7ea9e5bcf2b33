/**
 * The ZMTP golden transcripts (real libzmq bytes, tests/golden/zmtp-record.ts) replayed through the
 * dissector: the expected protocol steps are there, and every split of every chunk, byte-by-byte feeding
 * and same-direction chunks merged all give the same messages as the recorded chunks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createZmtpDissector } from './dissector.ts';
import type { ZmtpGolden } from './golden-format.ts';

const GOLDEN = fileURLToPath(new URL('../../../tests/golden/', import.meta.url));
const transcripts = readdirSync(GOLDEN)
  .filter((f) => /^zmtp-.*\.json$/.test(f))
  .sort()
  .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(GOLDEN + f, 'utf8')) as ZmtpGolden] as const);

/** Keys each recording must show. */
const EXPECTED: Record<string, string[]> = {
  'zmtp-req-rep': ['zmtp.greeting.signature', 'zmtp.greeting.major', 'zmtp.greeting.rest', 'zmtp.cmd.READY', 'zmtp.frame.delimiter', 'zmtp.frame.message', 'zmtp.cmd.PING', 'zmtp.cmd.PONG'],
  'zmtp-pub-sub': ['zmtp.cmd.SUBSCRIBE', 'zmtp.frame.part', 'zmtp.frame.message', 'zmtp.cmd.CANCEL'],
  'zmtp-sub-30': ['zmtp.greeting.v30', 'zmtp.frame.subscribe-30', 'zmtp.frame.message'],
  'zmtp-curve': ['zmtp.curve.HELLO', 'zmtp.curve.WELCOME', 'zmtp.curve.INITIATE', 'zmtp.curve.READY', 'zmtp.curve.MESSAGE'],
  'zmtp-plain': ['zmtp.plain.HELLO', 'zmtp.plain.WELCOME', 'zmtp.plain.INITIATE', 'zmtp.plain.READY', 'zmtp.frame.delimiter'],
  'zmtp-incompatible': ['zmtp.cmd.READY', 'zmtp.handshake.closed'],
};

type Piece = [StreamDir, Uint8Array];
const seen = (m: DissectedMessage) => [m.dir, m.kind, m.text, m.bytes, m.annotation?.key, m.annotation?.level, m.phase, JSON.stringify(m.fields ?? [])].join(' · ');

function run(pieces: Piece[]): string[] {
  const d = createZmtpDissector();
  return [...pieces.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()].map(seen);
}

function merged(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const [dir, bytes] of pieces) {
    const last = out.at(-1);
    if (last && last[0] === dir) out[out.length - 1] = [dir, Buffer.concat([last[1], bytes])];
    else out.push([dir, bytes]);
  }
  return out;
}

describe('ZMTP golden transcripts (real libzmq bytes)', () => {
  it('has the six recordings', () => {
    expect(transcripts.map(([name]) => name)).toEqual(['zmtp-curve', 'zmtp-incompatible', 'zmtp-plain', 'zmtp-pub-sub', 'zmtp-req-rep', 'zmtp-sub-30']);
  });

  for (const [name, transcript] of transcripts) {
    describe(name, () => {
      const pieces: Piece[] = transcript.chunks.map((c) => [c.dir, new Uint8Array(Buffer.from(c.data, 'base64'))]);
      const whole = run(pieces);

      it('shows the recorded protocol steps and accounts for every byte', () => {
        const d = createZmtpDissector();
        const out = [...pieces.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()];
        for (const key of EXPECTED[name] ?? []) expect(out.some((m) => m.annotation?.key === key), key).toBe(true);
        for (const dir of ['client', 'server'] as const) {
          const total = pieces.filter(([x]) => x === dir).reduce((n, [, b]) => n + b.length, 0);
          expect(out.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0)).toBe(total);
        }
        expect(out.some((m) => m.kind === 'undecoded' || m.kind === 'truncated')).toBe(false);
      });

      it('places every field of every frame and greeting piece on its own octets (the bytes view shows them)', () => {
        const d = createZmtpDissector();
        const out = [...pieces.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()].filter((m) => m.bytes > 0);
        const misplaced = out.flatMap((m) =>
          (m.fields ?? [])
            .filter((f) => f.start === undefined ? f.value !== '‹empty›' : !(f.start >= 0 && (f.end ?? 0) > f.start && (f.end ?? 0) <= m.bytes))
            .map((f) => `${m.text}: ${f.name} ${f.start}–${f.end} of ${m.bytes}`),
        );
        expect(misplaced).toEqual([]);
      });

      it('gives the same messages split at every byte of every chunk, byte by byte, and merged', () => {
        for (let i = 0; i < pieces.length; i++) {
          for (let k = 1; k < pieces[i][1].length; k++) {
            const split: Piece[] = [...pieces.slice(0, i), [pieces[i][0], pieces[i][1].subarray(0, k)], [pieces[i][0], pieces[i][1].subarray(k)], ...pieces.slice(i + 1)];
            const got = run(split);
            if (JSON.stringify(got) !== JSON.stringify(whole)) expect(got, `chunk ${i} split at ${k}`).toEqual(whole);
          }
        }
        const bytewise = pieces.flatMap(([dir, bytes]) => Array.from(bytes, (b): Piece => [dir, Uint8Array.of(b)]));
        expect(run(bytewise)).toEqual(whole);
        expect(run(merged(pieces))).toEqual(whole);
      });
    });
  }

  it('the greeting crosses as libzmq sends it: 10 + 1 + 53 octets each way, each piece its own message', () => {
    const [, t] = transcripts.find(([n]) => n === 'zmtp-req-rep') ?? [];
    const d = createZmtpDissector();
    const out = (t?.chunks ?? []).flatMap((c) => d.push(c.dir, new Uint8Array(Buffer.from(c.data, 'base64'))));
    const greeting = out.filter((m) => m.kind === 'greeting').map((m) => `${m.dir} ${m.bytes}`);
    expect(greeting.filter((g) => g.startsWith('client'))).toEqual(['client 10', 'client 1', 'client 53']);
    expect(greeting.filter((g) => g.startsWith('server'))).toEqual(['server 10', 'server 1', 'server 53']);
    expect(out.find((m) => m.kind === 'greeting')?.text).toBe('signature FF 00 00 00 00 00 00 00 01 7F');
  });
});
