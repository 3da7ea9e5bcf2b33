'use client';

import { useEffect, useState } from 'react';
import { labHost } from '@/components/lab/address';
import { LabPage } from '@/components/lab/lab-page';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { labInfoOf, portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { useLabTabs } from '@/components/lab/use-lab-tabs';
import { soapApi, type WsdlSummary } from './api';
import { HttpConsole } from './http-console';
import { MailBinding } from './mail-binding';
import { calendarEndpoint, SoapOwnClient } from './own-client-tab';
import { WsdlViewer } from './wsdl-viewer';

const TABS = [
  ['http', 'HTTP'],
  ['wsdl', 'WSDL'],
  ['mail', 'Mail binding'],
  ['clients', 'Own client'],
] as const;

/** The SOAP lab page: HTTP console, WSDL viewer, the SMTP binding, and external clients, as tabs. */
export function SoapLab() {
  const info = useLabInfo();
  const soap = labInfoOf(info, 'soap');
  const feed = useLabFeed('soap');
  const tabs = useLabTabs(TABS, { label: 'SOAP lab sections', size: 'md' });
  const [wsdl, setWsdl] = useState<WsdlSummary | null>(null);
  const port = portOf(info, 'soap', 8080);

  useEffect(() => {
    void soapApi.wsdl().then(setWsdl).catch(() => {});
  }, []);

  return (
    <LabPage
      panels={tabs.panels}
      title="SOAP lab"
      hint={
        <>
          Calendar service at <code className="text-slate-300">{calendarEndpoint(info, soap, port)}</code>
        </>
      }
      controls={tabs.controls}
    >
      <div className="h-full min-h-0">
        {tabs.section('http', <HttpConsole feed={feed} wsdl={wsdl} port={port} host={labHost(info)} />)}
        {tabs.section('wsdl', <WsdlViewer wsdl={wsdl} />)}
        {tabs.section('mail', <MailBinding visible={tabs.tab === 'mail'} info={soap} />)}
        {tabs.section('clients', <SoapOwnClient info={info} soap={soap} />)}
      </div>
    </LabPage>
  );
}
