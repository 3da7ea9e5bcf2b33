'use client';

import { useState, type ReactNode } from 'react';
import { LabPage } from '@/components/lab/lab-page';
import { TabSection } from '@/components/lab/tab-section';
import { Segmented } from '@/components/lab/tab-bar';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { useHashTab } from '@/components/lab/use-hash-tab';
import type { ViewMode } from '@/components/terminal/render';
import { gatewayInfoOf } from './api';
import { CatalogueTab } from './catalogue-tab';
import { DecisionLog } from './decision-log';
import { ModelTab } from './model-tab';
import { gatewayBaseUrl, GatewayOwnClient } from './own-client-tab';
import { RequestConsole, type Selection } from './request-console';
import { useAccess } from './use-access';
import { pagePanels } from '@/components/lab/page-panels';

const TABS = [
  ['console', 'Request console'],
  ['catalogue', 'Catalogue'],
  ['model', 'Model'],
  ['decisions', 'Decisions'],
  ['clients', 'Own client'],
] as const;
type Tab = (typeof TABS)[number][0];
/** The tabs' hash names; the first has none (useHashTab). */
const TAB_IDS: readonly Tab[] = TABS.map(([id]) => id);

/** GATEWAY_PORT's default until /api/lab answers. */
const DEFAULT_PORT = 8090;

/**
 * The access-control lab page: the request console (any service as any user, the exchange in
 * xterm with the interceptor's decision, its trace and ladder), the catalogue extracted from the
 * sources with Sync and its diff, the model drawn and edited, the decision log with each change's
 * time to effect, and curl recipes.
 */
export function GatewayLab() {
  const info = useLabInfo();
  const gateway = gatewayInfoOf(info);
  const feed = useLabFeed('gateway');
  const access = useAccess(feed);
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, choose] = useHashTab(TAB_IDS);
  const [selection, setSelection] = useState<Selection>({ conn: null, decision: null });
  const port = gateway?.port ?? portOf(info, 'gateway', DEFAULT_PORT);

  const section = (id: Tab, label: string, body: ReactNode) => (
    <TabSection id={id} label={label} shown={tab === id}>
      {body}
    </TabSection>
  );

  return (
    <LabPage
      panels={pagePanels(TABS, choose)}
      title="Access-control lab"
      hint={
        <>
          services at <code className="text-slate-300">{gatewayBaseUrl(info, gateway, port)}</code>
          {access.catalogue && ` · catalogue ${access.catalogue.version}`}
        </>
      }
      hintClassName="hidden xl:inline"
      view={{ mode, onChange: setMode }}
      controls={<Segmented label="Access-control lab sections" role="tablist" value={tab} options={TABS} onChange={choose} />}
      step={{ protocol: 'gateway', note: 'Holds the HTTP requests and answers at the service host’s tap, one at a time.' }}
      errors={[access.error]}
      dense
    >
      <div className="h-full min-h-0">
        {section('console', 'Request console', <RequestConsole access={access} feed={feed} mode={mode} selection={selection} onSelect={setSelection} />)}
        {section('catalogue', 'Catalogue', <CatalogueTab access={access} />)}
        {section('model', 'Model', <ModelTab access={access} />)}
        {section('decisions', 'Decisions', <DecisionLog access={access} selection={selection} onSelect={setSelection} onShow={() => choose('console')} />)}
        {section('clients', 'Own client', <GatewayOwnClient info={info} gateway={gateway} model={access.model} port={port} />)}
      </div>
    </LabPage>
  );
}
