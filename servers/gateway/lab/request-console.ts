/**
 * The request console's request: a service called as a user, built as the HTTP text a client would
 * send. routes.ts writes it through the lab's tap with the SOAP lab's sendThroughTap (so it is
 * tapped, dissected, steppable and decided by the interceptor, owned by the browser that pressed Send).
 */

export interface ConsoleRequest {
  method: string;
  path: string;
  user: string | null;
  auth: 'basic' | 'api-key' | 'none';
  secret?: string;
  body?: string;
  contentType?: string;
  soapAction?: string;
}

/** The request as HTTP/1.1 text, with the credentials the console was asked to send. */
export function buildRequest(host: string, r: ConsoleRequest, known: { password: string; apiKey?: string }): string {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `Host: ${host}`];
  if (r.user !== null && r.auth === 'basic') lines.push(`Authorization: Basic ${Buffer.from(`${r.user}:${r.secret ?? known.password}`).toString('base64')}`);
  // An unknown user has no key: the console sends a made-up one, which the interceptor refuses (401).
  if (r.user !== null && r.auth === 'api-key') lines.push(`X-Api-Key: ${r.secret ?? known.apiKey ?? 'no-such-key'}`);
  const body = r.body ?? '';
  if (body !== '' || ['POST', 'PUT', 'PATCH'].includes(r.method)) {
    lines.push(`Content-Type: ${r.contentType ?? 'application/json'}`);
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  if (r.soapAction !== undefined) lines.push(`SOAPAction: "${r.soapAction}"`);
  lines.push('Connection: close', '', body);
  return lines.join('\r\n');
}
