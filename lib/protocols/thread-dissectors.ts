/**
 * The dissectors the dissect thread can build, by name: pure protocol dissectors with no options,
 * so a connection's dissector can be named across the thread boundary. A lab whose dissector needs
 * something of its own process (a server's key, a wrapper) keeps it on the main thread. Only
 * dissectors worth the trip are here. SMTP's is, since answers cross back as numbers and a string
 * table (dissect-answers.ts): bench:smtp 0.79–0.83 inline against 0.83–0.86 here, main thread 460–475
 * against 440–460 µs per mail. SSH's is not (copying each chunk over and its messages back costs
 * about what it costs: 0.64–0.66 inline against 0.62–0.69 here), so it stays on the main thread.
 */
import type { Dissector } from './types.ts';
import { createHttpApiDissector, createSoapDissector } from './soap/dissector.ts';
import { createSmtpDissector } from './smtp/dissector.ts';

export const THREAD_DISSECTORS = {
  soap: createSoapDissector,
  'http-api': createHttpApiDissector,
  smtp: () => createSmtpDissector(),
} satisfies Record<string, () => Dissector>;

export type ThreadDissectorName = keyof typeof THREAD_DISSECTORS;

export function isThreadDissectorName(name: string): name is ThreadDissectorName {
  return Object.hasOwn(THREAD_DISSECTORS, name);
}
