/**
 * What every service of the access-control lab is made of: the request a route's dispatch takes, the
 * reply it gives (already serialised), the declared error classes, and `route()`, the one shape of a
 * route-table entry. The table is plain data so the catalogue extractor can read it without running it
 * (servers/gateway/catalogue/extract.ts reads `method`, `path`, `controller`, `action` and `errors`).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as the gateway hands it to a route, after matching and authentication. */
export interface ServiceRequest {
  method: string;
  path: string;
  /** Values of the URI template's `{name}` variables, decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body, or undefined when there is none; untrusted until a parser checked it. */
  body: unknown;
  /** The authenticated user's name, or null when the interceptor let an anonymous call through. */
  user: string | null;
}

/** A reply ready for the wire: the gateway writes `status`, a Content-Type of `contentType`, and `body`. */
export interface ServiceReply {
  status: number;
  contentType: string;
  body: string | Uint8Array;
}

/** Who calls: the controllers receive it beside their parsed input. */
export interface Caller {
  user: string | null;
}

/** An answer that is bytes, not JSON (the binary services). */
export class BinaryBody {
  constructor(readonly contentType: string, readonly bytes: Uint8Array) {}
}

/**
 * A failure a service declares. Each subclass names its HTTP status and a stable code; the route table
 * lists the classes a route may throw, and the dispatch turns one into an RFC 9457 problem reply.
 */
export class ServiceError extends Error {
  static readonly status: number = 500;
  static readonly code: string = 'internal';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed: a missing or wrong parameter or body field. */
export class BadRequestError extends ServiceError {
  static override readonly status: number = 400;
  static override readonly code: string = 'bad-request';
}

/** The caller is not the owner of what it asks for. */
export class NotOwnerError extends ServiceError {
  static override readonly status: number = 403;
  static override readonly code: string = 'not-owner';
}

/** A constructor of a declared error, as the route table lists it. */
export type ErrorClass = (abstract new (message: string) => ServiceError) & { readonly status: number; readonly code: string };

/** A controller action: parsed input and the caller in, a JSON-able value or a BinaryBody out. */
type Action<I> = (input: I, caller: Caller) => Promise<unknown>;
type InputOf<F> = F extends Action<infer I> ? I : never;

/** One entry of a version's route table, checked at compile time: `action` is a method of `controller` whose input `parse` produces. */
export interface RouteDef<S, C, K extends keyof C> {
  /** The stable service name the catalogue and the diff key on (`area.verb`). */
  name: string;
  method: HttpMethod;
  /** URI template, RFC 6570 level 1: `{name}` stands for one path segment. */
  path: string;
  summary: string;
  controller: new (services: S) => C;
  action: K;
  parse: (req: ServiceRequest) => InputOf<C[K]>;
  errors: readonly ErrorClass[];
  /** Status of a success; 200 unless said. */
  status?: number;
}

/** A route with its types erased, as a version's table holds it. */
export interface RouteEntry<S> {
  name: string;
  method: HttpMethod;
  path: string;
  summary: string;
  controller: new (services: S) => object;
  action: string;
  parse: (req: ServiceRequest) => unknown;
  errors: readonly ErrorClass[];
  status: number;
}

/** Declares a route; the generics tie the action to its controller and its parser. */
export function route<S, C, K extends keyof C & string>(def: RouteDef<S, C, K>): RouteEntry<S> {
  return { ...def, status: def.status ?? 200 } as RouteEntry<S>;
}

// ── Input parsers' building blocks: bad input is a BadRequestError naming the field. ──

function fieldsOf(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('The body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** A required non-empty string of at most `max` characters from a JSON body. */
export function bodyString(body: unknown, name: string, max = 200): string {
  const value = fieldsOf(body)[name];
  if (typeof value !== 'string' || value.trim() === '') throw new BadRequestError(`Body field "${name}" must be a non-empty string.`);
  if (value.length > max) throw new BadRequestError(`Body field "${name}" must be at most ${max} characters.`);
  return value.trim();
}

/** A required integer in [min, max] from a JSON body. */
export function bodyInt(body: unknown, name: string, min: number, max: number): number {
  const value = fieldsOf(body)[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(`Body field "${name}" must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** A URI-template variable that must match `pattern` (what the value looks like, for the message). */
export function param(req: ServiceRequest, name: string, pattern: RegExp, looksLike: string): string {
  const value = req.params[name] ?? '';
  if (!pattern.test(value)) throw new BadRequestError(`Path parameter "${name}" must be ${looksLike}.`);
  return value;
}

/** An optional query parameter of at most `max` characters. */
export function queryString(req: ServiceRequest, name: string, max = 100): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (value.length > max) throw new BadRequestError(`Query parameter "${name}" must be at most ${max} characters.`);
  return value;
}

/** The caller's name; services that act on "me" need one. */
export function requireUser(caller: Caller): string {
  if (!caller.user) throw new NotOwnerError('This service acts for a signed-in user; none was named.');
  return caller.user;
}
