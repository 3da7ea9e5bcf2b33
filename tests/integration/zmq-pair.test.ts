/**
 * What libzmq 4.3.5 does with a second peer on the lab's exclusive PAIR (ZeroMQ RFC 31 §4: at most one
 * peer), observed with real Node zeromq PAIR sockets through the tap: the second connection's handshake
 * completes (READY both ways) and its send leaves it (the wire shows the frame), but the application
 * never receives it, the connection stays open, it stays ignored after the first peer leaves, and a
 * new connection then becomes the peer. The endpoint view notes it on the second connection only; the
 * 'pair' console says what it observed.
 */
import { describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import type { LabMessage } from '../../lib/wire/event.ts';
import type { ZmqAppEvent } from '../../servers/zmq/server.ts';
import { execFile } from 'node:child_process';
import { zmqRecipes } from '../../components/zmq/recipes.ts';
import { pythonWithZmq } from '../helpers/tools.ts';
import { openZmqConsole, zmqLabForFile, zmqOf, zmqTranscript } from './zmq-helpers.ts';

const lab = zmqLabForFile();

/** Resolves with the first bus message (from now on) that passes `test`. */
function nextMessage(test: (m: LabMessage) => boolean): Promise<LabMessage> {
  return new Promise((resolve) => {
    const stop = lab().daemon.bus.subscribe((event) => {
      if (event.type === 'message' && test(event.message)) {
        stop();
        resolve(event.message);
      }
    });
  });
}

/** Resolves once connection `id` has closed. */
function closed(id: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = lab().daemon.bus.subscribe((event) => {
      if (event.type === 'connection.close' && event.connection.id === id) {
        stop();
        resolve();
      }
    });
  });
}

/** A PAIR connected to the lab's PAIR port, resolved once its ZMTP handshake is done. */
async function pairPeer(): Promise<zmq.Pair> {
  const socket = new zmq.Pair({ linger: 0, receiveTimeout: 10_000 });
  const handshake = (async () => {
    for await (const event of socket.events) if (event.type === 'handshake') return;
  })();
  socket.connect(`tcp://127.0.0.1:${zmqOf(lab()).tapOf.pair.port}`);
  await handshake;
  return socket;
}

const wireText = (conn: string, text: string) => (m: LabMessage) => m.conn === conn && m.view === 'wire' && m.dir === 'client' && m.text.includes(text);

