/**
 * Route contracts: each API route declared once — method, path template with typed params, query,
 * body and reply schemas — and read by the daemon's router (api-kit.ts `defineRoute`), the browser
 * (`callRoute`) and the tests. Pure zod and fetch: no node imports, so pages may import contracts.
 */
import { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One `:name` in a path template: the regex the router matches it with, and what it parses to. */
export interface Segment<T> {
  /** Regex source without anchors or capture groups, e.g. `\d{1,6}`. */
  pattern: string;
  schema: z.ZodType<T>;
}

/** A path parameter matched by `pattern` (a text that does not match is "no such route", 404). */
export function segment(pattern: RegExp): Segment<string>;
export function segment<T>(pattern: RegExp, schema: z.ZodType<T>): Segment<T>;
export function segment(pattern: RegExp, schema: z.ZodType = z.string()): Segment<unknown> {
  return { pattern: pattern.source, schema };
}

/** A reply that is not JSON: a download, an RFC 5322 source, an XML document. */
export interface RawReply {
  raw: string;
}

/** Declares a non-JSON reply with its Content-Type. */
export const raw = (contentType: string): RawReply => ({ raw: contentType });

/** Whether a reply is declared raw rather than by a schema. */
export function isRaw(reply: z.ZodType | RawReply): reply is RawReply {
  return !('safeParse' in reply);
}

/** What a contract declares. `body: 'bytes'` = a file's bytes sent as application/octet-stream. */
export interface Contract {
  method: Method;
  /** `/api/ssh/keys/:id/private`: each `:name` needs a segment in `params`. */
  path: string;
  params?: Record<string, Segment<unknown>>;
  /** Parsed from the query string (values arrive as text: use z.coerce or enums of strings). */
  query?: z.ZodType;
  body?: z.ZodType | 'bytes';
  /** Largest JSON body the route reads (default 64 KiB). */
  bodyLimit?: number;
  reply: z.ZodType | RawReply;
}

/** The `:name`s of a path template. */
export type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** Requires a segment for each `:name` of the path, and no params when there is none. */
type ParamsCheck<P extends string> = [ParamNames<P>] extends [never] ? { params?: undefined } : { params: { [K in ParamNames<P>]: Segment<unknown> } };

/** Declares a route contract; the type keeps every schema, so handlers and callers are typed from it. */
export function route<const C extends Contract>(contract: C & ParamsCheck<C['path']>): C {
  return contract;
}

export type ParamsOf<C> = C extends { params: infer S extends Record<string, Segment<unknown>> } ? { [K in keyof S]: S[K] extends Segment<infer T> ? T : never } : Record<never, never>;
/** The query as the handler sees it (defaults applied). */
export type QueryOf<C> = C extends { query: infer Q extends z.ZodType } ? z.output<Q> : Record<string, never>;
/** The JSON body as the handler sees it. */
export type JsonBodyOf<C> = C extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;
/** What the route answers with, as the caller gets it: the parsed JSON, or the Response of a raw reply. */
export type ReplyOf<C> = C extends { reply: infer R extends z.ZodType } ? z.output<R> : Response;
/** What a JSON handler returns (before the reply schema checks it). */
export type ReplyInput<C> = C extends { reply: infer R extends z.ZodType } ? z.input<R> : never;

type ParamsArg<C> = keyof ParamsOf<C> extends never ? { params?: undefined } : { params: ParamsOf<C> };
type QueryArg<C> = C extends { query: infer Q extends z.ZodType } ? ({} extends z.input<Q> ? { query?: z.input<Q> } : { query: z.input<Q> }) : { query?: undefined };
type BodyArg<C> = C extends { body: 'bytes' }
  ? { body: Blob | ArrayBuffer | Uint8Array | string }
  : C extends { body: infer B extends z.ZodType }
    ? undefined extends z.input<B>
      ? { body?: z.input<B> }
      : {} extends z.input<B>
        ? { body?: z.input<B> }
        : { body: z.input<B> }
    : { body?: undefined };

/**
 * The header a page sends with its API calls: the id the hub gave its WebSocket in `hello`. Routes
 * that open a connection for the page (SOAP HTTP console, SFTP and FTP panels) file it as that
 * browser's, so another browser's step mode does not hold it.
 */
export const BROWSER_HEADER = 'x-lab-browser';
/**
 * The same id as a query parameter, for what a page opens as a plain link (a download), which can
 * send no header: `linkUrl` adds it.
 */
export const BROWSER_PARAM = 'browser';
/** What a browser id looks like (the hub's `browser-…`); anything else in the header is refused. */
export const BROWSER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** This page's browser id, once its lab socket said hello (null before, and outside a page). */
let pageBrowser: string | null = null;

/** Called by the lab socket on `hello`: callRoute sends the id with every call from then on. */
export function setPageBrowser(id: string | null): void {
  pageBrowser = id !== null && BROWSER_ID.test(id) ? id : null;
}

/** The headers that say which browser makes a call (for callers that cannot use callRoute, e.g. XHR uploads). */
export function browserHeaders(browser: string | null = pageBrowser): Record<string, string> {
  return browser ? { [BROWSER_HEADER]: browser } : {};
}

/** The URL parts of a call. */
export type UrlArgs<C> = ParamsArg<C> & QueryArg<C>;
/** Everything a call sends; `baseUrl` for callers outside the page (tests, scripts). */
export type CallArgs<C> = UrlArgs<C> & BodyArg<C> & { signal?: AbortSignal; baseUrl?: string; keepalive?: boolean; /** Instead of the page's own id (tests acting as two browsers). */ browser?: string };
type Rest<A> = {} extends A ? [args?: A] : [args: A];
/** callRoute's arguments after the contract: optional when nothing is required. */
export type CallRest<C> = Rest<CallArgs<C>>;

/** An API answer other than 2xx; `message` is the API's own error text, shown to users as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The path and query string of a call, e.g. for a download link. */
export function routeUrl<C extends Contract>(contract: C, ...[args]: Rest<UrlArgs<C>>): string {
  const params = (args?.params ?? {}) as Record<string, unknown>;
  const path = contract.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_all, name: string) => {
    if (params[name] === undefined) throw new Error(`${contract.path}: missing :${name}`);
    return encodeURIComponent(String(params[name]));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((args?.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/**
 * A URL for a plain link (`<a href download>`): routeUrl plus this page's browser id, so the
 * connection the route opens is filed as this browser's like a callRoute call's.
 */
export function linkUrl<C extends Contract>(contract: C, ...rest: Rest<UrlArgs<C>>): string {
  const url = routeUrl(contract, ...rest);
  if (!pageBrowser) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${BROWSER_PARAM}=${encodeURIComponent(pageBrowser)}`;
}

/** The regex the router matches a contract's path with; group i is the i-th `:name`. */
export function pathPattern(contract: Contract): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = contract.path
    .split(/(:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const name = part.slice(1);
      const seg = contract.params?.[name];
      if (!seg) throw new Error(`${contract.path}: no segment for :${name}`);
      names.push(name);
      return `(${seg.pattern})`;
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

/** The Content-Type each kind of body must be sent with (the router refuses others, see api-kit.ts). */
export const BODY_TYPES = { json: 'application/json', bytes: 'application/octet-stream' } as const;

/** Zod's issues in one line: `path: message; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ');
}

/**
 * Calls a route: builds the URL, sends the body with the Content-Type the route reads, throws
 * ApiError with the API's error text on non-2xx, and parses a JSON reply with the reply schema.
 */
export async function callRoute<C extends Contract>(contract: C, ...[args]: Rest<CallArgs<C>>): Promise<ReplyOf<C>> {
  const a = (args ?? {}) as CallArgs<Contract> & { params?: unknown; query?: unknown; body?: unknown };
  const url = (a.baseUrl ?? '') + routeUrl(contract, a as UrlArgs<C>);
  const headers: Record<string, string> = browserHeaders(a.browser ?? pageBrowser);
  let body: Blob | ArrayBuffer | Uint8Array | string | undefined;
  if (contract.method !== 'GET') {
    // Every state change says what it sends, even with no body: only these types make a browser ask first (CORS).
    headers['content-type'] = contract.body === 'bytes' ? BODY_TYPES.bytes : BODY_TYPES.json;
    if (a.body !== undefined) body = contract.body === 'bytes' ? (a.body as typeof body) : JSON.stringify(a.body);
  }
  const res = await fetch(url, { method: contract.method, headers, body: body as BodyInit | undefined, cache: 'no-store', signal: a.signal, keepalive: a.keepalive });
  if (isRaw(contract.reply)) {
    if (res.ok) return res as ReplyOf<C>;
    return parseReply(contract, res.status, res.statusText, await res.text().catch(() => ''));
  }
  return parseReply(contract, res.status, res.statusText, await res.text());
}

/**
 * Reads a JSON route's answer (for callers that cannot use fetch, e.g. an upload through
 * XMLHttpRequest for its progress events): the parsed reply, or ApiError with the API's error text.
 */
export function parseReply<C extends Contract>(contract: C, status: number, statusText: string, text: string): ReplyOf<C> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): only the status line says what happened.
    throw new ApiError(status, status >= 200 && status < 300 ? `Unexpected answer from ${contract.method} ${contract.path}: not JSON.` : `${status} ${statusText}`);
  }
  if (status < 200 || status >= 300) {
    const error = (body as { error?: unknown } | null)?.error;
    throw new ApiError(status, typeof error === 'string' ? error : `${status} ${statusText}`);
  }
  if (isRaw(contract.reply)) throw new Error(`${contract.path} answers raw bytes; use callRoute for it.`);
  const parsed = contract.reply.safeParse(body);
  if (!parsed.success) throw new ApiError(status, `Unexpected answer from ${contract.method} ${contract.path}: ${describeIssues(parsed.error)}`);
  return parsed.data as ReplyOf<C>;
}
