/**
 * Splits an RFC 5322 message (GET /api/mailbox/:id/raw) into its header fields and body so the
 * mail binding's detail view can show the correlation headers and the SOAP envelope side by side.
 */

/** One header field, unfolded (RFC 5322 §2.2.3). */
export interface MailHeader {
  name: string;
  value: string;
}

/** Why each header matters to the SOAP Email Binding; the rest are shown plain. */
export const KEY_HEADERS: Record<string, string> = {
  'message-id': 'The correlation key: the answer carries it back in In-Reply-To.',
  'in-reply-to': 'The Message-ID of the request this mail answers (SOAP 1.2 Email Binding).',
  references: 'The thread so far; here the same Message-ID as In-Reply-To.',
  'content-type': 'application/soap+xml marks the body as a SOAP 1.2 envelope; text/xml as SOAP 1.1.',
  soapaction: 'SOAP 1.1 names the operation in a header; 1.2 uses the action parameter of Content-Type.',
  'x-lab-delay': 'The lab’s knob: how long the service thinks before answering.',
  'x-lab-think-time': 'How long the service actually thought.',
};

/** Headers and body of a raw mail; base64 bodies are decoded, quoted-printable left as is. */
export function splitMail(raw: string): { headers: MailHeader[]; body: string } {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  let body = end < 0 ? '' : text.slice(end + 2);
  const headers: MailHeader[] = [];
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  const encoding = headers.find((h) => h.name.toLowerCase() === 'content-transfer-encoding')?.value.toLowerCase();
  if (encoding === 'base64') body = decodeBase64(body) ?? body;
  return { headers, body };
}

function decodeBase64(text: string): string | null {
  try {
    const binary = atob(text.replace(/\s+/g, ''));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** `<97b51fe8-29bb-…@lab.test>` → `<97b51fe8…@lab.test>`: enough to compare by eye. */
export function shortMessageId(id: string | null | undefined): string {
  if (!id) return '—';
  const match = id.match(/^<?([^@>]*)@([^>]*)>?$/);
  if (!match) return id;
  const local = match[1].length > 10 ? `${match[1].slice(0, 8)}…` : match[1];
  return `<${local}@${match[2]}>`;
}
