/**
 * Every lesson (issue 13), one line each: lessons are data files next to their lab
 * (servers/<lab>/lessons/<lesson-id>.ts, each exporting one Lesson). The daemon serves this list
 * (servers/daemon/lesson-routes.ts); tests/integration/lessons-registry.test.ts checks every entry
 * (unique ids, annotation keys the dissectors produce, fault ids in the catalogue, cited sections
 * present in docs/reference) and tests/integration/lessons-walk-<lab>.test.ts walks each against the real servers.
 */
import type { Lesson } from '../lib/lessons/types.ts';
import { smtpFirstMail } from './smtp/lessons/smtp-first-mail.ts';
import { smtpReadingReplies } from './smtp/lessons/smtp-reading-replies.ts';
import { smtpRelays } from './smtp/lessons/smtp-relays.ts';
import { smtpStarttlsAuth } from './smtp/lessons/smtp-starttls-auth.ts';

export const LESSONS: readonly Lesson[] = [
  smtpFirstMail,
  smtpReadingReplies,
  smtpStarttlsAuth,
  smtpRelays,
];
