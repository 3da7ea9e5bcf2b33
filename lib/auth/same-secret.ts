/**
 * One constant-time comparison for passwords and other secrets, shared by every lab server.
 * Comparing SHA-256 digests gives timingSafeEqual two equal-length inputs, so neither the time
 * taken nor an early length mismatch tells a guesser how close a guess was.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when `given` equals `expected`, compared in constant time. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
