'use client';

import { useEffect, useState } from 'react';
import { atHost, hostPort, httpUrl, labHost } from '@/components/lab/address';
import { OWNER_SANDBOX_NOTICE, OwnClientTab } from '@/components/lab/own-client';
import { portOf, type LabInfo } from '@/components/lab/use-lab-info';
import type { SoapLabInfo } from './api';
import { MAIL_RECIPES, soapRecipes } from './recipes';

/** The Calendar endpoint on the address this browser's clients reach (GET /api/lab's host). */
export const calendarEndpoint = (info: LabInfo | null, soap: SoapLabInfo | null, port: number): string =>
  atHost(soap?.endpoint ?? httpUrl(labHost(info), port, '/soap/calendar'), labHost(info));

/**
 * The "Own client" tab: copy-paste recipes with this lab's real address and ports, and the facts they
 * need. Where this machine's clients would not land in a student's sandbox (clientsLandHere) their
 * answers hold, only the transcript is the owner's: one sentence says so instead of "appears in the
 * HTTP tab". Mail reaches the student's sandbox only at a calendar@ in its own mail domain
 * (GET /api/lab's soap.mail); where the lab names another, the mail recipes and facts are left out.
 */
export function SoapOwnClient({ info, soap }: { info: LabInfo | null; soap: SoapLabInfo | null }) {
  const [web, setWeb] = useState('http://127.0.0.1:3000');
  useEffect(() => setWeb(location.origin), []);
  const host = labHost(info);
  const endpoint = calendarEndpoint(info, soap, portOf(info, 'soap', 8080));
  const mail = { service: soap?.mail.service ?? 'calendar@lab.test', client: soap?.mail.client ?? 'student@lab.test' };
  const targets = { endpoint, wsdl: soap?.wsdl ? atHost(soap.wsdl, host) : `${endpoint}?wsdl`, smtpPort: portOf(info, 'smtp', 2525), web, ns: 'http://lab.test/soap/calendar', host, mail };
  const student = info?.shared === false;
  // A student's mail reaches the calendar only at an address in its own domain (the SMTP lab files mail by its recipient).
  const mailIsOurs = !student || (info !== null && mail.service.endsWith(`@${info.mailDomain}`));
  const httpFacts: [string, string][] = [
    ['Endpoint', targets.endpoint],
    ['WSDL', targets.wsdl],
    ['SOAP 1.1', 'Content-Type: text/xml + SOAPAction header'],
    ['SOAP 1.2', 'Content-Type: application/soap+xml; action="…"'],
  ];
  const mailFacts: [string, string][] = [
    ['Mail to', `${mail.service} via SMTP ${hostPort(host, targets.smtpPort)}`],
    ['Answers to', `${mail.client}, In-Reply-To = your Message-ID`],
    ['Think time', soap?.mail.delayHeader ?? 'X-Lab-Delay: <ms>'],
  ];
  // The Python recipe polls the mailbox API, which without this browser's cookie is the machine owner's.
  const hidden: string[] = !student ? [] : mailIsOurs ? [MAIL_RECIPES.python] : Object.values(MAIL_RECIPES);
  const recipes = soapRecipes(targets).filter((r) => !hidden.includes(r.name));
  return (
    <OwnClientTab
      recipes={recipes}
      facts={mailIsOurs ? [...httpFacts, ...mailFacts] : httpFacts}
      testId="soap-facts"
      footnote={
        info?.clientsLandHere === false
          ? `${OWNER_SANDBOX_NOTICE}${mailIsOurs ? ` Mail to ${mail.service} is this sandbox’s: its answer arrives in your mailbox (SMTP lab).` : ''}`
          : 'Everything your client sends goes through the lab’s tap and appears in the HTTP tab (pick it from the connection menu) or in the SMTP lab.'
      }
    />
  );
}
