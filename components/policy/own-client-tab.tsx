'use client';

import { OwnClient } from '@/components/lab/own-client';
import { Panel } from '@/components/lab/panel';
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
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,1fr)_minmax(0,22rem)] gap-3">
      <Panel title="Use your own client">
        <OwnClient recipes={policyRecipes(targets)} />
      </Panel>
      <Panel title="What your client needs">
        <dl className="h-full space-y-2 overflow-y-auto p-3 text-sm" data-testid="policy-facts">
          {facts.map(([name, value]) => (
            <div key={name}>
              <dt className="text-xs text-slate-400">{name}</dt>
              <dd className="break-all font-mono text-xs text-slate-100">{value}</dd>
            </div>
          ))}
          <p className="pt-2 text-xs text-slate-400">
            The provider admin switches (Call tab) change what your client must send, too. Your requests go through the SOAP lab’s tap: pick them from the connection
            menu of the SOAP lab’s HTTP tab.
          </p>
        </dl>
      </Panel>
    </div>
  );
}
