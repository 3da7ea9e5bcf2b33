'use client';

import { OwnClientTab } from '@/components/lab/own-client';
import type { PolicyInfo } from './api';
import { MEX_ACTION, policyRecipes } from './recipes';

/** The "Own client" tab: curl, zeep and SoapUI against the Orders provider, with this lab's real port. */
export function PolicyOwnClient({ info, fallbackPort }: { info: PolicyInfo | null; fallbackPort: number }) {
  const endpoint = info?.endpoint ?? `http://127.0.0.1:${fallbackPort}/soap/orders`;
  const targets = { endpoint, wsdl: info?.wsdl ?? `${endpoint}?wsdl` };
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
