/** Which HTTP header carries a credential, and which part of it: the span a follower never sees (lib/wire/redact.ts). */

/**
 * The credential a header carries: Authorization's (and Proxy-Authorization's) after the scheme
 * (RFC 9110 §11.4: `Basic <base64 of user:password>`), an API key whole; other headers none.
 */
export function credentialsOf(name: string, value: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'x-api-key') return value.trim();
  if (lower !== 'authorization' && lower !== 'proxy-authorization') return undefined;
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  return space < 0 ? trimmed : trimmed.slice(space).trim();
}
