/**
 * An XML body's bytes as text, in the encoding it came in. XML processors must read UTF-8 and UTF-16
 * (XML 1.0 §4.3.3): a SOAP request in UTF-16 was refused as "not well-formed" when read as UTF-8.
 * Which encoding: a byte order mark, else the Content-Type's charset (the media type's word comes before the
 * XML declaration's), else the first bytes of "<?xml" (XML 1.0's autodetection appendix), else UTF-8.
 */
import { mediaTypeParameter } from './versions.ts';

const LABELS: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  'utf-16': 'utf-16',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
};

/** The encoding a body is read in ('utf-8', 'utf-16le', 'utf-16be', 'latin1'). */
export function xmlEncodingOf(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const declared = LABELS[(mediaTypeParameter(contentType, 'charset') ?? '').toLowerCase()];
  // "<" of "<?xml" as two bytes tells UTF-16 without a BOM, and which byte order.
  const sniffed = bytes[0] === 0x3c && bytes[1] === 0x00 ? 'utf-16le' : bytes[0] === 0x00 && bytes[1] === 0x3c ? 'utf-16be' : undefined;
  if (declared === 'utf-16') return sniffed ?? 'utf-16be';
  return declared ?? sniffed ?? 'utf-8';
}

/** The body as text (a byte order mark dropped), in the encoding it came in. */
export function decodeXmlBody(bytes: Uint8Array, contentType: string | undefined): string {
  const encoding = xmlEncodingOf(bytes, contentType);
  const bom = (encoding === 'utf-8' && bytes[0] === 0xef) || (encoding.startsWith('utf-16') && (bytes[0] === 0xff || bytes[0] === 0xfe)) ? (encoding === 'utf-8' ? 3 : 2) : 0;
  const body = bytes.subarray(bom);
  if (encoding === 'latin1') return Buffer.from(body).toString('latin1');
  if (encoding === 'utf-16be') return new TextDecoder('utf-16be').decode(body);
  return new TextDecoder(encoding).decode(body);
}
