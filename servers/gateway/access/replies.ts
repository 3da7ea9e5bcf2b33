/**
 * What the interceptor answers instead of a handler: RFC 9457 problem details for the JSON services
 * (403 denied, 401 unauthenticated, 404 / 405 no such service), and a SOAP Fault for the XML one,
 * whose clients read faults, not problem documents. Credentials are read here too: HTTP Basic
 * (RFC 7617) with the lab password, or the user's key in X-Api-Key.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { faultEnvelope, faultStatus, type FaultSpec } from '../../soap/faults.ts';

/** The realm named in WWW-Authenticate (RFC 7617). */
export const REALM = 'access-lab';
export const WWW_AUTHENTICATE = `Basic realm="${REALM}", charset="UTF-8"`;

/** Problem types: absolute URIs (RFC 9457 §3.1.1) in a tag: namespace (RFC 4151), not meant to be fetched. */
const TYPE_BASE = 'tag:protocol-lab.local,2025:access/';

/** A reply the interceptor writes itself. */
export interface OwnReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An RFC 9457 problem document with the lab's extension members (`reason`, `service`, `trace`). */
export function problem(status: number, kind: string, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): OwnReply {
  const body = JSON.stringify({ type: `${TYPE_BASE}${kind}`, title, status, detail, ...extra }, null, 2);
  return { status, headers: { 'Content-Type': 'application/problem+json', ...headers }, body: `${body}\n` };
}

/** application/json, or a type with the +json suffix (application/merge-patch+json…), with any parameters (charset). */
function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType);
}

/**
 * A JSON service's request body, parsed; or the problem that refuses it, since a service's parser can
 * only say a field is wrong: another media type is 415 (RFC 9110 §15.5.16), JSON that does not parse
 * 400 naming where it broke. An empty body is undefined (the service says what it needed).
 */
export function jsonBody(body: Buffer, contentType: string | undefined, service: string): { value: unknown } | { refused: OwnReply } {
  if (body.length === 0) return { value: undefined };
  if (!isJsonMediaType(contentType)) {
    const sent = contentType ? `as ${contentType.slice(0, 100)}` : 'without a Content-Type';
    return { refused: problem(415, 'unsupported-media-type', 'Unsupported media type', `The services take JSON bodies (Content-Type: application/json); this one came ${sent}.`, { service }) };
  }
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    // JSON.parse's own message quotes the mark, which no one can see: "Unexpected token '', "{"isbn"…".
    const why = 'The body starts with a byte order mark (U+FEFF, bytes EF BB BF), which JSON sent over a network must not carry (RFC 8259): save the file as UTF-8 without BOM.';
    return { refused: problem(400, 'malformed-json', 'Malformed JSON', why, { service }) };
  }
  try {
    return { value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (err) {
    return { refused: problem(400, 'malformed-json', 'Malformed JSON', `The body is not JSON (RFC 8259): ${(err as Error).message}.`, { service }) };
  }
}

/** The SOAP version a request speaks, from its Content-Type (SOAP 1.2 uses application/soap+xml). */
export function soapVersionOf(contentType: string | undefined): '1.1' | '1.2' {
  return contentType?.toLowerCase().startsWith('application/soap+xml') ? '1.2' : '1.1';
}

/**
 * A SOAP Fault for a request the interceptor refuses: Client (1.1) / Sender (1.2), the caller's
 * fault, with the HTTP status the SOAP binding gives a fault (500 in 1.1, 400 for Sender in 1.2).
 */
export function soapFault(contentType: string | undefined, reason: string, subcode: string): OwnReply {
  const version = soapVersionOf(contentType);
  const spec: FaultSpec = { cls: 'Client', reason, subcode };
  return {
    status: faultStatus(version, spec),
    headers: { 'Content-Type': version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8' },
    body: faultEnvelope(version, spec),
  };
}

export type Credentials =
  | { via: 'basic'; user: string; password: string }
  | { via: 'api-key'; key: string }
  | { via: 'none' }
  | { via: 'malformed'; why: string };

/** The credentials a request carries; X-Api-Key is looked at first, then Authorization: Basic. */
export function credentialsOf(headers: IncomingHttpHeaders): Credentials {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key !== '') return { via: 'api-key', key: key.trim() };
  const authorization = headers.authorization;
  if (!authorization) return { via: 'none' };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!basic) return { via: 'malformed', why: 'Authorization must be "Basic " and base64 of user:password (RFC 7617).' };
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { via: 'malformed', why: 'The Basic credentials have no ":" between user and password (RFC 7617).' };
  return { via: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares a password in constant time (a timing difference would tell how much of it was right). */
export function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
