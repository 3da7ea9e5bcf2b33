import type { LabAbout } from '../../lib/labs/about.ts';

/**
 * The WS-Policy lab (issue 11): a provider on the SOAP lab's service host (/soap/orders) and a policy-driven
 * client in the daemon. It has no port of its own (its traffic is on SERVICE_PORT, the SOAP lab's).
 */
export const policyAbout = {
  id: 'policy',
  title: 'WS-Policy',
  tagline: "A provider's policy in its WSDL, merged per subject and intersected with the client's, and the refresh after a policy fault.",
  topics: ['WS-Policy 1.5', 'WS-PolicyAttachment', 'WS-Addressing', 'WS-RM'],
  live: true,
  ports: [],
  settings: [],
} as const satisfies LabAbout;
