/** The ZeroMQ lab's browser consoles, driven as the hub drives them (openConsole(io, kind), lines in, terminal text out). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import type { LabConsole } from '../../servers/daemon/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { Arrivals } from '../helpers/arrivals.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import type { ZmqAppEvent } from '../../servers/zmq/server.ts';
import { zmqOf, zmqTranscript } from './zmq-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

/** Opens a console of `kind`; its output arrives line by line. */
function open(kind: string): { console: LabConsole; lines: Arrivals<string>; statuses: ConsoleStatus[] } {
  const lines = new Arrivals<string>((line) => line);
  const statuses: ConsoleStatus[] = [];
  let pending = '';
  const console = zmqOf(lab).openConsole?.(
    {
      status: (s) => statuses.push(s),
      output: (text) => {
        pending += text;
        const parts = pending.split('\r\n');
        pending = parts.pop() ?? '';
        for (const part of parts) lines.push(part);
      },
      owner: { sandbox: 'local', browser: 'b-test' },
    },
    kind,
  );
  if (!console) throw new Error(`no console ${kind}`);
  console.open({ cols: 100, rows: 30 });
  return { console, lines, statuses };
}

describe('ZeroMQ consoles', () => {
  it('an unknown kind is refused (null)', () => {
    expect(zmqOf(lab).openConsole?.({ status: () => {}, output: () => {} }, 'router')).toBeNull();
  });

  it("'req': hello 3 prints the seed's lines, and the connection is the browser's labelled one", async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const { console, lines, statuses } = open('req');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('hello 3');
    for (let i = 1; i <= 3; i++) await lines.next((l) => l === `Received reply ${i} [ World from ${zmqOf(lab).tapOf.rep.port} ]`);
    console.sendLine('help');
    await lines.next((l) => l.includes('hello [n]'));
    console.close();
    t.stop();
    expect(statuses.some((s) => s.state === 'open')).toBe(true);
    expect([...t.connections.values()].some((c) => c.label === 'REQ console')).toBe(true);
  }, 30_000);

  it("'req': hello 0 and hello beyond the limit say what they do instead of sending 1 or 100 unasked", async () => {
    const { console, lines } = open('req');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('hello 0');
    await lines.next((l) => l.startsWith('hello 0: nothing to send'));
    console.sendLine('hello 100000');
    await lines.next((l) => l.includes('At most 100 requests at a time: sending 100.'));
    await lines.next((l) => l.startsWith('Received reply 100 '));
    console.sendLine('help');
    await lines.next((l) => l.includes('hello [n]'));
    expect(lines.items.some((l) => l.startsWith('Sending request 101 ') || l.includes('[ hello 100000 ]'))).toBe(false);
    console.close();
  }, 60_000);

  it("'curve': hello works with the server key; wrongkey shows the handshake failing", async () => {
    const { console, lines } = open('curve');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('hello 1');
    await lines.next((l) => l.startsWith('Received reply 1 [ World from'));
    console.sendLine('wrongkey');
    await lines.next((l) => l.includes('Handshake failed — server: handshake:error'), { timeoutMs: 10_000 });
    console.close();
  }, 30_000);

  it("'curve': help typed before the handshake is answered once the handshake is done, never before it", async () => {
    // The server's own monitor: its handshake ends before it sends READY, so before the client's can.
    let serverShook = false;
    const onApp = (event: ZmqAppEvent) => {
      if (event.socket === 'curve' && event.type === 'monitor' && event.event === 'handshake') serverShook = true;
    };
    zmqOf(lab).appEvents.on('app', onApp);
    const { console, lines } = open('curve');
    console.sendLine('help');
    await lines.next((l) => l.includes('wrongkey    try a second client'));
    zmqOf(lab).appEvents.off('app', onApp);
    expect(serverShook).toBe(true);
    console.sendLine('hello 1');
    await lines.next((l) => l.startsWith('Received reply 1 [ World from'));
    console.close();
  }, 30_000);

  it("'tunnel': the same REQ through the SSH lab, its ZeroMQ connection a child of the console's SSH connection", async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const { console, lines } = open('tunnel');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('hello 2');
    await lines.next((l) => l.startsWith('Received reply 2 [ World from'));
    console.close();
    t.stop();
    expect([...t.connections.values()].find((c) => c.parent)?.parent).toMatch(/^ssh-/);
  }, 30_000);

  it("'sub': subscribe clock prints clock messages only", async () => {
    const { console, lines } = open('sub');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('subscribe clock');
    await lines.next((l) => l.startsWith('[clock] '));
    const mark = lines.mark;
    await lines.next((l) => l.startsWith('[clock] '), { from: mark });
    expect(lines.items.slice(mark).some((l) => l.startsWith('[weather'))).toBe(false);
    console.close();
  }, 30_000);

  it("'sub': subscriptions count, as libzmq counts them: two subscribes take two unsubscribes", async () => {
    const { console, lines } = open('sub');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('subscribe clock');
    console.sendLine('subscribe clock');
    await lines.next((l) => l.includes('2 subscriptions to "clock"'));
    console.sendLine('unsubscribe clock');
    // It said "libzmq sends CANCEL" and list said (none), while clock messages kept coming.
    await lines.next((l) => l.includes('1 left') && l.includes('no CANCEL'));
    console.sendLine('list');
    await lines.next((l) => l.trim() === '"clock" ×1');
    const mark = lines.mark;
    await lines.next((l) => l.startsWith('[clock] '), { from: mark });
    console.sendLine('unsubscribe clock');
    await lines.next((l) => l.startsWith('unsubscribe "clock": libzmq sends CANCEL'));
    console.sendLine('unsubscribe clock');
    await lines.next((l) => l.includes('not subscribed to it'));
    console.close();
  }, 30_000);

  it("'workers' and 'pair'", async () => {
    const workers = open('workers');
    await workers.lines.next((l) => l.includes('Type help'));
    workers.console.sendLine('start 2');
    await workers.lines.next((l) => /worker \d+ ← task \d+/.test(l));
    workers.console.sendLine('stop');
    await workers.lines.next((l) => l === 'Workers stopped.');
    workers.console.close();

    const pair = open('pair');
    await pair.lines.next((l) => l.includes('Type help'));
    pair.console.sendLine('hi');
    await pair.lines.next((l) => l === '← PAIR heard: hi');
    pair.console.sendLine('second');
    await pair.lines.next((l) => l.startsWith('The second peer'), { timeoutMs: 10_000 });
    pair.console.close();
  }, 30_000);
});
