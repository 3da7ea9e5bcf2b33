import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';

/** An API error with its HTTP status; its message is shown to the user as is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A route handler: returns the JSON body (or throws HttpError). */
export type Handler = (match: RegExpMatchArray, url: URL, req: IncomingMessage) => Promise<unknown> | unknown;
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
  /**
   * What a state-changing route reads from its body: JSON (the default) or a file's bytes.
   * The request must say so in Content-Type, even when it sends no body, because only those
   * types make a browser ask first (CORS preflight) before another site may send them.
   */
  body?: 'json' | 'bytes';
}

/** The Content-Type each kind of body must be sent with. */
export const BODY_TYPES = { json: 'application/json', bytes: 'application/octet-stream' } as const;

/** Refuses a state-changing request whose Content-Type is not the one its route reads. */
export function checkContentType(route: ApiRoute, contentType: string | undefined): void {
  if (route.method === 'GET') return;
  const expected = BODY_TYPES[route.body ?? 'json'];
  const actual = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (actual !== expected) {
    throw new HttpError(415, `${route.method} requests here must be sent as Content-Type: ${expected}${actual ? ` (got ${actual})` : ''}.`);
  }
}

/** Return this from a handler to send bytes (a download, an XML document) instead of JSON. */
export class RawResponse {
  constructor(
    readonly body: Buffer | string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Reads a small JSON request body. */
export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    throw new HttpError(400, 'Body must be JSON.');
  }
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, result.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '));
  return result.data;
}
