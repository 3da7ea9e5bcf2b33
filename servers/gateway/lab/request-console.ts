/**
 * The request console's "Send": a service called as a user, written to the lab's public tap port
 * like any external client would (so it is tapped, dissected, steppable and decided by the
 * interceptor), on a connection owned by the browser that pressed Send. Returns the raw bytes both
 * ways and the tapped connection's id.
 */
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import type { Tap } from '../../../lib/wire/tap.ts';

export interface ConsoleRequest {
  method: string;
  path: string;
  user: string | null;
  auth: 'basic' | 'api-key' | 'none';
  secret?: string;
  body?: string;
  contentType?: string;
  soapAction?: string;
}

/** The request as HTTP/1.1 text, with the credentials the console was asked to send. */
export function buildRequest(host: string, r: ConsoleRequest, known: { password: string; apiKey?: string }): string {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `Host: ${host}`];
  if (r.user !== null && r.auth === 'basic') lines.push(`Authorization: Basic ${Buffer.from(`${r.user}:${r.secret ?? known.password}`).toString('base64')}`);
  // An unknown user has no key: the console sends a made-up one, which the interceptor refuses (401).
  if (r.user !== null && r.auth === 'api-key') lines.push(`X-Api-Key: ${r.secret ?? known.apiKey ?? 'no-such-key'}`);
  const body = r.body ?? '';
  if (body !== '' || ['POST', 'PUT', 'PATCH'].includes(r.method)) {
    lines.push(`Content-Type: ${r.contentType ?? 'application/json'}`);
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  if (r.soapAction !== undefined) lines.push(`SOAPAction: "${r.soapAction}"`);
  lines.push('Connection: close', '', body);
  return lines.join('\r\n');
}

export interface ConsoleExchange {
  conn: string | null;
  request: string;
  response: string;
  status: number;
  elapsedMs: number;
  error?: string;
}

const MAX_RESPONSE = 4 * 1024 * 1024;

/** Sends `request` through the tap as `owner`'s connection and reads until the server closes. */
export function exchangeThroughTap(tap: Tap, request: string, owner: ConnectionOwner, timeoutMs = 20_000): Promise<ConsoleExchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let conn: string | null = null;
    let settled = false;
    const { socket, accepted } = tap.connectOwnClient('access-control request console', owner);
    void accepted.then((c) => {
      conn = c.recorder.info.id;
    });
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const response = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ conn, request, response, status, elapsedMs: Math.round(performance.now() - started), error });
    };
    const timer = setTimeout(() => finish(`No complete answer within ${timeoutMs} ms.`), timeoutMs);
    timer.unref();
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE) return finish('The response was larger than 4 MiB.');
      chunks.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    socket.on('close', () => finish());
  });
}
