import type { Prose } from '../kit/prose.ts';

/** Prose of api-tables.ts: HTTP as a JSON/REST service host speaks it (the access-control lab). */
export const API_TEXT_EN: Readonly<Record<string, Prose>> = {
  'api.http.request-line': { title: 'Request line', explain: 'Method, request target and HTTP version. A REST API names the resource in the path and the action in the method.' },
  'api.http.method.GET': { title: 'GET', explain: 'Read the resource; safe and repeatable, no body.' },
  'api.http.method.POST': { title: 'POST', explain: 'Send a body for the resource to process, e.g. create a loan or an enrolment.' },
  'api.http.method.PUT': { title: 'PUT', explain: 'Replace the resource with the body; repeating it changes nothing more.' },
  'api.http.method.DELETE': { title: 'DELETE', explain: 'Remove the resource.' },
  'api.http.header.Content-Type': { title: 'Content-Type', explain: 'The body’s media type: application/json for the services, application/problem+json for an error, text/xml or application/soap+xml for the SOAP calendar.' },
  'api.http.header.Content-Length': { title: 'Content-Length', explain: 'The body’s exact size in bytes: how the receiver knows where it ends on a kept-alive connection.' },
  'api.http.header.Authorization': { title: 'Authorization', explain: 'The client’s credentials. Basic is only base64 of user:password — anyone on the path reads it, like FTP’s PASS; only TLS hides it.' },
  'api.http.header.WWW-Authenticate': { title: 'WWW-Authenticate', explain: 'The challenge sent with 401: which authentication scheme (here Basic) and realm the server accepts.' },
  'api.http.header.X-Api-Key': { title: 'X-Api-Key', explain: 'A per-user key the gateway maps to a user. Like a password, it crosses the wire readable without TLS.' },
  'api.http.status.200': { title: '200 OK', explain: 'Success: the body carries the resource or the result.' },
  'api.http.status.201': { title: '201 Created', explain: 'Success: a new resource was created.' },
  'api.http.status.400': { title: '400 Bad Request', explain: 'The request was malformed (a missing or invalid field); the body says which.' },
  'api.http.status.401': { title: '401 Unauthorized', explain: 'No valid credentials: the server does not know who is asking. WWW-Authenticate says how to authenticate.' },
  'api.http.status.403': { title: '403 Forbidden', explain: 'The server knows who is asking and refuses: this user may not call this service. Sending the request again will not help.' },
  'api.http.status.404': { title: '404 Not Found', explain: 'No service or resource at this path.' },
  'api.http.status.405': { title: '405 Method Not Allowed', explain: 'The path exists, but not with this method; Allow lists the methods it takes.' },
  'api.http.status.409': { title: '409 Conflict', explain: 'The request is well-formed and allowed, but clashes with the resource’s current state (no copy left, a course full, a loan already returned); the body says which.' },
  'api.http.status.415': { title: '415 Unsupported Media Type', explain: 'The server does not take a body of this Content-Type: the services read application/json only.' },
  'api.http.status.500': { title: '500 Internal Server Error', explain: 'The server failed; a SOAP 1.1 fault also travels with 500.' },
  'api.http.status.5xx': { title: 'Server error', explain: 'The server failed to carry out a valid request.' },
};
