// Lesson text names a lab's ports through tokens the lesson routes fill (lib/lessons/reader.ts): with
// ZMQ_BASE_PORT moved (here: test ports, any free ones) each socket the ZeroMQ lessons name is still
// the one that answers there, as a real ZMTP peer tells it in its READY (ZMTP 3.1 §3.2 "Socket-Type").
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LessonState } from '../../lib/http/lesson-contracts.ts';
import { nullGreeting } from '../../lib/protocols/zmtp/greeting.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [zmqLab] });
});
afterAll(async () => {
  await lab?.stop();
});

/** The socket type a ZMTP 3 peer at `port` announces in its READY, after our NULL greeting (ZMTP 3.1 §3.1, §3.2). */
function socketTypeAt(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(nullGreeting()));
    let seen = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const type = /Socket-Type\x00\x00\x00[\x01-\x10]([A-Z]+)/.exec(seen.subarray(64).toString('latin1'))?.[1];
      if (type) {
        socket.destroy();
        resolve(type);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`port ${port} closed before its READY`)));
  });
}

describe('lesson ports', () => {
  it('names each ZeroMQ socket by the port it listens on here, not the default ones', async () => {
    const state = await lab.api<LessonState>('/api/lessons/zmq-patterns');
    const text = state.lesson.steps.flatMap((s) => [s.do, ...(s.try ?? []), ...s.hints]).join('\n');
    const named = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    const ports = {
      PUB: named(/zmq\.SUB to port (\d+)/),
      PUSH: named(/ventilator on port (\d+)/),
      PULL: named(/sink on port (\d+)/),
      PAIR: named(/zmq\.PAIR to port (\d+)/),
    };
    expect(text).not.toMatch(/\{\{|\b555[5-9]\b/);
    for (const [type, port] of Object.entries(ports)) {
      expect(port, type).toBeGreaterThan(0);
      expect(await socketTypeAt(port), `port ${port}`).toBe(type);
    }
    // The REP's reply names the port the client dialled.
    expect(text).toContain(`"World from ${lab.port('zmq')}"`);
  });
});
