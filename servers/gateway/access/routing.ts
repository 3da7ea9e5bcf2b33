/**
 * How the interceptor identifies the service a request calls: by the catalogue alone — method and
 * URI template (RFC 6570 level 1, `{name}` = one path segment) — never by asking the handlers. A
 * SOAP service is one template (POST /soap/calendar) per operation: the body's first element names
 * which (`soapOperation`).
 */

/** What the interceptor needs to know of one catalogued service. */
export interface RoutedService {
  id: string;
  method: string;
  uriTemplate: string;
  protocol: 'rest' | 'soap';
}

interface Compiled {
  service: RoutedService;
  pattern: RegExp;
  names: string[];
  /** Literal characters in the template: the more, the more specific (`/me` before `/{username}`). */
  literal: number;
}

export type RouteMatch =
  | { kind: 'service'; service: RoutedService; params: Record<string, string> }
  /** The path is a service's, not with this method (405 with Allow, RFC 9110 §15.5.6). */
  | { kind: 'method'; allow: string[] }
  /** `soap`: the path is a SOAP service's, but its body names no operation of the catalogue (`operation` if it names one). */
  | { kind: 'none'; soap?: { operation: string | undefined } };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The routing table of one catalogue revision. */
export class RouteTable {
  private readonly compiled: Compiled[];

  constructor(services: readonly RoutedService[]) {
    this.compiled = services
      .map((service) => {
        const names: string[] = [];
        const source = service.uriTemplate
          .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
          .map((part) => {
            const variable = /^\{(\w+)\}$/.exec(part);
            if (!variable) return escape(part);
            names.push(variable[1]);
            return '([^/]+)';
          })
          .join('');
        return { service, pattern: new RegExp(`^${source}/?$`), names, literal: service.uriTemplate.replace(/\{\w+\}/g, '').length };
      })
      .sort((a, b) => b.literal - a.literal);
  }

  /**
   * The service `method` + `pathname` calls, with its template variables decoded; on a SOAP template,
   * `operation` (the body's operation element) picks the service, and an operation no service has is none.
   */
  match(method: string, pathname: string, operation?: string): RouteMatch {
    const allow = new Set<string>();
    for (const entry of this.compiled) {
      const found = entry.pattern.exec(pathname);
      if (!found) continue;
      if (entry.service.method !== method && !(method === 'HEAD' && entry.service.method === 'GET')) {
        allow.add(entry.service.method);
        // A GET service answers HEAD too (above), so HEAD is one of the resource's methods (RFC 9110 §9.3.2, §15.5.6).
        if (entry.service.method === 'GET') allow.add('HEAD');
        continue;
      }
      const params: Record<string, string> = {};
      try {
        entry.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1])));
      } catch {
        // A broken %-escape is not this service's value; the path names no service.
        return { kind: 'none' };
      }
      if (entry.service.protocol === 'soap') {
        // Without an operation the request names no service: never decide on the template's first one instead.
        const named = operation === undefined ? undefined : this.compiled.find((e) => e.service.uriTemplate === entry.service.uriTemplate && e.service.method === entry.service.method && e.service.id.endsWith(`.${operation}`));
        if (!named) return { kind: 'none', soap: { operation } };
        return { kind: 'service', service: named.service, params };
      }
      return { kind: 'service', service: entry.service, params };
    }
    return allow.size ? { kind: 'method', allow: [...allow].sort() } : { kind: 'none' };
  }
}

/** The operation a SOAP envelope calls: the local name of the first element inside its Body. */
export function soapOperation(body: Buffer): string | undefined {
  const text = body.subarray(0, 64 * 1024).toString('utf8');
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(text)?.[1];
}
