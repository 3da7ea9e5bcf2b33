/**
 * Wireshark-style hand-off: when a mail's DATA body is a SOAP envelope (SOAP 1.2 Email Binding:
 * Content-Type application/soap+xml, or text/xml), the SMTP dissector collects the body and, at
 * the final ".", hands it to the SOAP dissector and appends its annotated lines.
 */
import { annotateSoapEnvelope, describeEnvelope } from '../soap/envelope.ts';
import type { DissectedMessage } from '../types.ts';

/** Bodies larger than this are not handed off (the SOAP host refuses > 1 MiB too). */
export const SOAP_BODY_LIMIT = 256 * 1024;

/** What the dissector keeps while a SOAP body streams by. */
export interface SoapBody {
  transferEncoding: string;
  text: string;
  truncated: boolean;
}

const MEDIA_TYPES = /^\s*(application\/soap\+xml|text\/xml)\b/i;

/** Reads a header from a raw header block (unfolding continuation lines, RFC 5322 §2.2.3). */
function header(block: string, name: string): string | undefined {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const match = unfolded.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'im'));
  return match?.[1].trim();
}

/** At the end of the header section: a SoapBody to fill if this mail carries a SOAP envelope. */
export function soapBodyFor(headerBlock: string): SoapBody | null {
  const contentType = header(headerBlock, 'Content-Type');
  if (!contentType || !MEDIA_TYPES.test(contentType)) return null;
  return { transferEncoding: (header(headerBlock, 'Content-Transfer-Encoding') ?? '7bit').toLowerCase(), text: '', truncated: false };
}

/** Adds one body line (dot-stuffing already undone by the caller). */
export function appendBodyLine(body: SoapBody, line: string): void {
  if (body.text.length + line.length + 1 > SOAP_BODY_LIMIT) body.truncated = true;
  else body.text += `${line}\n`;
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** The body decoded per its Content-Transfer-Encoding (RFC 2045 §6). */
export function decodeBody(body: SoapBody): Buffer {
  if (body.transferEncoding === 'base64') return Buffer.from(body.text.replace(/\s+/g, ''), 'base64');
  if (body.transferEncoding === 'quoted-printable') return decodeQuotedPrintable(body.text);
  return Buffer.from(body.text, 'latin1');
}

/** The messages the SOAP dissector contributes: one note naming the hand-off, then its annotated lines. */
export function handOff(body: SoapBody): DissectedMessage[] {
  if (body.truncated) {
    return [{ dir: 'note', kind: 'note', text: `SOAP body over ${SOAP_BODY_LIMIT / 1024} KiB: not handed to the SOAP dissector`, bytes: 0, phase: 'data' }];
  }
  const annotated = annotateSoapEnvelope(decodeBody(body), { dir: 'client', maxLines: 200 });
  const note: DissectedMessage = {
    dir: 'note',
    kind: 'note',
    text: `The message body is ${describeEnvelope(annotated.summary)}: handed to the SOAP dissector`,
    bytes: 0,
    phase: 'data',
    annotation: {
      key: 'smtp.note.soap-handoff',
      title: 'SOAP over SMTP',
      explain:
        'SMTP only carries the mail; its body here is a SOAP envelope (SOAP 1.2 Email Binding: the request is a mail, the answer a mail with In-Reply-To set to its Message-ID). The SOAP dissector reads the body after the transfer encoding is undone.',
      ref: 'SOAP 1.2 Email Binding (W3C Note 2002) §4; RFC 2045 §6',
    },
  };
  return [note, ...annotated.lines.map((line) => ({ ...line, phase: 'data' }))];
}
