'use client';

import { atHost, httpUrl, labHost } from '@/components/lab/address';
import { OwnClientTab } from '@/components/lab/own-client';
import type { LabInfo } from '@/components/lab/use-lab-info';
import type { PolicyInfo } from './api';
import { MEX_ACTION, policyRecipes } from './recipes';

/** The Orders endpoint on the address this browser's clients reach (GET /api/lab's host). */
export const ordersEndpoint = (info: LabInfo | null, policy: PolicyInfo | null, fallbackPort: number): string =>
  atHost(policy?.endpoint ?? httpUrl(labHost(info), fallbackPort, '/soap/orders'), labHost(info));

/** The "Own client" tab: curl, zeep and SoapUI against the Orders provider, with this lab's real address and port. */
export function PolicyOwnClient({ info, policy, fallbackPort }: { info: LabInfo | null; policy: PolicyInfo | null; fallbackPort: number }) {
  const endpoint = ordersEndpoint(info, policy, fallbackPort);
  const targets = { endpoint, wsdl: policy?.wsdl ? atHost(policy.wsdl, labHost(info)) : `${endpoint}?wsdl` };
  const facts: [string, string][] = [
    ['Endpoint (SOAP 1.2)', targets.endpoint],
    ['WSDL with its policies', targets.wsdl],
    ['WS-MEX GetMetadata', `POST to the endpoint, action ${MEX_ACTION}`],
    ['WS-Addressing', 'wsa:Action, wsa:MessageID (and wsa:To); replies anonymous'],
    ['WS-RM', 'a sequence in an offered version: CreateSequence, then a Sequence header'],
  ];
  return (
    <OwnClientTab
      recipes={policyRecipes(targets)}
      facts={facts}
      testId="policy-facts"
      footnote="The provider admin switches (Call tab) change what your client must send, too. Your requests go through the SOAP lab’s tap: pick them from the connection menu of the SOAP lab’s HTTP tab."
    />
  );
}
