/**
 * The ZeroMQ lab's server dropping a connection it had accepted: the tap reached it, so the wire view
 * says the server closed the connection after so many bytes, not that it is unreachable. Bytes that are no
 * ZMTP greeting are no case for it: libzmq reads them all before it closes, mostly, and a clean close has no
 * note. lib/wire/tap-upstream-close.test.ts proves the note's wording and byte count against a plain reset.
 */
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../servers/zmq/server.ts';
import { overLimitSender, runPython, zmqLabForFile, zmqOf, zmqTranscript } from './zmq-helpers.ts';

const lab = zmqLabForFile({ instantReplies: true });

const repPort = () => zmqOf(lab()).tapOf.rep.port;

/** The lab's notes on the first connection `match` picks, once it has closed. */
async function notesOf(t: ReturnType<typeof zmqTranscript>, match: (connection: ConnectionInfo) => boolean): Promise<string[]> {
  let id: string | undefined;
  await expect.poll(() => {
    id = [...t.connections.values()].find((c) => match(c) && c.endedAt !== null)?.id;
    return id;
  }, { timeout: 20_000 }).toBeDefined();
  return t.messages.filter((m) => m.conn === id && m.kind === 'note').map((m) => m.text);
}

describe('the ZeroMQ server closing a connection it accepted', () => {
  it('a pyzmq message over the 1 MiB limit: the note says the server closed the connection, not that it is unreachable', async () => {
    const t = zmqTranscript(lab().daemon.bus);
    const before = new Set(t.connections.keys());
    // libzmq reads the frame's header, refuses the size and closes with the rest unread: a reset.
    const run = await runPython(overLimitSender(repPort(), 2 * MAX_MESSAGE_BYTES), 60_000);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('disconnected');
    const notes = await notesOf(t, (c) => !before.has(c.id));
    t.stop();
    expect(notes.join('\n')).not.toMatch(/not reachable/);
    expect(notes.join('\n')).toMatch(/The lab's ZMQ server (closed|reset) the connection \((ECONNRESET|EPIPE)\) after [\d,]+ bytes from the client\./);
  }, 120_000);
});
