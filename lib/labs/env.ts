/**
 * zod readers for a lab's environment variables, with the defaults its about.ts declares, so a
 * lab's config schema, README's table and the UI's fallbacks cannot disagree.
 */
import { z } from 'zod';
import { numberDefault, textDefault, type LabAbout } from './about.ts';

/** A TCP port (0 = any free port, as tests use). */
export const portNumber = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The lab's port variable `env`. */
export const labPort = (about: LabAbout, env: string) => portNumber(numberDefault(about, env));

/** A whole number variable `env` of the lab, within [min, max]. */
export const labInteger = (about: LabAbout, env: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(numberDefault(about, env));

/** A text variable `env` of the lab matching `pattern`. */
export const labText = (about: LabAbout, env: string, pattern: RegExp) => z.string().regex(pattern).default(textDefault(about, env));
