/**
 * The HTTP console's "Send": writes a request to the service host's public tap port like any
 * external client would (so it is tapped, dissected and steppable), and returns the raw bytes
 * both ways plus the tapped connection's id for the transcript.
 */
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { SOAP_CONSOLE_LABEL } from './contracts.ts';

export interface RawExchange {
  /** The tapped connection (GET /api/connections/:id shows its dissected transcript). */
  conn: string | null;
  request: string;
  response: string;
  /** Status code of the (last) response, 0 if none arrived. */
  status: number;
  elapsedMs: number;
  /** Why the exchange ended early (timeout, reset), if it did. */
  error?: string;
}

const MAX_RESPONSE = 4 * 1024 * 1024;

/**
 * Sends `request` (complete HTTP/1.1 text) through the tap and reads until the server closes; the
 * connection is `owner`'s (the page that pressed Send: its sandbox and its step mode). `timeoutMs` counts
 * only while step mode holds nothing of it: a class stepping through an exchange sets its own pace.
 */
export function sendThroughTap(tap: Tap, request: string, owner: ConnectionOwner, timeoutMs = 20_000, label = SOAP_CONSOLE_LABEL): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let conn: string | null = null;
    let settled = false;
    const { socket, accepted } = tap.connectOwnClient(label, owner);
    void accepted.then((c) => {
      conn = c.recorder.info.id;
    });
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      socket.destroy();
      const response = Buffer.concat(chunks).toString('utf8');
      const statuses = [...response.matchAll(/^HTTP\/\d\.\d (\d{3})/gm)].map((m) => Number(m[1])).filter((s) => s >= 200);
      resolve({ conn, request, response, status: statuses.at(-1) ?? 0, elapsedMs: Math.round(performance.now() - started), error });
    };
    // Time counts in ticks, and a tick while step mode holds the exchange does not count.
    const tick = Math.min(1_000, Math.max(10, timeoutMs / 10));
    let waited = 0;
    const timer = setInterval(() => {
      if (conn !== null && tap.step.isHeld(conn)) return;
      waited += tick;
      if (waited >= timeoutMs) finish(`No complete answer within ${timeoutMs} ms (time held in step mode not counted).`);
    }, tick);
    timer.unref();
    socket.once('connect', () => {
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE) return finish('The response was larger than 4 MiB.');
      chunks.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
  });
}
