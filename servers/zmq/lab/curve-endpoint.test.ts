/**
 * The CURVE endpoint view's dissector wrapper on the committed golden CURVE transcript, split anywhere:
 * the wire view is exactly the plain ZMTP dissector's, the endpoint view gets the opened HELLO and
 * WELCOME after their wire lines and one sealed-boxes note; garbage never throws.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bus } from '../../../lib/bus/bus.ts';
import { z85Decode } from '../../../lib/protocols/zmtp/curve-open.ts';
import { createZmtpDissector } from '../../../lib/protocols/zmtp/dissector.ts';
import type { ZmtpGolden } from '../../../lib/protocols/zmtp/golden-format.ts';
import type { DissectedMessage, StreamDir } from '../../../lib/protocols/types.ts';
import type { LabMessage } from '../../../lib/wire/event.ts';
import { ConnectionRecorder } from '../../../lib/wire/recorder.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { curveEndpointView } from './curve-endpoint.ts';

const golden = JSON.parse(readFileSync(fileURLToPath(new URL('../../../tests/golden/zmtp-curve.json', import.meta.url)), 'utf8')) as ZmtpGolden;
const secret = z85Decode(golden.serverSecretKey ?? '') ?? new Uint8Array(0);
const chunks = golden.chunks.map((c) => ({ dir: c.dir, data: new Uint8Array(Buffer.from(c.data, 'base64')) }));

/** Runs `input` through the wrapped factory as the tap does (connection.open, then the dissector, wire records). */
async function run(input: { dir: StreamDir; data: Uint8Array }[], key = secret): Promise<{ wire: DissectedMessage[]; all: LabMessage[] }> {
  const bus = new Bus();
  const all: LabMessage[] = [];
  bus.subscribe((event) => event.type === 'message' && all.push(event.message));
  let recorder: ConnectionRecorder | null = null;
  const tap = { byId: (id: string) => (id === recorder?.info.id ? { recorder } : undefined) } as unknown as Tap;
  const view = curveEndpointView(bus, key, () => tap);
  recorder = new ConnectionRecorder(bus, { protocol: 'zmq', sandbox: 'local', client: '127.0.0.1:1' });
  const dissector = view.dissector({ conn: recorder.info.id, sandbox: 'local' });
  const wire: DissectedMessage[] = [];
  const publish = (messages: DissectedMessage[]) => {
    for (const m of messages) {
      wire.push(m);
      recorder?.record(m, 'wire');
    }
  };
  for (const { dir, data } of input) publish(dissector.push(dir, data));
  publish(dissector.end());
  await Promise.resolve();
  view.stop();
  return { wire, all };
}

/** The chunks re-split at the given cut points (per direction order kept). */
function resplit(cuts: number[]): { dir: StreamDir; data: Uint8Array }[] {
  return chunks.flatMap(({ dir, data }) => {
    const at = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const cut of [...at, data.length]) {
      if (cut > from) pieces.push(data.subarray(from, cut));
      from = Math.max(from, cut);
    }
    return pieces.map((piece) => ({ dir, data: piece }));
  });
}

describe('CURVE endpoint view (dissector wrapper)', () => {
  it('opens HELLO and WELCOME of the golden transcript after their wire lines, and notes the sealed boxes once', async () => {
    const { all } = await run(chunks);
    const lines = all.map((m) => `${m.view} ${m.annotation?.key ?? m.text.slice(0, 20)}`);
    const at = (prefix: string) => all.findIndex((m) => m.text.startsWith(prefix));
    expect(at('HELLO opened')).toBeGreaterThan(all.findIndex((m) => m.annotation?.key === 'zmtp.curve.HELLO'));
    expect(at('WELCOME opened')).toBeGreaterThan(all.findIndex((m) => m.annotation?.key === 'zmtp.curve.WELCOME'));
    expect(all.filter((m) => m.view === 'endpoint' && m.text.startsWith('INITIATE'))).toHaveLength(1);
    expect(all.filter((m) => m.view === 'endpoint'), lines.join('\n')).toHaveLength(3);
  });

  it('another secret key: the HELLO did not open, and nothing else is claimed', async () => {
    const { all } = await run(chunks, new Uint8Array(32).fill(7));
    const endpoint = all.filter((m) => m.view === 'endpoint');
    expect(endpoint[0].text).toBe("HELLO box could not be opened with the lab's server key");
    expect(endpoint.some((m) => m.text.startsWith('WELCOME opened'))).toBe(false);
  });

  it('any split: the wire view is the plain dissector’s and the endpoint view the same', async () => {
    const plain = createZmtpDissector();
    const expected = chunks.flatMap(({ dir, data }) => plain.push(dir, data));
    const whole = (await run(chunks)).all.filter((m) => m.view === 'endpoint').map((m) => m.text);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(300), { maxLength: 6 }), async (cuts) => {
        const { wire, all } = await run(resplit(cuts));
        expect(wire.slice(0, expected.length).map((m) => m.text)).toEqual(expected.map((m) => m.text));
        expect(all.filter((m) => m.view === 'endpoint').map((m) => m.text)).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('never throws on garbage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ dir: fc.constantFrom<StreamDir>('client', 'server'), data: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 8 }), async (input) => {
        await run(input);
      }),
      { numRuns: 100 },
    );
  });
});
