/**
 * A ZMTP 2.0 peer (ZMTP RFC 15) on the lab's REP port: libzmq 4.3.5 answers it in ZMTP 2.0, and the wire
 * view reads both greetings whole (revision, socket types by name, identities) instead of a truncated one.
 * The peer is a hand-written greeting from a Node socket: no ZMTP 2.0 library is at hand, and libzmq itself
 * speaks it only as a fallback.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { zmqLabForFile, zmqOf, zmqTranscript } from './zmq-helpers.ts';

const lab = zmqLabForFile({ instantReplies: true });

// Signature, revision 1, socket type 3 (REQ), an empty identity frame, then the delimiter and "Hello".
const GREETING_AND_HELLO = Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1, 3, 0, 0, 1, 0, 0, 5, ...Buffer.from('Hello')]);

/** Sends the ZMTP 2.0 request and resolves with everything the server sent once its reply's last frame arrived. */
function zmtp2Request(port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(GREETING_AND_HELLO));
    let got = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.includes('World from')) socket.end(() => resolve(got));
    });
    socket.on('close', () => reject(new Error(`closed after ${got.toString('hex')}`)));
  });
}

describe('a ZMTP 2.0 peer on the REP port', () => {
  it('gets its reply in ZMTP 2.0, and the wire view names both socket types instead of a truncated greeting', async () => {
    const t = zmqTranscript(lab().daemon.bus);
    const port = zmqOf(lab()).tapOf.rep.port;
    const reply = await zmtp2Request(port);
    // libzmq: signature, major 3, socket type 4 (REP), empty identity, then delimiter + "World from <port>".
    expect(reply.subarray(10, 14)).toEqual(Buffer.from([3, 4, 0, 0]));
    let conn: string | undefined;
    await expect.poll(() => (conn = [...t.connections.values()].find((c) => c.endedAt !== null)?.id), { timeout: 20_000 }).toBeDefined();
    const messages = t.messages.filter((m) => m.conn === conn);
    t.stop();
    const rows = messages.map((m) => [m.dir, m.text, m.annotation?.key]);
    expect(rows).toEqual(expect.arrayContaining([
      ['client', 'revision 1 (ZMTP 2.0)', 'zmtp.v2.revision'],
      ['client', 'socket type 3 (REQ)', 'zmtp.v2.socket-type'],
      ['server', 'socket type 4 (REP)', 'zmtp.v2.downgrade'],
      ['server', 'identity [0] ‹empty›', 'zmtp.v2.identity'],
      ['server', `[${`World from ${port}`.length}] "World from ${port}" (frame 2 of 2)`, 'zmtp.frame.message'],
    ]));
    expect(messages.filter((m) => m.kind === 'truncated' || m.kind === 'undecoded')).toEqual([]);
  }, 60_000);
});