describe('ZeroMQ PAIR: a second peer', () => {
  it('completes its handshake, is never delivered, stays open and ignored after the first leaves; a new connection becomes the peer', async () => {
    const received: string[] = [];
    const onApp = (event: ZmqAppEvent) => {
      if (event.socket === 'pair' && event.type === 'received') received.push(event.frames.map((f) => f.toString('utf8')).join(' | '));
    };
    zmqOf(lab()).appEvents.on('app', onApp);
    const t = zmqTranscript(lab().daemon.bus);

    const first = await pairPeer();
    const firstSaid = nextMessage((m) => m.view === 'wire' && m.dir === 'client' && m.text.includes('"one"'));
    await first.send('one');
    expect((await first.receive())[0].toString()).toBe('PAIR heard: one');

    const noted = nextMessage((m) => m.view === 'endpoint' && m.annotation?.title === 'A second peer on an exclusive pair');
    const second = await pairPeer();
    const secondGot: string[] = [];
    void (async () => {
      for await (const [frame] of second) secondGot.push(frame.toString());
    })().catch(() => {});
    const note = await noted;
    const secondConn = note.conn;
    expect(note.annotation?.ref).toBe('ZeroMQ RFC 31 §4');
    const secondWire = () => t.messages.filter((m) => m.conn === secondConn && m.view === 'wire');
    // The handshake completed: READY with Socket-Type PAIR both ways on the second connection.
    for (const dir of ['client', 'server'] as const) {
      expect(secondWire().find((m) => m.dir === dir && m.annotation?.key === 'zmtp.cmd.READY')?.fields).toContainEqual(expect.objectContaining({ name: 'Socket-Type', value: '"PAIR"' }));
    }

    // Its send leaves it: the tap carries the frame to the server.
    const carried = nextMessage(wireText(secondConn, 'from second'));
    await second.send('from second');
    await carried;
    // The first peer still has the PAIR to itself.
    await first.send('two');
    expect((await first.receive())[0].toString()).toBe('PAIR heard: two');

    // The first peer leaves; the second stays ignored, even for what it sends now.
    const firstClosed = closed((await firstSaid).conn);
    first.close();
    await firstClosed;
    const carriedAgain = nextMessage(wireText(secondConn, 'again from second'));
    await second.send('again from second');
    await carriedAgain;

    // A new connection becomes the peer.
    const third = await pairPeer();
    const thirdSaid = nextMessage((m) => m.view === 'wire' && m.dir === 'client' && m.text.includes('"three"'));
    await third.send('three');
    expect((await third.receive())[0].toString()).toBe('PAIR heard: three');

    const thirdClosed = closed((await thirdSaid).conn);
    third.close();
    // Gone before the next test, whose console must become the PAIR's peer.
    await thirdClosed;
    zmqOf(lab()).appEvents.off('app', onApp);
    t.stop();
    expect(received).toEqual(['one', 'two', 'three']);
    expect(secondGot).toEqual([]);
    // The server never closed the second connection.
    expect(zmqOf(lab()).tapOf.pair.byId(secondConn)?.recorder.closed).toBe(false);
    // Only the second connection got the note.
    expect(t.messages.filter((m) => m.annotation?.title === 'A second peer on an exclusive pair').map((m) => m.conn)).toEqual([secondConn]);
    second.close();
  }, 30_000);

  it("the 'pair' console's second peer reports what it observed", async () => {
    const { console, lines } = openZmqConsole(lab(), 'pair');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('hi');
    await lines.next((l) => l === '← PAIR heard: hi');
    console.sendLine('second');
    expect(await lines.next((l) => l.startsWith('The second peer:'))).toBe('The second peer: TCP connection accepted and ZMTP handshake completed (READY both ways).');
    await lines.next((l) => l.startsWith('The second peer sent "Hello from the second peer"'));
    const verdict = await lines.next((l) => l.startsWith('The second peer got'), { timeoutMs: 10_000 });
    expect(verdict).toMatch(/^The second peer got no answer in 2 s, and its connection is still open\. A PAIR has at most one peer \(ZeroMQ RFC 31\)/);
    console.close();
  }, 30_000);

  it("a student's own PAIR client (the Own client recipe) while the page's PAIR console is the peer: the console says so, and after disconnect the client's next run is answered", async () => {
    const { console, lines } = openZmqConsole(lab(), 'pair');
    await lines.next((l) => l.includes('Type help'));
    console.sendLine('hi');
    await lines.next((l) => l === '← PAIR heard: hi');
    const tap = zmqOf(lab()).tapOf.pair;
    const code = zmqRecipes({ host: '127.0.0.1', ports: { rep: 0, pub: 0, push: 0, pull: 0, pair: tap.port, curve: 0 }, curveServerKey: null, ssh: { port: 0, user: 'student', password: '' } }).find((r) => r.name === 'pyzmq · PAIR')?.code ?? '';
    const python = await pythonWithZmq();
    const runRecipe = () =>
      new Promise<{ failed: boolean; stdout: string; stderr: string }>((resolve) =>
        execFile(python, ['-c', code], { timeout: 20_000 }, (err, stdout, stderr) => resolve({ failed: err !== null, stdout, stderr })),
      );
    // What the report saw: no reply (zmq.error.Again after the recipe's 5 s), and the console told the student why.
    const told = lines.next((l) => l.includes('Another PAIR peer connected'), { timeoutMs: 10_000 });
    const ignored = await runRecipe();
    expect(ignored.failed).toBe(true);
    expect(ignored.stderr).toContain('Resource temporarily unavailable');
    expect(await told).toMatch(/Another PAIR peer connected \(127\.0\.0\.1:\d+\) and is ignored: this console is the lab’s PAIR’s one peer \(ZeroMQ RFC 31\)/);
    expect(await lines.next((l) => l.startsWith('If that is your own client'))).toContain('type disconnect here');

    console.sendLine('disconnect');
    await lines.next((l) => l.startsWith('Disconnected: the lab’s PAIR has no peer now.'));
    const answered = await runRecipe();
    expect(answered.stdout).toContain("b'PAIR heard: Hello, pair'");
    // Typing into a console that left the PAIR is an error said aloud, and connect takes the place again.
    console.sendLine('still here?');
    expect(await lines.next((l) => l.startsWith('Not connected'))).toContain('type connect first');
    console.sendLine('connect');
    await lines.next((l) => l.startsWith('Connected to the PAIR'));
    console.sendLine('back');
    await lines.next((l) => l === '← PAIR heard: back');
    console.close();
  }, 60_000);
});
