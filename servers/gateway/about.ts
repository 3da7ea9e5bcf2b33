import type { LabAbout } from '../../lib/labs/about.ts';

/** The access-control lab (issue 12) as the nav, the home page and README's port table show it. */
export const gatewayAbout = {
  id: 'gateway',
  title: 'Access control',
  tagline: 'A service catalogue extracted from code, products and subscriptions, and a live interceptor.',
  topics: ['service catalogue', 'products', 'subscriptions', 'interceptor'],
  live: true,
  ports: [{ env: 'GATEWAY_PORT', default: 8090, what: 'Access-control service host (HTTP, REST/JSON and the SOAP calendar, behind the interceptor)' }],
  settings: [],
} as const satisfies LabAbout;
