'use client';

import { useEffect, useState } from 'react';
import { OwnClientTab } from '@/components/lab/own-client';
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
    <OwnClientTab
      recipes={soapRecipes(targets)}
      facts={facts}
      testId="soap-facts"
      footnote="Everything your client sends goes through the lab’s tap and appears in the HTTP tab (pick it from the connection menu) or in the SMTP lab."
    />
  );
}
