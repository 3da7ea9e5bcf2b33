import type { LabAbout } from '../../lib/labs/about.ts';

/**
 * The access-control lab (issue 12), not built yet: shown as "coming". It declares no ports until
 * its server exists (README's port table lists only what a running lab reads).
 */
export const gatewayAbout = {
  id: 'gateway',
  title: 'Access control',
  tagline: 'A service catalogue extracted from code, products and subscriptions, and a live interceptor.',
  topics: ['service catalogue', 'products', 'subscriptions', 'interceptor'],
  live: false,
  ports: [],
  settings: [],
} as const satisfies LabAbout;
