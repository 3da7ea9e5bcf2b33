/**
 * The dissectors the dissect thread can build, by name: pure protocol dissectors with no options,
 * so a connection's dissector can be named across the thread boundary. A lab whose dissector needs
 * something of its own process (a server's key, a wrapper) keeps it on the main thread.
 */
import type { Dissector } from './types.ts';
import { createHttpApiDissector, createSoapDissector } from './soap/dissector.ts';
import { createSmtpDissector } from './smtp/dissector.ts';
import { createSshDissector } from './ssh/dissector.ts';

export const THREAD_DISSECTORS = {
  smtp: () => createSmtpDissector(),
  ssh: createSshDissector,
  soap: createSoapDissector,
  'http-api': createHttpApiDissector,
} satisfies Record<string, () => Dissector>;

export type ThreadDissectorName = keyof typeof THREAD_DISSECTORS;

export function isThreadDissectorName(name: string): name is ThreadDissectorName {
  return Object.hasOwn(THREAD_DISSECTORS, name);
}
