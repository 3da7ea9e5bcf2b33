/**
 * The service host's REST services, per API version, ready to mount: each route matches a path against
 * its URI template and dispatches a request through parser → controller → service → repository,
 * answering JSON, bytes, or an RFC 9457 problem for a declared error. The gateway puts its interceptor
 * in front of `dispatch`; nothing here knows about users' rights.
 */
import { buildServices, type AppServices } from './app.ts';
import { BinaryBody, ServiceError, type HttpMethod, type RouteEntry, type ServiceReply, type ServiceRequest } from './kit.ts';
import { Store } from './store.ts';
import { ROUTES as V1_ROUTES } from './v1/routes.ts';
import { ROUTES as V2_ROUTES } from './v2/routes.ts';

export type { ServiceReply, ServiceRequest } from './kit.ts';

export const SERVICE_VERSIONS = ['v1', 'v2'] as const;
export type ServiceVersion = (typeof SERVICE_VERSIONS)[number];

export function isServiceVersion(value: string): value is ServiceVersion {
  return (SERVICE_VERSIONS as readonly string[]).includes(value);
}

const TABLES: Record<ServiceVersion, readonly RouteEntry<AppServices>[]> = { v1: V1_ROUTES, v2: V2_ROUTES };

/** One mounted route. */
export interface MountedService {
  /** The stable service name, as in the catalogue (`courses.enrol`). */
  name: string;
  method: HttpMethod;
  uriTemplate: string;
  summary: string;
  /** The template's variables decoded from `path`, or null when the path does not fit the template. */
  match(path: string): Record<string, string> | null;
  /** Runs the route; never throws: a declared error is its problem reply, anything else a 500 that hides the message. */
  dispatch(req: ServiceRequest): Promise<ServiceReply>;
}

/** A match of a request line against a version's routes. */
export interface ServiceMatch {
  service: MountedService;
  params: Record<string, string>;
}

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';

/**
 * Problem types: absolute URIs (RFC 9457 §3.1.1) in the lab's tag: namespace (RFC 4151), as the
 * interceptor's, not meant to be fetched; `services/` tells a service's own answer from the gateway's.
 */
const TYPE_BASE = 'tag:protocol-lab.local,2025:services/';

/** 'book-not-found' → 'Book not found': a title for people (RFC 9457 §3.1.3), not the class name. */
function titleOf(code: string): string {
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** RFC 9457 §3: a problem document whose `type` names the declared error, laid out as the interceptor's are. */
function problem(status: number, code: string, detail: string, service: string): ServiceReply {
  const body = { type: `${TYPE_BASE}${code}`, title: titleOf(code), status, detail, service };
  return { status, contentType: PROBLEM_TYPE, body: `${JSON.stringify(body, null, 2)}\n` };
}

/** `{name}` matches one non-empty segment; anything else matches itself. */
function templateMatcher(template: string): (path: string) => Record<string, string> | null {
  const parts = template.split('/');
  return (path) => {
    const segments = path.split('/');
    if (segments.length !== parts.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const segment = segments[i];
      const variable = /^\{(\w+)\}$/.exec(part);
      if (!variable) {
        if (part !== segment) return null;
        continue;
      }
      if (segment === '') return null;
      try {
        params[variable[1]] = decodeURIComponent(segment);
      } catch {
        return null; // a malformed %-escape fits no template
      }
    }
    return params;
  };
}

function mount(entry: RouteEntry<AppServices>, controller: object): MountedService {
  const declared = new Set(entry.errors);
  const action = (controller as Record<string, unknown>)[entry.action];
  if (typeof action !== 'function') throw new Error(`route ${entry.name}: ${entry.controller.name} has no method ${entry.action}`);
  return {
    name: entry.name,
    method: entry.method,
    uriTemplate: entry.path,
    summary: entry.summary,
    match: templateMatcher(entry.path),
    async dispatch(req) {
      try {
        const input = entry.parse(req);
        const result: unknown = await action.call(controller, input, { user: req.user });
        if (result instanceof BinaryBody) return { status: entry.status, contentType: result.contentType, body: result.bytes };
        return { status: entry.status, contentType: JSON_TYPE, body: JSON.stringify(result) };
      } catch (err) {
        const cls = err instanceof ServiceError ? (err.constructor as typeof ServiceError) : undefined;
        // Only declared errors reach the client as themselves: the catalogue's list is what the route may answer.
        if (cls && declared.has(cls)) return problem(cls.status, cls.code, (err as Error).message, entry.name);
        return problem(500, 'internal-error', 'The service failed while answering; nothing about the failure is sent.', entry.name);
      }
    },
  };
}

/** Fresh services of `version` over a fresh demo store (each call is independent: tests get their own data). */
export function servicesOf(version: ServiceVersion): MountedService[] {
  const services = buildServices(new Store());
  const controllers = new Map<RouteEntry<AppServices>['controller'], object>();
  return TABLES[version].map((entry) => {
    let controller = controllers.get(entry.controller);
    if (!controller) {
      controller = new entry.controller(services);
      controllers.set(entry.controller, controller);
    }
    return mount(entry, controller);
  });
}

function literalSegments(template: string): number {
  return template.split('/').filter((s) => s !== '' && !s.startsWith('{')).length;
}

/** The route a request line reaches; a literal segment beats a variable (`/api/accounts/me` before `/api/accounts/{username}`). */
export function matchService(services: readonly MountedService[], method: string, path: string): ServiceMatch | null {
  let best: ServiceMatch | null = null;
  for (const service of services) {
    if (service.method !== method) continue;
    const params = service.match(path);
    if (params && (!best || literalSegments(service.uriTemplate) > literalSegments(best.service.uriTemplate))) best = { service, params };
  }
  return best;
}
