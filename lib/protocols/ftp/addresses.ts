/**
 * Decoders for the address arguments of FTP's data-connection commands and replies:
 * PORT / 227 carry h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2: port = p1×256+p2), EPRT carries
 * |proto|addr|port| and 229 carries |||port| (RFC 2428 §2–3). Pure; never throw.
 */
import net from 'node:net';

/** A decoded host/port pair and how the port was computed. */
export interface HostPort {
  host: string;
  port: number;
  /** 'p1×256+p2 = 117×256+48' for the six-number form; undefined for EPRT/EPSV. */
  arithmetic?: string;
}

const byte = (s: string): number | null => (/^\d{1,3}$/.test(s.trim()) && Number(s) <= 255 ? Number(s) : null);

/** Decodes "h1,h2,h3,h4,p1,p2" found anywhere in `text` (a PORT argument or a 227 reply). */
export function decodeSixNumbers(text: string): HostPort | null {
  const match = /(?<![\d,])(\d{1,3}(?:\s*,\s*\d{1,3}){5})(?![\d,])/.exec(text);
  if (!match) return null;
  const parts = match[1].split(',').map(byte);
  if (parts.some((p) => p === null)) return null;
  const [h1, h2, h3, h4, p1, p2] = parts as number[];
  return { host: `${h1}.${h2}.${h3}.${h4}`, port: p1 * 256 + p2, arithmetic: `${p1}×256+${p2}` };
}

/** Encodes host and port as PORT's six numbers (IPv4 only). */
export function encodeSixNumbers(host: string, port: number): string {
  return `${host.replace(/\./g, ',')},${Math.floor(port / 256)},${port % 256}`;
}

/** Decodes an EPRT argument "|1|127.0.0.1|5282|"; the delimiter is the first character (RFC 2428 §2). */
export function decodeEprt(arg: string): (HostPort & { family: 4 | 6 }) | null {
  const delim = arg.trim().charAt(0);
  if (!delim || /[\d\w]/.test(delim)) return null;
  const fields = arg.trim().split(delim);
  if (fields.length !== 5) return null;
  const [, proto, host, portText] = fields;
  const family = proto === '1' ? 4 : proto === '2' ? 6 : null;
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!family || !(port > 0 && port <= 65535) || net.isIP(host) !== family) return null;
  return { host, port, family };
}

/** Decodes a 229 reply's "(|||port|)" (any delimiter repeated three times, RFC 2428 §3). */
export function decodeEpsvReply(text: string): number | null {
  const match = /\((.)\1\1(\d{1,5})\1\)/.exec(text);
  if (!match) return null;
  const port = Number(match[2]);
  return port > 0 && port <= 65535 ? port : null;
}
