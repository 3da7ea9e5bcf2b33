import type { LabAbout } from '../../lib/labs/about.ts';

/**
 * The WS-Policy lab (issue 11), not built yet: shown as "coming". It declares no ports until its
 * server exists (README's port table lists only what a running lab reads).
 */
export const policyAbout = {
  id: 'policy',
  title: 'WS-Policy',
  tagline: "A provider's policy in its WSDL, the client's effective policy, and the refresh after a policy fault.",
  topics: ['WS-Policy 1.5', 'WS-PolicyAttachment', 'WS-Addressing', 'WS-RM'],
  live: false,
  ports: [],
  settings: [],
} as const satisfies LabAbout;
