/** Missed heartbeats (ZMTP RFC 37 §5): which unanswered PINGs the dissector names at the close, and which it does not. */
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { zmtpDissector } from './dissector.ts';
import { nullGreeting } from './greeting.ts';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const command = (name: string, data: number[]): Uint8Array => Uint8Array.from([4, 1 + name.length + data.length, name.length, ...ascii(name), ...data]);
const ready = (type: string) => command('READY', [11, ...ascii('Socket-Type'), 0, 0, 0, type.length, ...ascii(type)]);
// libzmq's PING: TTL in tenths of a second (here 60 s), empty context; its PONG echoes the context.
const PING = command('PING', [0x02, 0x58]);
const PONG = command('PONG', []);
const HELLO = Uint8Array.from([1, 0, 0, 5, ...ascii('Hello')]);

function notes(steps: [StreamDir, Uint8Array][], heartbeat = { intervalMs: 20_000, timeoutMs: 60_000 }): DissectedMessage[] {
  const d = zmtpDissector({ heartbeat });
  const opening: [StreamDir, Uint8Array][] = [['client', nullGreeting()], ['server', nullGreeting()], ['client', ready('REQ')], ['server', ready('REP')]];
  const out = [...opening, ...steps].flatMap(([dir, b]) => d.push(dir, b));
  return [...out, ...d.end()].filter((m) => m.kind === 'note');
}

describe('missed heartbeats', () => {
  it('names the client when the server’s PINGs got nothing back, with the lab’s timers', () => {
    const [note, ...rest] = notes([['server', PING], ['server', PING]]);
    expect(rest).toEqual([]);
    expect(note.text).toBe('the client missed its heartbeats: 2 PINGs from the server unanswered');
    expect(note.annotation?.key).toBe('zmtp.heartbeat.missed');
    expect(note.annotation?.ref).toBe('ZMTP RFC 37 §5; libzmq zmq_setsockopt ZMQ_HEARTBEAT_TIMEOUT');
    expect(note.annotation?.explain).toContain('every 20 s (ZMQ_HEARTBEAT_IVL)');
    expect(note.annotation?.explain).toContain('about 80 s after its last frame');
  });

  it('says nothing when a PONG came back, or any other frame (RFC 37 §5: any traffic is a sign of life)', () => {
    expect(notes([['server', PING], ['client', PONG]])).toEqual([]);
    expect(notes([['server', PING], ['client', HELLO]])).toEqual([]);
    // The client's own PING counts as traffic for the server's.
    expect(notes([['server', PING], ['client', PING], ['server', PONG]])).toEqual([]);
  });

  it('counts only the PINGs after the last sign of life', () => {
    const [note] = notes([['server', PING], ['client', PONG], ['server', PING]]);
    expect(note.text).toBe('the client missed its heartbeats: a PING from the server unanswered');
  });

  it('names the server when a client’s PINGs went unanswered, without the lab sockets’ timers', () => {
    const [note] = notes([['client', PING]]);
    expect(note.text).toBe('the server missed its heartbeats: a PING from the client unanswered');
    expect(note.annotation?.explain).not.toContain('ZMQ_HEARTBEAT_IVL');
  });
});
