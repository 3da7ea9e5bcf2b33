'use client';

import { useState } from 'react';
import { LabPage } from '@/components/lab/lab-page';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { useLabTabs } from '@/components/lab/use-lab-tabs';
import type { ViewMode } from '@/components/terminal/render';
import { policyInfoOf } from './api';
import { CallTab } from './call-tab';
import { CacheBar } from './controls';
import { EffectiveTab } from './effective-tab';
import { ordersEndpoint, PolicyOwnClient } from './own-client-tab';
import { ProviderTab } from './provider-tab';
import { usePolicy } from './use-policy';

/** In wire order: the provider publishes, the client fetches and computes, then calls. */
const TABS = [
  ['provider', '1 · Provider WSDL'],
  ['client', '2 · Effective policy'],
  ['call', '3 · Call'],
  ['clients', 'Own client'],
] as const;

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
  const tabs = useLabTabs(TABS, { label: 'WS-Policy lab sections' });
  const port = policy?.port ?? portOf(info, 'soap', 8080);

  return (
    <LabPage
      panels={tabs.panels}
      title="WS-Policy lab"
      hint={
        <>
          Orders at <code className="text-slate-300">{ordersEndpoint(info, policy, port)}</code>
        </>
      }
      hintClassName="hidden xl:inline"
      view={{ mode, onChange: setMode }}
      controls={tabs.controls}
      step={{ protocol: 'soap', note: 'Holds the HTTP messages of the SOAP service host, where this lab’s provider lives: the client’s fetches and calls wait at the tap.' }}
      errors={[model.error]}
      dense
    >
      <div className="flex h-full min-h-0 flex-col gap-2">
        <CacheBar model={model} state={model.state} />
        <div className="min-h-0 flex-1">
          {tabs.section('provider', <ProviderTab model={model} />)}
          {tabs.section('client', <EffectiveTab model={model} />)}
          {tabs.section('call', <CallTab model={model} feed={feed} mode={mode} visible={tabs.tab === 'call'} />)}
          {tabs.section('clients', <PolicyOwnClient info={info} policy={policy} fallbackPort={port} />)}
        </div>
      </div>
    </LabPage>
  );
}
