/**
 * Opens the CurveZMQ boxes that the server's long-term secret key s can open (ZeroMQ RFC 26 §2.7.1–2.7.2):
 * HELLO's signature box, Box[64 zeros](C′→S), and WELCOME's box, Box[S′ + cookie](S→C′). The lab owns the
 * server's key pair, so its endpoint view can show C′, S′ and the cookie. INITIATE, READY and MESSAGE are
 * boxes between the short-term keys C′ and S′, whose secret halves never leave the two peers: nothing here
 * opens them (forward secrecy). The cookie itself is sealed with a key only the server process knows. Pure.
 */
import nacl from 'tweetnacl';
import { CURVE_NONCE, CURVE_SIZES } from './tables.ts';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const nonce = (prefix: string, tail: Uint8Array): Uint8Array => {
  const n = new Uint8Array(24);
  n.set(ascii(prefix));
  n.set(tail, prefix.length);
  return n;
};
const named = (body: Uint8Array, name: string): boolean => body[0] === name.length && ascii(name).every((b, i) => body[1 + i] === b);

/** What HELLO reveals to the server's secret key. */
export interface OpenedHello {
  /** The client's short-term public key C′ (in clear on the wire too). */
  clientShortTermKey: Uint8Array;
  /** The box opened and held the 64 zero octets: the client knows the server's public key S. */
  signatureValid: boolean;
}

/** What WELCOME reveals to the server's secret key (and to the client's short-term secret key). */
export interface OpenedWelcome {
  /** The server's short-term public key S′. */
  serverShortTermKey: Uint8Array;
  /** 96 octets: a 16-octet nonce (after "COOKIE--") and Box[C′ + s′](K) under the server's cookie key K. */
  cookie: Uint8Array;
}

/** Opens a CURVE HELLO command body (200 octets, name included); null if it is not one. */
export function openCurveHello(body: Uint8Array, serverSecretKey: Uint8Array): OpenedHello | null {
  if (body.length !== CURVE_SIZES.HELLO || !named(body, 'HELLO') || serverSecretKey.length !== 32) return null;
  const clientShortTermKey = body.slice(80, 112);
  const opened = nacl.box.open(body.subarray(120, 200), nonce(CURVE_NONCE.HELLO, body.subarray(112, 120)), clientShortTermKey, serverSecretKey);
  return { clientShortTermKey, signatureValid: opened instanceof Uint8Array && opened.length === 64 && opened.every((b) => b === 0) };
}

/** Opens a CURVE WELCOME command body (168 octets) with C′ from the HELLO; null if it is not one or does not open. */
export function openCurveWelcome(body: Uint8Array, clientShortTermKey: Uint8Array, serverSecretKey: Uint8Array): OpenedWelcome | null {
  if (body.length !== CURVE_SIZES.WELCOME || !named(body, 'WELCOME') || serverSecretKey.length !== 32 || clientShortTermKey.length !== 32) return null;
  const opened = nacl.box.open(body.subarray(24), nonce(CURVE_NONCE.WELCOME, body.subarray(8, 24)), clientShortTermKey, serverSecretKey);
  if (!opened || opened.length !== 128) return null;
  return { serverShortTermKey: opened.slice(0, 32), cookie: opened.slice(32) };
}

/** Both opened handshake boxes of one connection, from each direction's raw bytes (greeting included). */
export function openCurveHandshake(clientBytes: Uint8Array, serverBytes: Uint8Array, serverSecretKey: Uint8Array): { hello: OpenedHello | null; welcome: OpenedWelcome | null } {
  // After the 64-octet greeting the first frame is a short command frame: flags 0x04, size, body.
  const first = (bytes: Uint8Array): Uint8Array | null => (bytes.length >= 66 && bytes[64] === 0x04 && bytes.length >= 66 + bytes[65] ? bytes.subarray(66, 66 + bytes[65]) : null);
  const helloBody = first(clientBytes);
  const welcomeBody = first(serverBytes);
  const hello = helloBody ? openCurveHello(helloBody, serverSecretKey) : null;
  const welcome = hello && welcomeBody ? openCurveWelcome(welcomeBody, hello.clientShortTermKey, serverSecretKey) : null;
  return { hello, welcome };
}

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** Decodes Z85 (ZeroMQ RFC 32), the text form of CURVE keys (40 characters for 32 octets); null if invalid. */
export function z85Decode(text: string): Uint8Array | null {
  if (text.length % 5 !== 0) return null;
  const out = new Uint8Array((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const digit = Z85.indexOf(text[i + j]);
      if (digit < 0) return null;
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) return null;
    out.set([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff], (i / 5) * 4);
  }
  return out;
}

/** Z85 text of 4n octets (for showing C′ and S′ the way ZeroMQ prints keys). */
export function z85Encode(bytes: Uint8Array): string | null {
  if (bytes.length % 4 !== 0) return null;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    const chars: string[] = [];
    for (let j = 0; j < 5; j++) {
      chars.unshift(Z85[value % 85]);
      value = Math.floor(value / 85);
    }
    out += chars.join('');
  }
  return out;
}
