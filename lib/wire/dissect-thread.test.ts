/**
 * Dissection on the dissect thread, through the real pipeline on loopback sockets: the bytes go on
 * at once, the thread's messages take their place in wire order (before a note the server records
 * meanwhile), step mode still holds framed messages, and a closed thread hands connections back.
 */
import type net from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import { createSoapDissector } from '../protocols/soap/dissector.ts';
import { DissectThread, ThreadDissection } from './dissect-thread.ts';
import { runPipeline } from './pipeline.ts';
import { ConnectionRecorder } from './recorder.ts';
import { closeSocketServers, socketPair } from './test-sockets.ts';
import { StepController, type StepHolder } from './step.ts';

const envelope = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><getMonth/></s:Body></s:Envelope>';
const request = `POST /soap/calendar HTTP/1.1\r\nHost: lab\r\nContent-Type: application/soap+xml\r\nContent-Length: ${envelope.length}\r\n\r\n${envelope}`;
const response = 'HTTP/1.1 204 No Content\r\n\r\n';

const thread = new DissectThread();
afterEach(closeSocketServers);
afterAll(() => thread.close());

/** A SOAP connection through the pipeline, dissected on the thread; `events` are the bus's. */
async function threaded(step: StepController, on: DissectThread = thread) {
  const bus = new Bus();
  const events: LabEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const [clientSide, client] = await socketPair();
  const [server, upstream] = await socketPair();
  const recorder = new ConnectionRecorder(bus, { protocol: 'soap', sandbox: 'local', client: 'test' });
  const dissection = on.open('soap', recorder);
  if (!dissection) throw new Error('the dissect thread is not running');
  runPipeline({ client: clientSide, upstream, recorder, step, owner: { sandbox: 'local' }, dissector: dissection });
  const closed = new Promise<void>((resolve) => bus.subscribe((e) => e.type === 'connection.close' && e.connection.id === recorder.info.id && resolve()));
  const texts = () => events.flatMap((e) => (e.type === 'message' ? [`${e.message.dir} ${e.message.text}`] : []));
  const messages = () => events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
  return { client, server, recorder, closed, texts, messages };
}

/** Reads from a socket until `count` bytes have come. */
function readBytes(socket: net.Socket, count: number): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const on = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.length < count) return;
      socket.off('data', on);
      resolve(text);
    };
    socket.on('data', on);
  });
}

