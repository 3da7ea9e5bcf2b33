'use client';

import { useState, type ReactNode } from 'react';
import { LabPage } from '@/components/lab/lab-page';
import { TabSection } from '@/components/lab/tab-section';
import { Segmented } from '@/components/lab/tab-bar';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { useHashTab } from '@/components/lab/use-hash-tab';
import type { ViewMode } from '@/components/terminal/render';
import { policyInfoOf } from './api';
import { CallTab } from './call-tab';
import { CacheBar } from './controls';
import { EffectiveTab } from './effective-tab';
import { ordersEndpoint, PolicyOwnClient } from './own-client-tab';
import { ProviderTab } from './provider-tab';
import { usePolicy } from './use-policy';
import { pagePanels } from '@/components/lab/page-panels';

/** In wire order: the provider publishes, the client fetches and computes, then calls. */
const TABS = [
  ['provider', '1 · Provider WSDL'],
  ['client', '2 · Effective policy'],
  ['call', '3 · Call'],
  ['clients', 'Own client'],
] as const;
type Tab = (typeof TABS)[number][0];
/** The tabs' hash names; the first has none (useHashTab). */
const TAB_IDS: readonly Tab[] = TABS.map(([id]) => id);

/**
 * The WS-Policy lab page: the provider's WSDL with each policy attachment by scope and its admin switches; the
 * client's policy set, the normal form, the intersection matrix and the chosen alternative; calls shaped by the
 * effective policy with the ladder of fetch → call → fault → refresh → retry and the SOAP exchanges; recipes.
 * The cache line above the tabs says where the client's provider policy came from and refreshes it.
 */
export function PolicyLab() {
  const info = useLabInfo();
  const policy = policyInfoOf(info);
  const feed = useLabFeed('soap');
  const model = usePolicy();
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, choose] = useHashTab(TAB_IDS);
  const port = policy?.port ?? portOf(info, 'soap', 8080);

  const section = (id: Tab, label: string, body: ReactNode) => (
    <TabSection id={id} label={label} shown={tab === id}>
      {body}
    </TabSection>
  );

  return (
    <LabPage
      panels={pagePanels(TABS, choose)}
      title="WS-Policy lab"
      hint={
        <>
          Orders at <code className="text-slate-300">{ordersEndpoint(info, policy, port)}</code>
        </>
      }
      hintClassName="hidden xl:inline"
      view={{ mode, onChange: setMode }}
      controls={<Segmented label="WS-Policy lab sections" role="tablist" value={tab} options={TABS} onChange={choose} />}
      step={{ protocol: 'soap', note: 'Holds the HTTP messages of the SOAP service host, where this lab’s provider lives: the client’s fetches and calls wait at the tap.' }}
      errors={[model.error]}
      dense
    >
      <div className="flex h-full min-h-0 flex-col gap-2">
        <CacheBar model={model} state={model.state} />
        <div className="min-h-0 flex-1">
          {section('provider', 'Provider WSDL', <ProviderTab model={model} />)}
          {section('client', 'Effective policy', <EffectiveTab model={model} />)}
          {section('call', 'Call', <CallTab model={model} feed={feed} mode={mode} visible={tab === 'call'} />)}
          {section('clients', 'Own client', <PolicyOwnClient info={info} policy={policy} fallbackPort={port} />)}
        </div>
      </div>
    </LabPage>
  );
}
