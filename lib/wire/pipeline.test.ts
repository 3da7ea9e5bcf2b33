/**
 * The tap's pipeline for a connection whose sockets already exist (a secondary connection such as
 * an FTP data connection): relay both ways with each FIN passed on, the wire view on its own
 * recorder with its parent, step mode (held with its parent connection), and a guarded dissector.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../protocols/types.ts';
import { runPipeline, type HalfCloseDissector } from './pipeline.ts';
import { ConnectionRecorder } from './recorder.ts';
import { closeSocketServers, socketPair } from './test-sockets.ts';
import { StepController, type StepHolder } from './step.ts';

const holder: StepHolder = { id: 'http', sandbox: 'local' };
afterEach(closeSocketServers);

/** Reads a socket to its end. */
function readAll(socket: net.Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks).toString())));
}

/** Frames nothing while bytes flow and one message per direction at its FIN (like the FTP data summariser). */
function atHalfClose(): HalfCloseDissector {
  const seen: Record<StreamDir, number> = { client: 0, server: 0 };
  const rest = (dir: StreamDir): DissectedMessage[] => {
    const bytes = seen[dir];
    seen[dir] = 0;
    return bytes > 0 ? [{ dir, kind: 'data-summary', text: `<${bytes} bytes>`, bytes }] : [];
  };
  return {
    push: (dir, chunk) => ((seen[dir] += chunk.length), []),
    endOf: rest,
    end: () => [...rest('client'), ...rest('server')],
  };
}

/** A relayed connection: `client` talks to `server` through the pipeline. */
async function relayed(bus: Bus, step: StepController, dissector: Dissector, parent?: string) {
  const [clientSide, client] = await socketPair();
  const [server, upstream] = await socketPair();
  server.resume();
  const recorder = new ConnectionRecorder(bus, { protocol: 'ftp', sandbox: 'local', client: 'test', label: 'data', parent });
  const ended: StreamDir[] = [];
  const closed = new Promise<void>((resolve) =>
    runPipeline({ client: clientSide, upstream, recorder, step, owner: { sandbox: 'local' }, dissector, onEnd: (dir) => ended.push(dir), onClose: resolve }),
  );
  return { client, server, recorder, closed, ended };
}

function recordedTexts(events: LabEvent[], conn: string): string[] {
  return events.flatMap((e) => (e.type === 'message' && e.message.conn === conn ? [e.message.text] : []));
}

describe('runPipeline', () => {
  it('relays both ways, passes each FIN on, records the wire view under its parent and closes the record', async () => {
    const bus = new Bus();
    const events: LabEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const step = new StepController('ftp', () => {});
    const { client, server, recorder, closed } = await relayed(bus, step, atHalfClose(), 'ftp-control');
    const atServer = readAll(server);
    const atClient = readAll(client);
    client.end('upload');
    expect(await atServer).toBe('upload');
    server.end('reply!');
    expect(await atClient).toBe('reply!');
    client.end();
    await closed;
    expect(recorder.info).toMatchObject({ parent: 'ftp-control' });
    expect(recorder.closed).toBe(true);
    expect(recordedTexts(events, recorder.info.id)).toEqual(['<6 bytes>', '<6 bytes>']);
  });

  it('step mode for the parent connection holds the bytes until Step releases them, FIN (and onEnd) last', async () => {
    const bus = new Bus();
    const events: LabEvent[] = [];
    bus.subscribe((e) => events.push(e));
    let heldSome: () => void = () => {};
    const held = new Promise<void>((resolve) => (heldSome = resolve));
    const step = new StepController('ftp', (_holder, state) => state.held > 0 && heldSome());
    // A lane for the parent, so step mode may name it.
    step.open('ftp-control', { sandbox: 'local' });
    expect(step.set(holder, true, { kind: 'connection', conn: 'ftp-control' })).toBeNull();
    const { client, server, recorder, ended } = await relayed(bus, step, atHalfClose(), 'ftp-control');
    const atClient = readAll(client);
    let received = '';
    client.on('data', (chunk: Buffer) => (received += chunk.toString()));
    server.end('the listing');
    await held;
    expect(step.state(holder).next).toMatchObject({ conn: recorder.info.id, connection: 'data', dir: 'server', text: '<11 bytes>' });
    expect(received).toBe('');
    expect(recordedTexts(events, recorder.info.id)).toEqual([]);
    // The server's FIN reached the pipeline but is not passed on while the bytes before it are held.
    expect(ended).toEqual([]);
    expect(step.step(holder)).toBe(true);
    expect(ended).toEqual(['server']);
    expect(await atClient).toBe('the listing');
    expect(recordedTexts(events, recorder.info.id)).toEqual(['<11 bytes>']);
    step.dispose();
  });

  it('a throwing dissector is one error note; the bytes still go through', async () => {
    const bus = new Bus();
    const events: LabEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const broken: Dissector = {
      push: () => {
        throw new Error('boom');
      },
      end: () => [],
    };
    const { client, server, recorder, closed } = await relayed(bus, new StepController('ftp', () => {}), broken);
    const atServer = readAll(server);
    client.end('still relayed');
    expect(await atServer).toBe('still relayed');
    server.end();
    await closed;
    expect(recordedTexts(events, recorder.info.id)).toEqual(['Dissector failed (boom); bytes are still relayed but no longer decoded.']);
  });
});
