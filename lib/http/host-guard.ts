/**
 * The web side's front door. The lab runs on the user's machine and any page the user visits can
 * make their browser send requests to localhost, so before any route runs:
 * - `Host` must name this machine (DNS rebinding: a foreign name that resolves to 127.0.0.1 is refused);
 * - a state-changing request or a WebSocket upgrade that carries an `Origin` must come from the lab's
 *   own origin (cross-site request forgery, cross-site WebSocket hijacking).
 * Browsers always send `Origin` on WebSocket upgrades and on POST/PUT/DELETE; a request without one comes
 * from a non-browser client (curl, a script), which no web page can make. Bodies must also be
 * `application/json` (checked per route in api.ts), which a page can only send after a CORS preflight
 * that the lab never grants.
 */
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

/** Host names every lab answers to, whatever the configuration. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
/** Wildcard bind addresses are not names a browser would use for the lab. */
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Sent with every answer of the web port: no other page may show the lab in a frame. Framed, the lab's
 * SameSite=Strict cookies stay home but the machine owner's browser is still the owner (by its address),
 * so a page could lay the lab under its own and have the owner click the lab's buttons (clickjacking).
 */
export const NO_FRAMING_HEADERS: Readonly<Record<string, string>> = { 'content-security-policy': "frame-ancestors 'none'", 'x-frame-options': 'DENY' };

/** A refused request: the status and the words the client gets. */
export interface Refusal {
  status: 403 | 421;
  error: string;
}

/** Every address of this machine's interfaces (a lab bound to 0.0.0.0 is reached by each of them). */
export function machineAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/** Whether a bind address listens on every interface (a classroom LAN). */
export const isWildcardAddress = (host: string): boolean => WILDCARD_ADDRESSES.has(normaliseName(host));

/**
 * The address the daemon's own clients reach a server bound to `host` by: that address, or 127.0.0.1
 * for a wildcard bind (a LAB_HOST of one LAN address is not reachable on loopback).
 */
export const dialHostOf = (host: string): string => (isWildcardAddress(host) ? '127.0.0.1' : host);

/**
 * The host names (lower case, IPv6 in brackets) the web side accepts for `LAB_HOST` plus
 * `LAB_ALLOWED_HOSTS`; bound to every interface (`LAB_HOST=0.0.0.0`), also the machine's own
 * addresses, so students on the LAN reach it by its address and nothing else.
 */
export function allowedHostNames(config: { host: string; allowedHosts: string[] }, addresses: () => string[] = machineAddresses): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  for (const name of [config.host, ...config.allowedHosts, ...(isWildcardAddress(config.host) ? addresses() : [])]) {
    const normal = normaliseName(name);
    if (normal && !WILDCARD_ADDRESSES.has(normal)) names.add(normal);
  }
  return names;
}

/** Lower-cases a host name, drops a trailing dot and puts a bare IPv6 address in brackets. */
function normaliseName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** The name part of a `Host` header value (`localhost:3000` → `localhost`, `[::1]:3000` → `[::1]`); null if malformed. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  return match ? normaliseName(match[1]) : null;
}

/** True when `hostHeader` names one of the allowed hosts (any port). */
export function isAllowedHost(hostHeader: string | undefined, allowed: Set<string>): boolean {
  const name = hostNameOf(hostHeader);
  return name !== null && allowed.has(name);
}

/**
 * Why a service host refused a request's Host, in words: a name it does not answer to, or no Host at all
 * (a request typed by hand in HTTP/1.0 style), which needs one, not an entry in LAB_ALLOWED_HOSTS.
 */
export function serviceHostRefusal(hostHeader: string | undefined, allowed: Set<string>): string {
  const names = [...allowed].join(', ');
  if (!hostHeader?.trim()) return `This service needs a Host header naming it, e.g. "Host: localhost" (one of ${names}): every HTTP/1.1 request has one (RFC 9112 §3.2), and the lab asks it of HTTP/1.0 requests too.`;
  return `This service answers only to ${names}, not "${refusedHostName(hostHeader)}". Add the name to LAB_ALLOWED_HOSTS if you reach the lab by it.`;
}

/** A refused Host as the client will recognise it: its name, or the whole header when it is malformed. */
const refusedHostName = (hostHeader: string): string => hostNameOf(hostHeader) ?? hostHeader.trim();

/** True when `origin` is exactly the lab's own origin as the browser reached it: http://<Host header>. */
export function isOwnOrigin(origin: string, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === new URL(`http://${hostHeader}`).host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage are never the lab's origin.
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);
/**
 * Fetch metadata (`Sec-Fetch-Site`) a browser sends for a page of another site, or of another port of
 * this machine: `same-site` ignores ports, so a page on http://localhost:5173 is same-site with the lab
 * on :3000 and the lab's SameSite=Strict cookies go with its requests.
 */
const FOREIGN_PAGES = new Set(['cross-site', 'same-site']);

/**
 * Decides whether a request may reach the lab's routes (`api`: the JSON API), or its WebSocket when
 * `upgrade` is true. Returns null to let it through, or the refusal to send.
 */
export function refuseRequest(req: IncomingMessage, allowed: Set<string>, options: { upgrade?: boolean; api?: boolean } = {}): Refusal | null {
  const host = req.headers.host;
  if (!isAllowedHost(host, allowed)) {
    const names = [...allowed].join(', ');
    return {
      status: 421,
      error: host?.trim()
        ? `This lab answers only to ${names}; "${refusedHostName(host)}" is not one of them. Add the name to LAB_ALLOWED_HOSTS if you reach the lab by it.`
        : `This lab answers only to ${names}, and a request needs a Host header naming one of them (RFC 9112 §3.2).`,
    };
  }
  const needsOrigin = options.upgrade || !SAFE_METHODS.has(req.method ?? 'GET');
  const origin = req.headers.origin;
  if (needsOrigin && origin !== undefined && !isOwnOrigin(origin, host)) {
    return { status: 403, error: `Refused a request from another site (Origin ${JSON.stringify(origin)}): only the lab's own pages may change it.` };
  }
  // Fetch metadata, where the browser sends it, says the same thing without relying on Origin alone.
  const site = req.headers['sec-fetch-site'];
  if (needsOrigin && site === 'cross-site') {
    return { status: 403, error: 'Refused a cross-site request: only the lab\'s own pages may change it.' };
  }
  // The API answers only the lab's own pages (same-origin) and the address bar (none), GETs included:
  // another page's <img> on a download would open FTP sessions in the owner's sandbox, and a flood of
  // them would push the owner's recorded sessions out of the store.
  if (options.api && typeof site === 'string' && FOREIGN_PAGES.has(site)) {
    return { status: 403, error: `Refused a request from another site's page (Sec-Fetch-Site: ${site}): only the lab's own pages use its API.` };
  }
  return null;
}
