/**
 * A book's cover as a tiny 8×8 24-bit BMP drawn from its ISBN digits: a binary reply that is the same
 * bytes every time. BMP because its layout is a fixed header and raw pixels (no checksum, no deflate).
 */
const SIDE = 8;

export function coverBitmap(isbn: string): Uint8Array {
  const rowBytes = SIDE * 3; // 24 bytes, already a multiple of 4 as BMP rows must be
  const pixels = rowBytes * SIDE;
  const out = new Uint8Array(54 + pixels);
  const view = new DataView(out.buffer);
  out[0] = 0x42; // 'B'
  out[1] = 0x4d; // 'M'
  view.setUint32(2, out.length, true);
  view.setUint32(10, 54, true); // pixel data offset
  view.setUint32(14, 40, true); // BITMAPINFOHEADER
  view.setInt32(18, SIDE, true);
  view.setInt32(22, SIDE, true);
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, 24, true); // bits per pixel
  view.setUint32(34, pixels, true);
  const digits = [...isbn].map((d) => Number(d) || 0);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const d = digits[(x + y * 3) % digits.length];
      const at = 54 + y * rowBytes + x * 3;
      out[at] = 40 + d * 20; // blue
      out[at + 1] = (x ^ y) & 1 ? 200 : 60; // green
      out[at + 2] = 255 - d * 25; // red
    }
  }
  return out;
}
