/**
 * The slow joiner (issue 10, "What a user gets" 2): the PUB numbers each topic's messages, so a SUB that
 * joins after the PUB started sees from the first number it gets how many went out before its SUBSCRIBE
 * reached the PUB; the 'sub' console says so, and says how many it missed while a topic was cancelled.
 */
import { describe, expect, it } from 'vitest';
import { openZmqConsole, runPython, zmqLabForFile, zmqOf } from './zmq-helpers.ts';

const lab = zmqLabForFile();

const seqOf = (line: string): number => Number(/#(\d+) /.exec(line)?.[1] ?? NaN);

describe('ZeroMQ slow joiner', () => {
  it('a late pyzmq SUB gets numbered messages: its first is past #1, then no gaps', async () => {
    const run = await runPython(`import zmq
s = zmq.Context().socket(zmq.SUB)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.setsockopt(zmq.LINGER, 0)
s.connect("tcp://127.0.0.1:${zmqOf(lab()).tapOf.pub.port}")
s.setsockopt(zmq.SUBSCRIBE, b"clock")
for _ in range(3):
    topic, body = s.recv_multipart()
    print(topic.decode(), body.decode())
`);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^clock #\d+ \d{4}-\d\d-\d\dT/);
    const [first, second, third] = lines.map(seqOf);
    // The PUB published clock #1 while it starts, before any subscriber could connect.
    expect(first).toBeGreaterThan(1);
    expect([second, third]).toEqual([first + 1, first + 2]);
  }, 30_000);

  it("the 'sub' console names what a late subscription missed, and what a cancelled topic missed", async () => {
    const { console, lines } = openZmqConsole(lab(), 'sub');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('subscribe clock');
    const firstClock = seqOf(await lines.next((l) => l.startsWith('[clock] #')));
    expect(firstClock).toBeGreaterThan(1);
    const report = await lines.next((l) => l.includes('First clock message received'));
    expect(report).toContain(`#${firstClock} — ${firstClock === 2 ? '#1 was' : `#1…#${firstClock - 1} were`} published before your subscription arrived`);

    // Cancel clock and follow weather.seoul instead: once seoul #s arrives, the PUB had taken the
    // CANCEL (same connection, in order) before round s; when seoul #s+2 arrives, clock #s+1 went
    // to nobody here. The clock messages received after CANCEL are from rounds before s.
    console.sendLine('unsubscribe clock');
    console.sendLine('subscribe weather.seoul');
    const firstSeoul = seqOf(await lines.next((l) => l.startsWith('[weather.seoul] #')));
    await lines.next((l) => l.startsWith('[weather.seoul] #') && seqOf(l) >= firstSeoul + 2);
    const mark = lines.mark;
    const lastClock = Math.max(...lines.items.filter((l) => l.startsWith('[clock] #')).map(seqOf));
    expect(lastClock).toBeLessThan(firstSeoul);
    console.sendLine('unsubscribe weather.seoul');
    console.sendLine('subscribe clock');
    const again = seqOf(await lines.next((l) => l.startsWith('[clock] #'), { from: mark }));
    expect(again).toBeGreaterThan(lastClock + 1);
    const gap = await lines.next((l) => l.includes('while this SUB was not subscribed'), { from: mark });
    expect(gap).toContain(again - 1 === lastClock + 1 ? `#${lastClock + 1} was published on clock` : `#${lastClock + 1}…#${again - 1} were published on clock`);
    console.close();
  }, 30_000);
});
