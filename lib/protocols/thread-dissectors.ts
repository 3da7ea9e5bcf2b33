/**
 * The dissectors the dissect thread can build, by name: pure protocol dissectors with no options,
 * so a connection's dissector can be named across the thread boundary. A lab whose dissector needs
 * something of its own process (a server's key, a wrapper) keeps it on the main thread. Only
 * dissectors worth the trip are here: SMTP's and SSH's measured no faster on the thread (copying each
 * chunk over and the messages back costs what they cost), so they stay on the main thread.
 */
import type { Dissector } from './types.ts';
import { createHttpApiDissector, createSoapDissector } from './soap/dissector.ts';

export const THREAD_DISSECTORS = {
  soap: createSoapDissector,
  'http-api': createHttpApiDissector,
} satisfies Record<string, () => Dissector>;

export type ThreadDissectorName = keyof typeof THREAD_DISSECTORS;

export function isThreadDissectorName(name: string): name is ThreadDissectorName {
  return Object.hasOwn(THREAD_DISSECTORS, name);
}
