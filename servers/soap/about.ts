import type { LabAbout } from '../../lib/labs/about.ts';

/** The SOAP lab as the nav, the home page and README's port table show it. */
export const soapAbout = {
  id: 'soap',
  title: 'SOAP',
  tagline: 'Envelopes over HTTP with WSDL, and over SMTP with Message-ID correlation.',
  topics: ['WSDL', 'faults', 'SOAP 1.1 vs 1.2', 'SMTP binding'],
  live: true,
  ports: [{ env: 'SERVICE_PORT', default: 8080, what: 'SOAP web-service host (HTTP)' }],
  settings: [],
} as const satisfies LabAbout;
