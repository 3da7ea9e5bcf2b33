'use client';

import { useEffect, useState } from 'react';
import { LabSocketProvider, useLabSocket } from '@/components/lab/lab-socket';
import { fetchJson, useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import type { SoapLabInfo, WsdlSummary } from './api';
import { HttpConsole } from './http-console';
import { MailBinding } from './mail-binding';
import { SoapOwnClient } from './own-client-tab';
import { Segmented } from './tabs';
import { WsdlViewer } from './wsdl-viewer';

/** The SOAP lab page: HTTP console, WSDL viewer, the SMTP binding, and external clients, as tabs. */
export function SoapLab() {
  return (
    <LabSocketProvider>
      <SoapLabInner />
    </LabSocketProvider>
  );
}

const TABS = [
  ['http', 'HTTP'],
  ['wsdl', 'WSDL'],
  ['mail', 'Mail binding'],
  ['clients', 'Own client'],
] as const;
type Tab = (typeof TABS)[number][0];

function SoapLabInner() {
  const { lastError } = useLabSocket();
  const info = useLabInfo();
  const soap = (info?.soap as SoapLabInfo | undefined) ?? null;
  const feed = useLabFeed('soap');
  const [tab, setTab] = useState<Tab>('http');
  const [wsdl, setWsdl] = useState<WsdlSummary | null>(null);
  const port = portOf(info, 'soap', 8080);

  // Deep links for the classroom: /soap#mail opens the mail binding.
  useEffect(() => {
    const fromHash = () => {
      const hash = location.hash.slice(1);
      if (TABS.some(([t]) => t === hash)) setTab(hash as Tab);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);
  useEffect(() => {
    void fetchJson<WsdlSummary>('/api/soap/wsdl').then(setWsdl).catch(() => {});
  }, []);

  const choose = (next: Tab) => {
    setTab(next);
    history.replaceState(null, '', next === 'http' ? location.pathname : `#${next}`);
  };

  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[600px] flex-col gap-3 p-3">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
        <h1 className="text-lg font-semibold text-white">
          SOAP lab{' '}
          <span className="text-sm font-normal text-slate-400">
            — Calendar service at <code className="text-slate-300">{soap?.endpoint ?? `http://127.0.0.1:${port}/soap/calendar`}</code>
          </span>
        </h1>
        <Segmented label="SOAP lab sections" role="tablist" size="md" value={tab} options={TABS} onChange={choose} />
      </div>
      {lastError && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200">{lastError}</p>}
      <div className="min-h-0 flex-1">
        <section className={tab === 'http' ? 'h-full' : 'hidden'} aria-label="HTTP" data-testid="tab-http">
          <HttpConsole feed={feed} wsdl={wsdl} port={port} />
        </section>
        <section className={tab === 'wsdl' ? 'h-full' : 'hidden'} aria-label="WSDL" data-testid="tab-wsdl">
          <WsdlViewer wsdl={wsdl} />
        </section>
        <section className={tab === 'mail' ? 'h-full' : 'hidden'} aria-label="Mail binding" data-testid="tab-mail">
          <MailBinding visible={tab === 'mail'} info={soap} />
        </section>
        <section className={tab === 'clients' ? 'h-full' : 'hidden'} aria-label="Own client" data-testid="tab-clients">
          <SoapOwnClient info={info} soap={soap} />
        </section>
      </div>
    </div>
  );
}
