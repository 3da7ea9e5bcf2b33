/**
 * A ZMTP 3.1 peer that stops answering PING (ZMTP RFC 37 §5): a real pyzmq REQ gets its reply, then its
 * process is stopped (SIGSTOP), as a hung client would be. The lab's REP (libzmq, heartbeats shortened here)
 * sends PING, hears nothing, and drops the connection at ZMQ_HEARTBEAT_TIMEOUT; the wire view says the client
 * missed its heartbeats instead of showing a close with no reason. On the CURVE port the heartbeats travel
 * inside MESSAGE boxes and libzmq reports the drop as a plain disconnect: the transcript says so instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { pythonWithZmq } from '../helpers/tools.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import type { ZmqAppEvent } from '../../servers/zmq/server.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { zmqOf, zmqTranscript } from './zmq-helpers.ts';

const heartbeat = { intervalMs: 300, timeoutMs: 1500 };
let lab: TestLab;
const children: ChildProcess[] = [];
beforeAll(async () => {
  lab = await startTestLab({ labs: [{ ...zmqLab, testSettings: { heartbeat } }] });
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await lab?.stop();
});

/** A pyzmq REQ (with CURVE when given the server key) that asks once, prints the reply, then stops itself: its libzmq thread stops with it. */
const stoppingClient = (port: number, curveServerKey?: string) => `import os, signal, zmq
s = zmq.Context().socket(zmq.REQ)
s.setsockopt(zmq.LINGER, 0)
${curveServerKey ? `s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()\ns.curve_serverkey = b"${curveServerKey}"` : ''}
s.connect("tcp://127.0.0.1:${port}")
s.send(b"Hello")
print(s.recv().decode(), flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
`;

/**
 * Runs a stopping client against `socket`'s port until libzmq dropped it (the socket's own monitor: the proof
 * libzmq closed it, whatever the stopped client does), then kills it; resolves with the connection's messages
 * and every monitor event of that socket meanwhile.
 */
async function dropStoppedClient(socket: 'rep' | 'curve', curveServerKey?: string): Promise<{ messages: LabMessage[]; monitor: string[] }> {
  const t = zmqTranscript(lab.daemon.bus);
  const zmq = zmqOf(lab);
  const monitor: string[] = [];
  const dropped = new Promise<void>((resolve) => {
    const onApp = (event: ZmqAppEvent) => {
      if (event.socket !== socket || event.type !== 'monitor') return;
      monitor.push(event.event);
      if (event.event === 'disconnect') resolve(void zmq.appEvents.off('app', onApp));
    };
    zmq.appEvents.on('app', onApp);
  });
  const child = spawn(await pythonWithZmq(), ['-u', '-c', stoppingClient(zmq.tapOf[socket].port, curveServerKey)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
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
  return { messages, monitor };
}

describe('a peer that stops answering the lab’s heartbeats', () => {
  it('is dropped after its PINGs go unanswered, and the wire view says it missed its heartbeats', async () => {
    const { messages } = await dropStoppedClient('rep');
    expect(messages.some((m) => m.dir === 'server' && m.annotation?.key === 'zmtp.cmd.PING')).toBe(true);
    expect(messages.some((m) => m.dir === 'client' && m.annotation?.key === 'zmtp.cmd.PONG')).toBe(false);
    const note = messages.find((m) => m.kind === 'note' && m.annotation?.key === 'zmtp.heartbeat.missed');
    expect(note?.text).toMatch(/^the client missed its heartbeats: (a PING|\d+ PINGs) from the server unanswered$/);
    expect(note?.annotation?.explain).toContain('ZMQ_HEARTBEAT_TIMEOUT');
    expect(note?.annotation?.explain).toContain('within 1.5 s of one');
  }, 60_000);

  it('on the CURVE port: dropped all the same, its PINGs boxed, and the transcript says why no note can name the cause', async () => {
    const { curveServerKey } = (await lab.api<{ zmq: { curveServerKey: string } }>('/api/lab')).zmq;
    const { messages, monitor } = await dropStoppedClient('curve', curveServerKey);
    // libzmq's word on it: the same events as for a client that closes (no heartbeat event exists, and a
    // disconnect carries no reason).
    expect(monitor).toEqual(['accept', 'handshake', 'disconnect']);
    const wire = messages.filter((m) => m.view === 'wire');
    const lastFromClient = wire.findLastIndex((m) => m.dir === 'client');
    // The PINGs the server kept sending after the client's last frame: boxes, named only as MESSAGE.
    const after = wire.slice(lastFromClient + 1).filter((m) => m.dir === 'server');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((m) => m.annotation?.key === 'zmtp.curve.MESSAGE')).toBe(true);
    expect(messages.some((m) => m.annotation?.key === 'zmtp.cmd.PING' || m.annotation?.key === 'zmtp.heartbeat.missed')).toBe(false);
    // What the transcript says instead, on those MESSAGE lines and in the endpoint view's note on the sealed boxes.
    expect(after[0].annotation?.explain).toMatch(/heartbeats \(PING and PONG\) are MESSAGE boxes too/);
    expect(after[0].annotation?.explain).toMatch(/reports a peer it dropped for missing them as a plain disconnect/);
    const sealed = messages.find((m) => m.view === 'endpoint' && m.kind === 'note' && /every MESSAGE are boxes/.test(m.text));
    expect(sealed?.annotation?.explain).toMatch(/heartbeats \(PING and PONG\) travel in MESSAGE boxes too/);
  }, 60_000);
});
