'use client';

import { useEffect, useState } from 'react';
import { labHost } from '@/components/lab/address';
import { LabPage } from '@/components/lab/lab-page';
import { TabSection } from '@/components/lab/tab-section';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { labInfoOf, portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { useHashTab } from '@/components/lab/use-hash-tab';
import { soapApi, type WsdlSummary } from './api';
import { HttpConsole } from './http-console';
import { MailBinding } from './mail-binding';
import { calendarEndpoint, SoapOwnClient } from './own-client-tab';
import { Segmented } from './tabs';
import { WsdlViewer } from './wsdl-viewer';
import { pagePanels } from '@/components/lab/page-panels';

const TABS = [
  ['http', 'HTTP'],
  ['wsdl', 'WSDL'],
  ['mail', 'Mail binding'],
  ['clients', 'Own client'],
] as const;
type Tab = (typeof TABS)[number][0];
/** The tabs' hash names; the first has none (useHashTab). */
const TAB_IDS: readonly Tab[] = TABS.map(([id]) => id);

/** The SOAP lab page: HTTP console, WSDL viewer, the SMTP binding, and external clients, as tabs. */
export function SoapLab() {
  const info = useLabInfo();
  const soap = labInfoOf(info, 'soap');
  const feed = useLabFeed('soap');
  const [tab, choose] = useHashTab(TAB_IDS);
  const [wsdl, setWsdl] = useState<WsdlSummary | null>(null);
  const port = portOf(info, 'soap', 8080);

  useEffect(() => {
    void soapApi.wsdl().then(setWsdl).catch(() => {});
  }, []);

  return (
    <LabPage
      panels={pagePanels(TABS, choose)}
      title="SOAP lab"
      hint={
        <>
          Calendar service at <code className="text-slate-300">{calendarEndpoint(info, soap, port)}</code>
        </>
      }
      controls={<Segmented label="SOAP lab sections" role="tablist" size="md" value={tab} options={TABS} onChange={choose} />}
    >
      <div className="h-full min-h-0">
        <TabSection id="http" label="HTTP" shown={tab === 'http'}>
          <HttpConsole feed={feed} wsdl={wsdl} port={port} host={labHost(info)} />
        </TabSection>
        <TabSection id="wsdl" label="WSDL" shown={tab === 'wsdl'}>
          <WsdlViewer wsdl={wsdl} />
        </TabSection>
        <TabSection id="mail" label="Mail binding" shown={tab === 'mail'}>
          <MailBinding visible={tab === 'mail'} info={soap} />
        </TabSection>
        <TabSection id="clients" label="Own client" shown={tab === 'clients'}>
          <SoapOwnClient info={info} soap={soap} />
        </TabSection>
      </div>
    </LabPage>
  );
}
