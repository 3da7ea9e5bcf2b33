'use client';

import { useEffect, useState } from 'react';
import { OwnClient } from '@/components/lab/own-client';
import { Panel } from '@/components/lab/panel';
import { portOf, type LabInfo } from '@/components/lab/use-lab-info';
import type { SoapLabInfo } from './api';
import { soapRecipes } from './recipes';

/** The "Own client" tab: copy-paste recipes with this lab's real ports, and the facts they need. */
export function SoapOwnClient({ info, soap }: { info: LabInfo | null; soap: SoapLabInfo | null }) {
  const [web, setWeb] = useState('http://127.0.0.1:3000');
  useEffect(() => setWeb(location.origin), []);
  const port = portOf(info, 'soap', 8080);
  const endpoint = soap?.endpoint ?? `http://127.0.0.1:${port}/soap/calendar`;
  const targets = { endpoint, wsdl: soap?.wsdl ?? `${endpoint}?wsdl`, smtpPort: portOf(info, 'smtp', 2525), web, ns: 'http://lab.test/soap/calendar' };
  const facts: [string, string][] = [
    ['Endpoint', targets.endpoint],
    ['WSDL', targets.wsdl],
    ['SOAP 1.1', 'Content-Type: text/xml + SOAPAction header'],
    ['SOAP 1.2', 'Content-Type: application/soap+xml; action="…"'],
    ['Mail to', `${soap?.mail.service ?? 'calendar@lab.test'} via SMTP 127.0.0.1:${targets.smtpPort}`],
    ['Answers to', `${soap?.mail.client ?? 'student@lab.test'}, In-Reply-To = your Message-ID`],
    ['Think time', soap?.mail.delayHeader ?? 'X-Lab-Delay: <ms>'],
  ];
  return (
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,1fr)_minmax(0,22rem)] gap-3">
      <Panel title="Use your own client">
        <OwnClient recipes={soapRecipes(targets)} />
      </Panel>
      <Panel title="What your client needs">
        <dl className="space-y-2 p-3 text-sm" data-testid="soap-facts">
          {facts.map(([name, value]) => (
            <div key={name}>
              <dt className="text-xs text-slate-400">{name}</dt>
              <dd className="break-all font-mono text-xs text-slate-100">{value}</dd>
            </div>
          ))}
          <p className="pt-2 text-xs text-slate-400">Everything your client sends goes through the lab’s tap and appears in the HTTP tab (pick it from the connection menu) or in the SMTP lab.</p>
        </dl>
      </Panel>
    </div>
  );
}
