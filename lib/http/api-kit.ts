import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { groupDigits } from '../text/numbers.ts';
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

/**
 * Return this from a handler to stream a body as it is produced (a download relayed from a server)
 * instead of building it whole first; `sendStream` writes it.
 */
export class StreamResponse {
  constructor(
    readonly contentType: string,
    /** Sent with the first byte; a `content-length` here must match the body, or the transfer fails. */
    readonly headers: Record<string, string>,
    /** Writes the body into `out` (ending it or not): resolves when all of it was written, rejects if it cannot be. */
    readonly send: (out: Writable) => Promise<void>,
    /** Frees what the body came from (a server session): called once, when the answer is over — sent, failed or abandoned. */
    readonly release: () => void = () => {},
  ) {}
}

/**
 * Writes a StreamResponse. The status and headers go out with the first byte (or at the end of an empty
 * body), so a `send` that fails before it throws here and the caller still answers with an error. A failure
 * after it destroys the response: the client sees a broken transfer, never a short one that looks complete.
 * A client that goes away mid-way errors `out`, which stops `send`'s source.
 */
export async function sendStream(res: ServerResponse, reply: StreamResponse, headers: Record<string, string>, head: boolean): Promise<void> {
  const all = { 'content-type': reply.contentType, ...headers, ...reply.headers };
  // A body longer or shorter than its Content-Length throws instead of ending the response as if complete.
  res.strictContentLength = true;
  let left = false;
  try {
    if (head) {
      res.writeHead(200, all).end();
      return;
    }
    // A write waiting for the client to take more: a client that leaves fails it rather than leave it waiting.
    let waiting: ((err?: Error | null) => void) | null = null;
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (!res.headersSent) res.writeHead(200, all);
        if (res.write(chunk)) return callback();
        waiting = callback;
        res.once('drain', () => {
          waiting = null;
          callback();
        });
      },
      destroy(err, callback) {
        const pending = waiting;
        waiting = null;
        pending?.(err);
        callback(err);
      },
    });
    // The source hears of a client that left through its writes (and its own listeners); never unhandled here.
    out.on('error', () => {});
    const gone = () => {
      left = true;
      out.destroy(new Error('The client closed the connection before the end of the answer.'));
    };
    res.once('close', gone);
    try {
      await reply.send(out);
    } finally {
      res.off('close', gone);
    }
    if (!res.headersSent) res.writeHead(200, all);
    res.end();
  } catch (err) {
    // Before the first byte an error can still be answered, unless nobody is left to read it.
    if (!res.headersSent && !left) throw err;
    res.destroy(err as Error);
  } finally {
    reply.release();
  }
}

/** What readBytes does with a body that passes its limit. */
export interface ReadBytesOptions {
  /**
   * Read it to its end, keeping none of the rest, and refuse then (default: refuse at once, which stops
   * reading and destroys the stream). A server that answers the refusal on the same connection wants
   * this: closing with unread bytes makes the kernel send RST, and the client may never see the 413.
   */
  readToEnd?: boolean;
}

/**
 * Reads a whole body (a request's, or an answer a client reads), refusing with 413 and `tooLarge` once
 * it passes `limit` bytes: the size limit of the API routes, the access-control host's bodies and the WS-Policy
 * provider's envelopes (the SOAP host answers its 413 before the body ends, so it keeps its own loop).
 */
export async function readBytes(body: AsyncIterable<Buffer>, limit: number, tooLarge: string, options: ReadBytesOptions = {}): Promise<Buffer> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (!options.readToEnd) throw new HttpError(413, tooLarge);
  }
  if (size > limit) throw new HttpError(413, tooLarge);
  return Buffer.concat(chunks);
}

/** A request body passed on as it arrives (streamBody). */
export interface BodyStream {
  /** The body's bytes, ended early when `cut()` says why. */
  source: Readable;
  /** Bytes the client sent so far. */
  received(): number;
  /** Why `source` ended before the body did: 413 past the limit, 400 when the client stopped sending; null otherwise. */
  cut(): HttpError | null;
  /** Stops passing bytes on (the consumer gave up): the rest is read and dropped. */
  drop(): void;
}

/**
 * Streams a request body without holding it: `source` ends early, instead of failing, once the body passes
 * `limit` bytes or the client stops sending before its end, and `cut()` says which. What arrives after that
 * is read and dropped, so an answer (413) can still reach a client that is sending.
 */
export function streamBody(req: IncomingMessage, limit: number, tooLarge: string): BodyStream {
  const source = new PassThrough();
  let received = 0;
  let cut: HttpError | null = null;
  const open = () => !source.writableEnded && !source.destroyed;
  const drop = () => {
    if (open()) source.end();
    req.resume();
  };
  const stop = (reason: HttpError) => {
    if (!open()) return;
    cut = reason;
    drop();
  };
  req.on('data', (chunk: Buffer) => {
    if (!open()) return;
    received += chunk.length;
    if (received > limit) stop(new HttpError(413, tooLarge));
    else if (!source.write(chunk)) req.pause();
  });
  source.on('drain', () => open() && req.resume());
  req.once('end', () => open() && source.end());
  req.once('close', () => req.complete || stop(new HttpError(400, `The client stopped sending after ${groupDigits(received)} bytes, before the end of the body.`)));
  // 'close' follows and says what happened; without a listener an aborted request's error would be thrown.
  req.on('error', () => {});
  // A consumer that failed may destroy the source with its error: it knows already, the daemon must not throw.
  source.on('error', () => {});
  return { source, received: () => received, cut: () => cut, drop };
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

/** A JSON route returns what its reply schema accepts; a raw one returns a RawResponse or a StreamResponse. */
export type RouteReply<C extends Contract> = C extends { reply: z.ZodType } ? ReplyInput<C> : RawResponse | StreamResponse;

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
        if (!(answer instanceof RawResponse || answer instanceof StreamResponse)) throw new Error(`${contract.method} ${contract.path} must answer with a RawResponse or StreamResponse (${reply.raw}).`);
      } else if (checkReplies()) {
        const checked = reply.safeParse(answer);
        if (!checked.success) throw new Error(`${contract.method} ${contract.path} answered outside its reply schema: ${describeIssues(checked.error)}`);
      }
      return answer;
    },
  };
}
