/**
 * The WS-Policy lab's API client, one function per route of servers/policy/lab/contracts.ts (replies parsed
 * by their schemas), and the `policy` block of GET /api/lab.
 */
import type { z } from 'zod';
import { callRoute } from '@/lib/http/contract.ts';
import { policyContracts as c } from '@/servers/policy/lab/contracts.ts';
import { labInfoOf, type LabInfo } from '@/components/lab/use-lab-info';

export type {
  AlternativeRow,
  AssertionRow,
  CallReply,
  Chosen,
  ClientSettings,
  Computation,
  LadderRow,
  Mismatch,
  OperationComputation,
  OrderOperation,
  PairRow,
  PolicyState,
  ProviderSettings,
  RmOffer,
  RmVersion,
  ScopeRow,
  SubjectRow,
} from '@/servers/policy/lab/contracts.ts';
export { ORDER_OPERATIONS, POLICY_CLIENT_LABEL } from '@/servers/policy/lab/contracts.ts';
export type { PolicyInfo } from '@/servers/policy/lab.ts';

/** The policy block of /api/lab (endpoint, WSDL URL, the SOAP lab's port), if the lab is running. */
export function policyInfoOf(info: LabInfo | null) {
  return labInfoOf(info, 'policy');
}

/** The WS-Policy lab's API, one function per route. */
export const policyApi = {
  state: () => callRoute(c.state),
  provider: (body: z.input<typeof c.provider.body>) => callRoute(c.provider, { body }),
  client: (body: z.input<typeof c.client.body>) => callRoute(c.client, { body }),
  fetch: (via?: 'get' | 'mex') => callRoute(c.fetch, { body: via ? { via } : {} }),
  call: (body: z.input<typeof c.call.body>) => callRoute(c.call, { body }),
  refresh: (now = true) => callRoute(c.refresh, { body: { now } }),
};
