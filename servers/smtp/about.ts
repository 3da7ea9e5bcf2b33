import type { LabAbout } from '../../lib/labs/about.ts';

/** The SMTP lab as the nav, the home page and README's port table show it. */
export const smtpAbout = {
  id: 'smtp',
  title: 'SMTP',
  tagline: 'Type EHLO, MAIL FROM, RCPT TO and DATA by hand and watch every reply explained.',
  topics: ['reply codes', 'ESMTP extensions', 'STARTTLS', 'open relays'],
  live: true,
  ports: [{ env: 'SMTP_PORT', default: 2525, what: 'SMTP (STARTTLS, AUTH PLAIN/LOGIN)' }],
  settings: [{ env: 'SMTP_MAX_SIZE', default: 1048576, what: 'largest message accepted (SIZE, RFC 1870); larger gets 552' }],
} as const satisfies LabAbout;
