/**
 * The same HTTP framing read for a JSON/REST service host (the access-control lab's), where the SOAP
 * lab's prose would teach the wrong thing ("200: the body carries the SOAP response"). Each row
 * overrides the SOAP row of the key after its `api.` prefix, or adds what a REST API answers with
 * (401 with its challenge, 403 with problem details) and the credentials it reads.
 */
import type { Level } from '../../wire/event.ts';
import type { FactRow } from './tables.ts';

const row = (key: string, ref: string, level?: Level): FactRow => ({ key, ref, level });

/** Overrides of SOAP-flavoured rows, and additions, by the key the SOAP dissector would use. */
export const API_OVERRIDES: Readonly<Record<string, FactRow>> = {
  requestLine: row('api.http.request-line', 'RFC 9112 §3'),
  get: row('api.http.method.GET', 'RFC 9110 §9.3.1'),
  post: row('api.http.method.POST', 'RFC 9110 §9.3.3'),
  put: row('api.http.method.PUT', 'RFC 9110 §9.3.4'),
  delete: row('api.http.method.DELETE', 'RFC 9110 §9.3.5'),
  contentType: row('api.http.header.Content-Type', 'RFC 9110 §8.3'),
  contentLength: row('api.http.header.Content-Length', 'RFC 9112 §6.3'),
  authorization: row('api.http.header.Authorization', 'RFC 9110 §11.6.2', 'warn'),
  wwwAuthenticate: row('api.http.header.WWW-Authenticate', 'RFC 9110 §11.6.1'),
  apiKey: row('api.http.header.X-Api-Key', 'RFC 9110 §5.1', 'warn'),
  s200: row('api.http.status.200', 'RFC 9110 §15.3.1'),
  s201: row('api.http.status.201', 'RFC 9110 §15.3.2'),
  s400: row('api.http.status.400', 'RFC 9110 §15.5.1', 'error'),
  s401: row('api.http.status.401', 'RFC 9110 §15.5.2', 'error'),
  s403: row('api.http.status.403', 'RFC 9110 §15.5.4', 'error'),
  s404: row('api.http.status.404', 'RFC 9110 §15.5.5', 'error'),
  s405: row('api.http.status.405', 'RFC 9110 §15.5.6', 'error'),
  s409: row('api.http.status.409', 'RFC 9110 §15.5.10', 'error'),
  s415: row('api.http.status.415', 'RFC 9110 §15.5.16', 'error'),
  s500: row('api.http.status.500', 'RFC 9110 §15.6.1', 'error'),
  s5xx: row('api.http.status.5xx', 'RFC 9110 §15.6', 'error'),
};

/** Header names (lower case) an API host explains that the SOAP host's table lacks, by their api key. */
export const API_HEADER_KEYS: Readonly<Record<string, string>> = {
  authorization: 'api.http.header.Authorization',
  'www-authenticate': 'api.http.header.WWW-Authenticate',
  'x-api-key': 'api.http.header.X-Api-Key',
};
