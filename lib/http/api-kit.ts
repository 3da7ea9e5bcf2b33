import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { BODY_TYPES, describeIssues, isRaw, pathPattern, type Contract, type JsonBodyOf, type ParamsOf, type QueryOf, type ReplyInput } from './contract.ts';

/** An API error with its HTTP status; its message is shown to the user as is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A route handler: returns the JSON body (or throws HttpError). `replyHeaders` are sent with a
 * successful answer (a Set-Cookie that gives a browser its sandbox).
 */
export type Handler = (match: RegExpMatchArray, url: URL, req: IncomingMessage, replyHeaders?: Record<string, string>) => Promise<unknown> | unknown;
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
  /** Further Content-Types the route reads (an import takes a JSON export or a pcapng file); each must make a browser ask first too. */
  alsoAccepts?: readonly string[];
  /** The contract the route was defined from (defineRoute). */
  contract?: Contract;
}

/** Refuses a state-changing request whose Content-Type is not the one its route reads. */
export function checkContentType(route: ApiRoute, contentType: string | undefined): void {
  if (route.method === 'GET') return;
  const expected = BODY_TYPES[route.body ?? 'json'];
  const actual = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (actual !== expected && !route.alsoAccepts?.includes(actual)) {
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

/** Reads a whole request body, refusing with 413 and `tooLarge` as soon as it passes `limit` bytes. */
export async function readBytes(req: IncomingMessage, limit: number, tooLarge: string): Promise<Buffer> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, tooLarge);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a small JSON request body. */
export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const body = await readBytes(req, limit, 'Request body too large.');
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    throw new HttpError(400, 'Body must be JSON.');
  }
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, describeIssues(result.error));
  return result.data;
}

/** What a contract's handler gets: params, query and JSON body parsed by the contract's schemas. */
export interface RouteInput<C extends Contract> {
  params: ParamsOf<C>;
  query: QueryOf<C>;
  body: JsonBodyOf<C>;
  /** The request; a `body: 'bytes'` route streams its body from here. */
  req: IncomingMessage;
  url: URL;
  /** Headers sent with the answer if it succeeds. */
  replyHeaders: Record<string, string>;
}

/** A JSON route returns what its reply schema accepts; a raw one returns a RawResponse. */
export type RouteReply<C extends Contract> = C extends { reply: z.ZodType } ? ReplyInput<C> : RawResponse;

/**
 * Whether handlers' answers are checked against their reply schemas: in tests and `npm run dev`,
 * where a drifted reply should fail loudly; in production the answer is sent as the handler made it.
 */
function checkReplies(): boolean {
  return process.env.NODE_ENV === 'test' || process.env.NODE_ENV === 'development' || process.env.LAB_DEV === '1' || process.env.VITEST !== undefined;
}

/** Builds the router's route from a contract: input parsed with its schemas (400 on bad input), reply checked in tests/dev. */
export function defineRoute<C extends Contract>(contract: C, handler: (input: RouteInput<C>) => Promise<RouteReply<C>> | RouteReply<C>): ApiRoute {
  const { pattern, names } = pathPattern(contract);
  const { query, body, reply } = contract;
  return {
    method: contract.method,
    pattern,
    body: body === 'bytes' ? 'bytes' : 'json',
    contract,
    handler: async (match, url, req, replyHeaders = {}) => {
      const params: Record<string, unknown> = {};
      names.forEach((name, i) => (params[name] = parse(contract.params![name].schema, decodeURIComponent(match[i + 1]))));
      const input = {
        params,
        query: query ? parse(query, Object.fromEntries(url.searchParams)) : {},
        body: body && body !== 'bytes' ? parse(body, await readJson(req, contract.bodyLimit)) : undefined,
        req,
        url,
        replyHeaders,
      } as RouteInput<C>;
      const answer: unknown = await handler(input);
      if (isRaw(reply)) {
        if (!(answer instanceof RawResponse)) throw new Error(`${contract.method} ${contract.path} must answer with a RawResponse (${reply.raw}).`);
      } else if (checkReplies()) {
        const checked = reply.safeParse(answer);
        if (!checked.success) throw new Error(`${contract.method} ${contract.path} answered outside its reply schema: ${describeIssues(checked.error)}`);
      }
      return answer;
    },
  };
}
