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

/** A charset TextDecoder reads (the WHATWG Encoding Standard's labels: windows-1252, shift_jis, koi8-r…), lower-cased; else undefined. */
function decoderLabel(charset: string): string | undefined {
  try {
    new TextDecoder(charset);
    return charset.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The Content-Type's charset when it names an encoding the lab cannot read (ebcdic-cp-us, a typo): reading such
 * a body as UTF-8 would be a guess, and XML 1.0 §4.3.3 makes an encoding the processor cannot read a fatal error.
 */
export function unreadableCharset(contentType: string | undefined): string | undefined {
  const charset = mediaTypeParameter(contentType, 'charset')?.trim();
  if (!charset || Object.hasOwn(LABELS, charset.toLowerCase())) return undefined;
  return decoderLabel(charset) ? undefined : charset;
}

/** The encoding a body is read in ('utf-8', 'utf-16le', 'utf-16be', 'latin1', or another charset TextDecoder reads). */
export function xmlEncodingOf(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const charset = (mediaTypeParameter(contentType, 'charset') ?? '').trim().toLowerCase();
  const declared = Object.hasOwn(LABELS, charset) ? LABELS[charset] : charset ? decoderLabel(charset) : undefined;
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
  const decoder = new TextDecoder(encoding);
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(body) : decoder.decode(body);
}

// What windows-1252 puts at 0x80–0x9F (the WHATWG index; 0x81, 0x8D, 0x8F, 0x90, 0x9D stay themselves).
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * windows-1252 by hand: Node 20's TextDecoder reads it as ISO-8859-1, so € and the curly quotes came out as C1
 * control characters (https://github.com/nodejs/node/issues/56542).
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}
