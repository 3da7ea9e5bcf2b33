/**
 * A ZMTP 3.1 greeting with the NULL mechanism, as a peer sends it first (64 octets, ZMTP RFC 37 §3.1–3.2):
 * signature FF, 8 padding octets, 7F; version 3.1; mechanism "NULL" padded to 20 octets; as-server; filler.
 */
export function nullGreeting(asServer = false): Buffer {
  const greeting = Buffer.alloc(64);
  greeting.set([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 1]);
  greeting.write('NULL', 12, 'latin1');
  greeting[32] = asServer ? 1 : 0;
  return greeting;
}
