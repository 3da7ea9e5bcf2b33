/**
 * Golden transcripts: bytes recorded from the real servers (tests/golden/record.ts) replayed through
 * the public dissector factories. A dissector must frame the same messages however TCP splits the
 * stream: every split point of every chunk, byte by byte, seeded random splits and same-direction
 * chunks merged all give what the recorded chunks give. The annotation keys are pinned by a snapshot.
 */
import { describe, expect, it } from 'vitest';
import { createFtpDissector } from '../../lib/protocols/ftp/dissector.ts';
import { createSmtpDissector } from '../../lib/protocols/smtp/dissector.ts';
import { createSoapDissector } from '../../lib/protocols/soap/dissector.ts';
import { createSshDissector } from '../../lib/protocols/ssh/dissector.ts';
import { createZmtpDissector } from '../../lib/protocols/zmtp/dissector.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../../lib/protocols/types.ts';
import { loadGoldenTranscripts, type GoldenTranscript } from '../golden/golden.ts';

const FACTORIES: Record<GoldenTranscript['protocol'], () => Dissector> = {
  smtp: () => createSmtpDissector(),
  ftp: () => createFtpDissector(),
  ssh: () => createSshDissector(),
  soap: () => createSoapDissector(),
  zmq: () => createZmtpDissector(),
};

/** Keys each recording must show: the protocol steps it was recorded for. */
const EXPECTED_KEYS: Record<string, string[]> = {
  'smtp-starttls': ['smtp.cmd.EHLO', 'smtp.cmd.STARTTLS', 'smtp.reply.220.starttls'],
  'ftp-pasv-list': ['ftp.cmd.USER', 'ftp.cmd.PASS', 'ftp.cmd.PASV', 'ftp.reply.227', 'ftp.cmd.LIST', 'ftp.reply.226'],
  'ssh-handshake': ['ssh.version.client', 'ssh.version.server', 'ssh.msg.KEXINIT', 'ssh.kex.negotiated', 'ssh.msg.KEX_ECDH_INIT', 'ssh.msg.KEX_ECDH_REPLY', 'ssh.msg.NEWKEYS', 'ssh.encrypted.gcm'],
  'soap-http': ['http.method.POST', 'soap.envelope', 'soap.operation', 'http.status.200', 'soap.operation.response'],
  // ZeroMQ (tests/golden/zmtp-record.ts; lib/protocols/zmtp/golden.test.ts checks more of them).
  'zmtp-req-rep': ['zmtp.greeting.signature', 'zmtp.cmd.READY', 'zmtp.frame.delimiter', 'zmtp.cmd.PING', 'zmtp.cmd.PONG'],
  'zmtp-pub-sub': ['zmtp.cmd.SUBSCRIBE', 'zmtp.cmd.CANCEL'],
  'zmtp-sub-30': ['zmtp.greeting.v30', 'zmtp.frame.subscribe-30'],
  'zmtp-curve': ['zmtp.curve.HELLO', 'zmtp.curve.WELCOME', 'zmtp.curve.INITIATE', 'zmtp.curve.READY', 'zmtp.curve.MESSAGE'],
  'zmtp-plain': ['zmtp.plain.HELLO', 'zmtp.plain.WELCOME'],
  'zmtp-incompatible': ['zmtp.handshake.closed'],
};

type Piece = [StreamDir, Uint8Array];

/** What a replay is compared on: everything the dissector says about each message. */
interface Seen {
  dir: string;
  kind: string;
  text?: string;
  bytes: number;
  fields?: DissectedMessage['fields'];
  key?: string;
  level?: string;
  phase?: string;
  lengths?: string[];
}

/**
 * Ciphertext is summarised per chunk, as it crossed (step mode holds exactly those bytes), so its
 * messages depend on the split by design: a run of them in one direction is compared by total bytes
 * and the packet lengths read from them, which must not depend on the split.
 */
function mergeCiphertext(messages: Seen[]): Seen[] {
  const out: Seen[] = [];
  for (const m of messages) {
    if (m.kind !== 'encrypted') {
      out.push(m);
      continue;
    }
    const lengths = /lengths ([\d, ]+)$/.exec(m.text ?? '')?.[1].split(', ') ?? [];
    const last = out.at(-1);
    if (last?.kind === 'encrypted' && last.dir === m.dir) {
      last.bytes += m.bytes;
      last.lengths?.push(...lengths);
    } else out.push({ dir: m.dir, kind: m.kind, bytes: m.bytes, key: m.key, level: m.level, phase: m.phase, lengths });
  }
  return out;
}

