/**
 * The ZeroMQ lab with real pyzmq clients: the seed's REQ/REP (and its annotated transcript), PUB/SUB
 * with a filter, PUSH/PULL with three workers, PAIR, and CURVE with the right and a wrong server key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import { MAX_MESSAGE_BYTES } from '../../servers/zmq/server.ts';
import { overLimitSender, runPython, seedClient, zmqOf, zmqTranscript } from './zmq-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

const port = (name: 'rep' | 'pub' | 'push' | 'pull' | 'pair' | 'curve') => zmqOf(lab).tapOf[name].port;

describe('ZeroMQ lab with pyzmq', () => {
  it("the seed's REQ sends 10 Hellos and gets 10 Worlds; the transcript has the greeting, READY REQ/REP and the delimiter, annotated", async () => {
    await lab.api(zmqContracts.think, { body: { ms: 0 } });
    const t = zmqTranscript(lab.daemon.bus);
    const run = await runPython(seedClient(`socket.connect("tcp://127.0.0.1:${port('rep')}")`));
    t.stop();
    expect(run.stderr).toBe('');
    expect(run.stdout.match(new RegExp(`Received reply \\d+ \\[ World from ${port('rep')} \\]`, 'g'))).toHaveLength(10);
    const wire = t.messages.filter((m) => m.view === 'wire');
    expect(wire.some((m) => m.kind === 'greeting' && m.dir === 'client' && m.annotation?.ref?.includes('RFC 37'))).toBe(true);
    expect(wire.some((m) => m.kind === 'greeting' && m.dir === 'server')).toBe(true);
    const ready = wire.filter((m) => m.text.startsWith('READY'));
    expect(ready.find((m) => m.dir === 'client')?.fields).toContainEqual(expect.objectContaining({ name: 'Socket-Type', value: '"REQ"' }));
    expect(ready.find((m) => m.dir === 'server')?.fields).toContainEqual(expect.objectContaining({ name: 'Socket-Type', value: '"REP"' }));
    expect(ready[0].annotation?.ref).toMatch(/RFC 37/);
    const delimiters = wire.filter((m) => m.annotation?.key === 'zmtp.frame.delimiter' && m.dir === 'client');
    expect(delimiters[0]?.annotation?.ref).toBe('ZeroMQ RFC 28 §4, §5, §7; ZMTP RFC 37 §4.1');
    expect(delimiters).toHaveLength(10);
    // The endpoint view: the REP application got "Hello" without the envelope.
    expect(t.messages.filter((m) => m.view === 'endpoint' && m.text.includes('received a message: "Hello"'))).toHaveLength(10);
  }, 60_000);

  it('a SUB with a filter receives only matching topics, and its SUBSCRIBE is annotated', async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const run = await runPython(`import zmq
s = zmq.Context().socket(zmq.SUB)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.setsockopt(zmq.LINGER, 0)
s.connect("tcp://127.0.0.1:${port('pub')}")
s.setsockopt(zmq.SUBSCRIBE, b"weather.")
for _ in range(6):
    topic, body = s.recv_multipart()
    print(topic.decode())
`);
    t.stop();
    expect(run.stderr).toBe('');
    const topics = run.stdout.trim().split('\n');
    expect(topics).toHaveLength(6);
    expect(new Set(topics)).toEqual(new Set(['weather.seoul', 'weather.tehran']));
    const subscribe = t.messages.find((m) => m.view === 'wire' && m.dir === 'client' && /SUBSCRIBE/.test(m.text));
    expect(subscribe?.text).toContain('weather.');
    expect(subscribe?.annotation?.ref).toMatch(/RFC 37 §4\.2|RFC 23/);
  }, 60_000);

  it('PUSH/PULL: three workers share the tasks round-robin and the sink gets every result', async () => {
    const before = await lab.api(zmqContracts.workers);
    const run = await runPython(`import zmq, threading, time
ctx = zmq.Context()
counts = [0, 0, 0]
def worker(i):
    pull = ctx.socket(zmq.PULL); pull.setsockopt(zmq.RCVTIMEO, 15000); pull.setsockopt(zmq.LINGER, 0)
    push = ctx.socket(zmq.PUSH); push.setsockopt(zmq.LINGER, 2000)
    pull.connect("tcp://127.0.0.1:${port('push')}")
    push.connect("tcp://127.0.0.1:${port('pull')}")
    while counts[i] < 3:
        task = pull.recv()
        counts[i] += 1
        push.send(b"result of " + task)
    pull.close(); push.close()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in threads: t.start()
for t in threads: t.join()
print(counts)
`, 60_000);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('[3, 3, 3]');
    // Every worker got tasks; the sink counted at least the nine results (sent before the workers closed).
    const waitForResults = async (): Promise<number> => {
      for (;;) {
        const now = await lab.api(zmqContracts.workers);
        if (now.resultsReceived - before.resultsReceived >= 9) return now.resultsReceived - before.resultsReceived;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    expect(await waitForResults()).toBeGreaterThanOrEqual(9);
  }, 90_000);

  it("the lab's own workers take tasks and report per-worker tallies", async () => {
    await lab.api(zmqContracts.setWorkers, { body: { count: 2 } });
    for (;;) {
      const state = await lab.api(zmqContracts.workers);
      if (state.workers.length === 2 && state.workers.every((w) => w.results >= 1)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const stopped = await lab.api(zmqContracts.setWorkers, { body: { count: 0 } });
    expect(stopped.workers).toEqual([]);
  }, 60_000);

  it('PAIR answers its one peer', async () => {
    const run = await runPython(`import zmq
s = zmq.Context().socket(zmq.PAIR)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.setsockopt(zmq.LINGER, 0)
s.connect("tcp://127.0.0.1:${port('pair')}")
s.send(b"ping")
print(s.recv().decode())
`);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('PAIR heard: ping');
  }, 30_000);

  it('CURVE: the right server key gets World; a wrong one fails the handshake, shown in the transcript', async () => {
    const info = await lab.api<{ zmq: { curveServerKey: string } }>('/api/lab');
    const key = info.zmq.curveServerKey;
    expect(key).toMatch(/^.{40}$/);
    const client = (serverKey: string) => `import zmq
pub, sec = zmq.curve_keypair()
s = zmq.Context().socket(zmq.REQ)
s.setsockopt(zmq.RCVTIMEO, 3000)
s.setsockopt(zmq.LINGER, 0)
s.curve_publickey = pub
s.curve_secretkey = sec
s.curve_serverkey = ${JSON.stringify(serverKey)}.encode()
s.connect("tcp://127.0.0.1:${port('curve')}")
s.send(b"Hello")
try:
    print(s.recv().decode())
except zmq.Again:
    print("no reply")
`;
    const good = await runPython(client(key));
    expect(good.stdout.trim()).toBe(`World from ${port('curve')}`);

    const t = zmqTranscript(lab.daemon.bus);
    const wrongKey = (await runPython('import zmq\nprint(zmq.curve_keypair()[0].decode())')).stdout.trim();
    const bad = await runPython(client(wrongKey));
    t.stop();
    expect(bad.stdout.trim()).toBe('no reply');
    const failure = t.messages.find((m) => m.annotation?.level === 'error' && /handshake/i.test(`${m.text} ${m.annotation?.title}`));
    expect(failure, t.messages.map((m) => `${m.view} ${m.dir} ${m.text}`).join('\n')).toBeDefined();
  }, 60_000);

  it('a message over the lab\'s size limit closes its sender\'s connection, and the REP serves the next client', async () => {
    await lab.api(zmqContracts.think, { body: { ms: 0 } });
    const t = zmqTranscript(lab.daemon.bus);
    const run = await runPython(`${overLimitSender(port('rep'), MAX_MESSAGE_BYTES + 1)}
n = ctx.socket(zmq.REQ)
n.setsockopt(zmq.RCVTIMEO, 10000)
n.setsockopt(zmq.LINGER, 0)
n.connect("tcp://127.0.0.1:${port('rep')}")
n.send(b"Hello")
print(n.recv().decode())
`, 60_000);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual(['disconnected', `World from ${port('rep')}`]);
    // The application never saw the long message; it saw the next client's Hello.
    const received = t.messages.filter((m) => m.view === 'endpoint' && m.text.includes('received a message'));
    expect(received.map((m) => m.text).join('\n')).toContain('"Hello"');
    expect(received.some((m) => m.text.includes('xxxx'))).toBe(false);
    // The wire view names the limit as the reason the connection closed (it read as "server not reachable").
    // The dissector says it when the connection's record ends, which may come after the next client's reply.
    await expect.poll(() => t.messages.find((m) => m.annotation?.key === 'zmtp.frame.over-limit')?.text, { timeout: 10_000 }).toMatch(/of a frame of 1,048,577 octets, unfinished\]$/);
    t.stop();
  }, 90_000);
});