describe('the dissect thread', () => {
  it('relays at once; the request’s lines come before the note the server recorded on reading it, then the response', async () => {
    const { client, server, recorder, closed, texts } = await threaded(new StepController('soap', () => {}));
    server.resume();
    const atServer = readBytes(server, request.length);
    client.write(request);
    expect(await atServer).toBe(request);
    // The server's own note, recorded as soon as it has the request (the thread may still be reading it).
    recorder.note('the server read the request', undefined, 'endpoint');
    const atClient = readBytes(client, response.length);
    server.end(response);
    expect(await atClient).toBe(response);
    client.end();
    await closed;
    const lines = texts();
    const post = lines.indexOf('client POST /soap/calendar HTTP/1.1');
    const envelopeLine = lines.findIndex((l) => l.startsWith('client <s:Envelope'));
    const note = lines.indexOf('note the server read the request');
    const status = lines.indexOf('server HTTP/1.1 204 No Content');
    expect(post).toBe(0);
    expect(envelopeLine).toBeGreaterThan(post);
    expect(note).toBeGreaterThan(envelopeLine);
    expect(status).toBeGreaterThan(note);
  });

  it('annotations cross once: two identical requests carry their request line’s annotation, one shared object', async () => {
    const { client, server, closed, messages } = await threaded(new StepController('soap', () => {}));
    server.resume();
    let seen = 0;
    const both = new Promise<void>((resolve) => server.on('data', (chunk: Buffer) => (seen += chunk.length) >= 2 * request.length && resolve()));
    client.write(request);
    client.write(request);
    await both;
    client.end();
    server.end();
    await closed;
    const posts = messages().filter((m) => m.text === 'POST /soap/calendar HTTP/1.1');
    expect(posts).toHaveLength(2);
    expect(posts[0].annotation?.title).toBeTruthy();
    expect(posts[1].annotation).toBe(posts[0].annotation);
  });

  it('what crosses back is what the dissector framed: every field, note, phase and annotation, as on the main thread', async () => {
    const { client, server, closed, messages } = await threaded(new StepController('soap', () => {}));
    server.resume();
    const atServer = readBytes(server, request.length);
    client.write(request);
    await atServer;
    const atClient = readBytes(client, response.length);
    server.end(response);
    await atClient;
    client.end();
    await closed;
    const inline = createSoapDissector();
    const expected = [...inline.push('client', Buffer.from(request)), ...inline.push('server', Buffer.from(response)), ...inline.end()];
    const crossed = messages().map(({ dir, kind, text, bytes, fields, annotation, phase }) => ({ dir, kind, text, bytes, fields, annotation, phase }));
    expect(expected.some((m) => m.fields?.length) && expected.some((m) => m.phase)).toBe(true);
    expect(crossed).toEqual(expected.map(({ dir, kind, text, bytes, fields, annotation, phase }) => ({ dir, kind, text, bytes, fields, annotation, phase })));
  });

  it('a client faster than the thread is read no faster than the thread dissects: the backlog stays bounded, nothing is lost', async () => {
    const limits = { behindBytes: 64 * 1024, caughtUpBytes: 16 * 1024 };
    const slow = new DissectThread(limits);
    try {
      const { client, server, closed, messages } = await threaded(new StepController('soap', () => {}), slow);
      // Pipelined SOAP requests: each costs the thread an XML parse, the main thread only a copy.
      const count = 4000;
      const flood = request.repeat(count);
      let received = 0;
      server.resume();
      const all = new Promise<void>((resolve) => server.on('data', (chunk: Buffer) => (received += chunk.length) >= flood.length && resolve()));
      client.write(flood);
      await all;
      client.end();
      server.end();
      await closed;
      await slow.settled();
      expect(received).toBe(flood.length);
      expect(messages().filter((m) => m.text === 'POST /soap/calendar HTTP/1.1')).toHaveLength(count);
      // Paused once past the bound: what was read meanwhile (a socket read or two) may add to it, not the flood.
      expect(slow.peakBacklogBytes).toBeGreaterThan(limits.behindBytes);
      expect(slow.peakBacklogBytes).toBeLessThan(limits.behindBytes + 256 * 1024);
      expect(slow.behind).toBe(false);
    } finally {
      await slow.close();
    }
  });

  it('step mode holds the bytes until the thread has framed them, and Step releases the whole HTTP request', async () => {
    const holder: StepHolder = { id: 'browser', sandbox: 'local' };
    let heldSome: () => void = () => {};
    const held = new Promise<void>((resolve) => (heldSome = resolve));
    const step = new StepController('soap', (_holder, state) => state.held > 0 && heldSome());
    expect(step.set(holder, true)).toBeNull();
    const { client, server, texts } = await threaded(step);
    let received = '';
    server.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    server.resume();
    client.write(request);
    await held;
    expect(step.state(holder).next).toMatchObject({ dir: 'client', text: 'POST /soap/calendar HTTP/1.1' });
    expect(received).toBe('');
    expect(texts()).toEqual([]);
    expect(step.step(holder)).toBe(true);
    // One Step: the request is one unit (lib/wire/gate.ts), start line through body.
    while (received.length < request.length) await new Promise<void>((resolve) => server.once('data', () => resolve()));
    expect(received).toBe(request);
    expect(texts()[0]).toBe('client POST /soap/calendar HTTP/1.1');
    expect(texts().length).toBeGreaterThan(4);
    expect(step.state(holder).held).toBe(0);
    step.dispose();
    client.destroy();
  });

  it('a connection that closes while the thread has not answered is over for the tap at once; its record ends after the answers', async () => {
    // A thread that keeps every answer until the test lets it go (the real one may still be loading its dissectors).
    class HeldThread extends DissectThread {
      readonly held: (() => void)[] = [];
      override send(_request: Parameters<DissectThread['send']>[0], then: Parameters<DissectThread['send']>[1]): void {
        this.held.push(() => then({ n: 0 }));
      }
    }
    const slow = new HeldThread();
    const bus = new Bus();
    const events: LabEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const [clientSide, client] = await socketPair();
    const [server, upstream] = await socketPair();
    server.resume();
    const recorder = new ConnectionRecorder(bus, { protocol: 'soap', sandbox: 'local', client: 'test' });
    let over = false;
    const closedOnBothSides = new Promise<void>((resolve) =>
      runPipeline({ client: clientSide, upstream, recorder, step: new StepController('soap', () => {}), owner: { sandbox: 'local' }, dissector: new ThreadDissection(slow, recorder), onClose: () => ((over = true), recorder.note('the tap let go'), resolve()) }),
    );
    const arrived = new Promise<void>((resolve) => server.once('data', () => resolve()));
    client.write(request);
    await arrived;
    // Both peers reset: no FIN waits for the thread to frame its messages first.
    client.resetAndDestroy();
    server.resetAndDestroy();
    await closedOnBothSides;
    expect(over).toBe(true);
    expect(recorder.closed).toBe(false);
    expect(events.filter((e) => e.type === 'message')).toEqual([]);
    for (const answer of slow.held.splice(0)) answer();
    expect(recorder.closed).toBe(true);
    const order = events.flatMap((e) => (e.type === 'message' ? [e.message.text] : e.type === 'connection.close' ? ['closed'] : []));
    expect(order).toEqual(['the tap let go', 'closed']);
    await slow.close();
  });

  it('settled() resolves only after every request sent before it was answered', async () => {
    const recorder = new ConnectionRecorder(new Bus(), { protocol: 'soap', sandbox: 'local', client: 'test' });
    const dissection = thread.open('soap', recorder);
    if (!dissection) throw new Error('the dissect thread is not running');
    const framed: string[] = [];
    for (let i = 0; i < 20; i++) dissection.push('client', Buffer.from(request), (messages) => framed.push(...messages.map((m) => m.text)));
    await thread.settled();
    expect(framed.filter((text) => text === 'POST /soap/calendar HTTP/1.1')).toHaveLength(20);
    dissection.end(() => {});
    await thread.settled();
  });

  it('once closed, it opens no more connections: the tap dissects them on the main thread', async () => {
    const own = new DissectThread();
    const recorder = new ConnectionRecorder(new Bus(), { protocol: 'soap', sandbox: 'local', client: 'test' });
    expect(own.open('soap', recorder)).not.toBeNull();
    await own.close();
    expect(own.open('soap', recorder)).toBeNull();
  });

  it('posts one connection talking alone at once, and lets requests gather only after a post that carried several connections', async () => {
    const own = new DissectThread();
    await own.whenReady(10_000);
    const realSetTimeout = globalThis.setTimeout;
    // The gathering timer and the clock it reads stand still: a request held for them is answered only once they move.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      let answered = 0;
      const ask = (conn: string) => new Promise<void>((resolve) => own.send({ op: 'after', conn }, () => resolve(void answered++)));
      await ask('a');
      await ask('a');
      await Promise.all([ask('a'), ask('b')]);
      const held = ask('a');
      // Long enough for a round trip to the thread (well under a millisecond when posted).
      await new Promise((resolve) => realSetTimeout(resolve, 200));
      expect(answered).toBe(4);
      vi.advanceTimersByTime(10);
      await held;
      expect(answered).toBe(5);
    } finally {
      vi.useRealTimers();
      await own.close();
    }
  });
});
