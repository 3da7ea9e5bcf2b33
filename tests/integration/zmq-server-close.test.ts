/**
 * The ZeroMQ lab's server dropping a connection it had accepted: the tap reached it, so the wire view
 * says the server closed the connection after so many bytes, not that it is unreachable.
 */
import net from 'node:net';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import { MAX_MESSAGE_BYTES } from '../../servers/zmq/server.ts';
import { runPython, zmqOf, zmqTranscript } from './zmq-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [zmqLab] });
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

const repPort = () => zmqOf(lab).tapOf.rep.port;

/** The lab's notes on the first connection `match` picks, once it has closed. */
async function notesOf(t: ReturnType<typeof zmqTranscript>, match: (connection: ConnectionInfo) => boolean): Promise<string[]> {
  let id: string | undefined;
  await expect.poll(() => {
    id = [...t.connections.values()].find((c) => match(c) && c.endedAt !== null)?.id;
    return id;
  }, { timeout: 20_000 }).toBeDefined();
  return t.messages.filter((m) => m.conn === id && m.kind === 'note').map((m) => m.text);
}

/**
 * libzmq drops the peer; whether that reaches the tap as a reset or a clean close (which has no note) depends
 * on whether the server had read everything before it closed. Runs `attempt` until one gives notes (at most 10),
 * and answers every attempt's notes.
 */
async function notesOfFirstReset(attempt: () => Promise<string[]>): Promise<string[]> {
  const seen: string[][] = [];
  for (let i = 0; i < 10 && !seen.some((notes) => notes.length > 0); i++) seen.push(await attempt());
  return seen.flat();
}

describe('the ZeroMQ server closing a connection it accepted', () => {
  it('100 zero bytes instead of a greeting: the note says the server closed it after 100 bytes, not that it is unreachable', async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const notes = await notesOfFirstReset(async () => {
      const socket = net.connect(repPort(), '127.0.0.1');
      socket.on('error', () => {});
      // Read (and drop) the server's greeting: an unread socket never sees the close.
      socket.resume();
      await new Promise((resolve) => socket.once('connect', resolve));
      const clientPort = socket.localPort;
      socket.write(Buffer.alloc(100));
      await new Promise((resolve) => socket.once('close', resolve));
      return notesOf(t, (c) => c.client.endsWith(`:${clientPort}`));
    });
    t.stop();
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^The lab's ZMQ server (closed|reset) the connection \((ECONNRESET|EPIPE)\) after 100 bytes from the client\.$/);
  }, 60_000);

  it('a pyzmq message over the 1 MiB limit: the note says the server closed the connection, not that it is unreachable', async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const notes = await notesOfFirstReset(async () => {
      const before = new Set(t.connections.keys());
      const run = await runPython(`import zmq
from zmq.utils.monitor import recv_monitor_message
ctx = zmq.Context()
s = ctx.socket(zmq.REQ)
s.setsockopt(zmq.LINGER, 0)
mon = s.get_monitor_socket(zmq.EVENT_DISCONNECTED)
mon.setsockopt(zmq.RCVTIMEO, 20000)
s.connect("tcp://127.0.0.1:${repPort()}")
s.send(b"x" * ${2 * MAX_MESSAGE_BYTES})
recv_monitor_message(mon)
print("disconnected")
s.disable_monitor(); s.close()
`, 60_000);
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('disconnected');
      return notesOf(t, (c) => !before.has(c.id));
    });
    t.stop();
    expect(notes.join('\n')).not.toMatch(/not reachable/);
    expect(notes.join('\n')).toMatch(/The lab's ZMQ server (closed|reset) the connection \((ECONNRESET|EPIPE)\) after [\d,]+ bytes from the client\./);
  }, 120_000);
});
