/**
 * A ZMTP 3.1 peer that stops answering PING (ZMTP RFC 37 §5): a real pyzmq REQ gets its reply, then its
 * process is stopped (SIGSTOP), as a hung client would be. The lab's REP (libzmq, heartbeats shortened here)
 * sends PING, hears nothing, and drops the connection at ZMQ_HEARTBEAT_TIMEOUT; the wire view says the client
 * missed its heartbeats instead of showing a close with no reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { pythonWithZmq } from '../helpers/tools.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import type { ZmqAppEvent } from '../../servers/zmq/server.ts';
import { zmqOf, zmqTranscript } from './zmq-helpers.ts';

const heartbeat = { intervalMs: 300, timeoutMs: 1500 };
let lab: TestLab;
let python: ChildProcess | undefined;
beforeAll(async () => {
  lab = await startTestLab({ labs: [{ ...zmqLab, testSettings: { heartbeat } }] });
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
}, 60_000);
afterAll(async () => {
  python?.kill('SIGKILL');
  await lab?.stop();
});

/** A pyzmq REQ that asks once, prints the reply, then stops itself: its libzmq thread stops with it. */
const stoppingClient = (port: number) => `import os, signal, zmq
s = zmq.Context().socket(zmq.REQ)
s.setsockopt(zmq.LINGER, 0)
s.connect("tcp://127.0.0.1:${port}")
s.send(b"Hello")
print(s.recv().decode(), flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
`;

describe('a peer that stops answering the lab’s heartbeats', () => {
  it('is dropped after its PINGs go unanswered, and the wire view says it missed its heartbeats', async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const zmq = zmqOf(lab);
    // The REP's own monitor sees the drop: the proof libzmq closed it, whatever the stopped client does.
    const dropped = new Promise<void>((resolve) => {
      const onApp = (event: ZmqAppEvent) => {
        if (event.socket === 'rep' && event.type === 'monitor' && event.event === 'disconnect') resolve(void zmq.appEvents.off('app', onApp));
      };
      zmq.appEvents.on('app', onApp);
    });
    const child = spawn(await pythonWithZmq(), ['-u', '-c', stoppingClient(zmq.tapOf.rep.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    python = child;
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    await expect.poll(() => stdout, { timeout: 20_000 }).toContain('World from');
    await dropped;
    child.kill('SIGKILL');
    await once(child, 'close');
    let conn: string | undefined;
    await expect.poll(() => (conn = [...t.connections.values()].find((c) => c.endedAt !== null)?.id), { timeout: 20_000 }).toBeDefined();
    const messages = t.messages.filter((m) => m.conn === conn);
    t.stop();
    expect(messages.some((m) => m.dir === 'server' && m.annotation?.key === 'zmtp.cmd.PING')).toBe(true);
    expect(messages.some((m) => m.dir === 'client' && m.annotation?.key === 'zmtp.cmd.PONG')).toBe(false);
    const note = messages.find((m) => m.kind === 'note' && m.annotation?.key === 'zmtp.heartbeat.missed');
    expect(note?.text).toMatch(/^the client missed its heartbeats: (a PING|\d+ PINGs) from the server unanswered$/);
    expect(note?.annotation?.explain).toContain('ZMQ_HEARTBEAT_TIMEOUT');
    expect(note?.annotation?.explain).toContain('within 1.5 s of one');
  }, 60_000);
});