function run(protocol: GoldenTranscript['protocol'], pieces: Piece[]): Seen[] {
  const dissector = FACTORIES[protocol]();
  const out: DissectedMessage[] = [];
  for (const [dir, bytes] of pieces) out.push(...dissector.push(dir, bytes));
  out.push(...dissector.end());
  return mergeCiphertext(out.map((m) => ({ dir: m.dir, kind: m.kind, text: m.text, bytes: m.bytes, fields: m.fields, key: m.annotation?.key, level: m.annotation?.level, phase: m.phase })));
}

const piecesOf = (t: GoldenTranscript): Piece[] => t.chunks.map((c) => [c.dir, new Uint8Array(Buffer.from(c.data, 'base64'))]);

/** Splits piece `i` at offset `k`. */
const splitAt = (pieces: Piece[], i: number, k: number): Piece[] => [
  ...pieces.slice(0, i),
  [pieces[i][0], pieces[i][1].subarray(0, k)],
  [pieces[i][0], pieces[i][1].subarray(k)],
  ...pieces.slice(i + 1),
];

/** A small seeded generator (mulberry32), so a failing split can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every piece cut into runs of 1..maxLen bytes chosen by `next`. */
function randomSplit(pieces: Piece[], next: () => number, maxLen: number): Piece[] {
  const out: Piece[] = [];
  for (const [dir, bytes] of pieces) {
    for (let at = 0; at < bytes.length; ) {
      const len = 1 + Math.floor(next() * maxLen);
      out.push([dir, bytes.subarray(at, at + len)]);
      at += len;
    }
  }
  return out;
}

/** Consecutive pieces of one direction joined, as a slower reader would get them. */
function merged(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const [dir, bytes] of pieces) {
    const last = out.at(-1);
    if (last && last[0] === dir) out[out.length - 1] = [dir, Buffer.concat([last[1], bytes])];
    else out.push([dir, bytes]);
  }
  return out;
}

const transcripts = loadGoldenTranscripts();

describe('golden transcripts replayed through the dissectors', () => {
  it('has the recordings (SMTP STARTTLS, FTP PASV LIST, SSH handshake, SOAP over HTTP, six ZMTP connections)', () => {
    expect([...transcripts.keys()]).toEqual([
      'ftp-pasv-list', 'smtp-starttls', 'soap-http', 'ssh-handshake',
      'zmtp-curve', 'zmtp-incompatible', 'zmtp-plain', 'zmtp-pub-sub', 'zmtp-req-rep', 'zmtp-sub-30',
    ]);
  });

  for (const [name, transcript] of transcripts) {
    describe(name, () => {
      const pieces = piecesOf(transcript);
      const whole = run(transcript.protocol, pieces);

      it('frames the recorded steps with their annotation keys (snapshot of the key sequence)', () => {
        const keys = whole.map((m) => `${m.dir} ${m.kind} ${m.key ?? '-'}`);
        for (const key of EXPECTED_KEYS[name] ?? []) expect(keys.some((k) => k.endsWith(` ${key}`)), key).toBe(true);
        expect(keys).toMatchSnapshot();
      });

      it('gives the same messages split at every byte boundary of every chunk', () => {
        for (let i = 0; i < pieces.length; i++) {
          for (let k = 1; k < pieces[i][1].length; k++) {
            const got = run(transcript.protocol, splitAt(pieces, i, k));
            if (JSON.stringify(got) !== JSON.stringify(whole)) expect(got, `chunk ${i} split at ${k}`).toEqual(whole);
          }
        }
      });

      it('gives the same messages byte by byte, in seeded random pieces and with same-direction chunks merged', () => {
        expect(run(transcript.protocol, randomSplit(pieces, () => 0, 1))).toEqual(whole);
        for (let seed = 1; seed <= 20; seed++) expect(run(transcript.protocol, randomSplit(pieces, random(seed), 64)), `seed ${seed}`).toEqual(whole);
        expect(run(transcript.protocol, merged(pieces))).toEqual(whole);
      });
    });
  }
});
