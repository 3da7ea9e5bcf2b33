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
