/**
 * Step mode holding an HTTP request at the tap while the student reads the lesson's question (walk C
 * #1): the service hosts give outside clients a deadline for their request (servers/soap/guard.ts),
 * and time held at the tap is not the client's. Deadlines are shortened to DEADLINE_MS here; each hold
 * lasts several deadlines, after which the client must get the service's real answer, not a 408.
 * A client that is merely slow still gets its 408 with step mode on.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import type { StepState } from '../../lib/bus/events.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import { createGatewayLab } from '../../servers/gateway/lab.ts';
import { createSoapLab } from '../../servers/soap/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { requestEnvelope } from '../../servers/soap/lab/envelopes.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { curl } from './gateway-helpers.ts';

/**
 * Short for the test, yet long enough that a loaded machine (the full suite) relays and frames a
 * message well within it: bytes waiting for the dissect thread are not yet held, so that lag counts.
 */
const DEADLINE_MS = 1_000;
/** How long the "student" keeps a message held: well past the deadline. */
const HOLD_MS = 2.5 * DEADLINE_MS;

let lab: TestLab;
beforeAll(async () => {
  const deadlines = { headerTimeoutMs: DEADLINE_MS, bodyTimeoutMs: DEADLINE_MS };
  lab = await startTestLab({ labs: [smtpLab, createSoapLab({ thinkTime: () => 0, ...deadlines }), createGatewayLab(deadlines)] });
});
afterAll(async () => {
  await lab?.stop();
});

const setStep = (protocol: Protocol, body: { enabled?: boolean; action?: 'next' | 'play'; paceMs?: number }) =>
  lab.api(coreContracts.setStep, { params: { protocol }, body });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the HTTP holder's step state once its next held message passes `test` (now or on a later step event). */
function whenNext(protocol: Protocol, test: (next: NonNullable<StepState['next']>) => boolean): Promise<StepState> {
  return new Promise((resolve, reject) => {
    const done = (state: StepState) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`step mode for ${protocol} held no matching message`));
    }, 15_000);
    const unsubscribe = lab.daemon.bus.subscribe((event) => {
      if (event.type === 'step' && event.holder === 'http' && event.state.protocol === protocol && event.state.next && test(event.state.next)) done(event.state);
    });
    void lab.api(coreContracts.step).then(({ step }) => {
      const state = step.find((s) => s.protocol === protocol);
      if (state?.next && test(state.next)) done(state);
    });
  });
}

/** Presses Step for each held client message until the server's answer is the one held. */
async function stepUntilAnswerHeld(protocol: Protocol): Promise<StepState> {
  for (;;) {
    const state = await whenNext(protocol, () => true);
    if (state.next?.dir === 'server') return state;
    await setStep(protocol, { action: 'next' });
  }
}

/** The status lines of the whole HTTP responses in `text` (each read to its Content-Length). */
function responses(text: string): string[] {
  const found: string[] = [];
  let rest = Buffer.from(text);
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return found;
    const head = rest.subarray(0, end).toString('latin1');
    const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return found;
    found.push(head.split('\r\n', 1)[0]);
    rest = rest.subarray(end + 4 + length);
  }
}

/** Everything a raw client receives until the server closes or `until` says it has enough. */
function rawClient(port: number): { socket: net.Socket; received: (until: (got: string) => boolean) => Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let got = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    got += chunk;
    waiters.forEach((w) => w());
  });
  socket.on('close', () => waiters.forEach((w) => w()));
  socket.on('error', () => {});
  return {
    socket,
    received: (until) =>
      new Promise((resolve, reject) => {
        // Fails with what did arrive, well before the test's own timeout.
        const timer = setTimeout(() => reject(new Error(`no complete answer within 10 s; received: ${JSON.stringify(got)}`)), 10_000);
        const check = () => {
          if (!until(got) && !socket.destroyed) return;
          clearTimeout(timer);
          resolve(got);
        };
        waiters.push(check);
        check();
      }),
  };
}

describe('step mode holds a request past the service host’s deadline', () => {
  it('the gateway answers the held request for real (403), not 408', async () => {
    await setStep('gateway', { enabled: true });
    try {
      const reply = curl(lab, 'POST', '/api/library/loans', { user: 'bob' }, { type: 'application/json', text: '{"isbn":"9780132126953"}' });
      await whenNext('gateway', (next) => next.dir === 'client' && /^POST \/api\/library\/loans/.test(next.text));
      await sleep(HOLD_MS);
      await setStep('gateway', { action: 'play', paceMs: 50 });
      const { status, body } = await reply;
      expect(status, body).toBe(403);
    } finally {
      await setStep('gateway', { enabled: false });
    }
  });

  it('a kept-alive connection whose answer was held may still send its next request', async () => {
    await setStep('gateway', { enabled: true });
    const basic = Buffer.from(`bob:${TEST_PASSWORD}`).toString('base64');
    const get = `GET /api/library/books HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${basic}\r\n\r\n`;
    const client = rawClient(lab.port('gateway'));
    try {
      client.socket.write(get);
      await whenNext('gateway', (next) => next.dir === 'client' && /^GET \/api\/library\/books/.test(next.text));
      await sleep(HOLD_MS);
      // The request goes on; its answer is held in turn, again past the idle deadline.
      await stepUntilAnswerHeld('gateway');
      await sleep(HOLD_MS);
      await setStep('gateway', { enabled: false });
      expect(responses(await client.received((got) => responses(got).length >= 1))).toEqual(['HTTP/1.1 200 OK']);
      client.socket.write(get.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
      // Before the fix the host had written a 408 behind the held answer and closed: no second answer.
      expect(responses(await client.received((got) => responses(got).length >= 2))).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    } finally {
      client.socket.destroy();
      await setStep('gateway', { enabled: false });
    }
  });

  it('the SOAP host answers a held envelope with its calendar, not 408', async () => {
    await setStep('soap', { enabled: true });
    try {
      const generated = requestEnvelope('getMonth', '1.1', { year: 2025, month: 3 });
      const head = Object.entries(generated.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      const client = rawClient(lab.port('soap'));
      client.socket.write(`POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}Content-Length: ${Buffer.byteLength(generated.envelope)}\r\nConnection: close\r\n\r\n${generated.envelope}`);
      await whenNext('soap', (next) => next.dir === 'client' && /^POST \/soap\/calendar/.test(next.text));
      await sleep(HOLD_MS);
      await setStep('soap', { action: 'play', paceMs: 50 });
      const answer = await client.received((got) => responses(got).length >= 1);
      expect(responses(answer)).toEqual(['HTTP/1.1 200 OK']);
      expect(answer).toContain('March');
    } finally {
      await setStep('soap', { enabled: false });
    }
  });

  it('a client that stops in the middle of its headers still gets 408, step mode or not', async () => {
    await setStep('gateway', { enabled: true });
    try {
      // Play releases what the client sent; what it never sent cannot be held, so its deadline runs.
      await setStep('gateway', { action: 'play', paceMs: 50 });
      const client = rawClient(lab.port('gateway'));
      client.socket.write('GET /api/library/books HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      // The 408 has no Content-Length: it ends with the connection.
      expect(await client.received(() => false)).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    } finally {
      await setStep('gateway', { enabled: false });
    }
  });
});
