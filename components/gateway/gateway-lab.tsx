'use client';

import { useEffect, useState } from 'react';
import { shareSelection, useDeepLink } from '@/components/lab/deep-link';
import { LabPage } from '@/components/lab/lab-page';
import { useConnectionHistory } from '@/components/lab/connection-history';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { useLabTabs } from '@/components/lab/use-lab-tabs';
import type { ViewMode } from '@/components/terminal/render';
import { gatewayInfoOf } from './api';
import { CatalogueTab } from './catalogue-tab';
import { DecisionLog } from './decision-log';
import { ModelTab } from './model-tab';
import { gatewayBaseUrl, GatewayOwnClient } from './own-client-tab';
import { RequestConsole, type Selection } from './request-console';
import { useAccess } from './use-access';

const TABS = [
  ['console', 'Request console'],
  ['catalogue', 'Catalogue'],
  ['model', 'Model'],
  ['decisions', 'Decisions'],
  ['clients', 'Own client'],
] as const;

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
  const tabs = useLabTabs(TABS, { label: 'Access-control lab sections' });
  const [selection, setSelection] = useState<Selection>({ conn: null, decision: null });
  const port = gateway?.port ?? portOf(info, 'gateway', DEFAULT_PORT);
  // What the console shows is in the address bar (replaceState), so the URL can be shared.
  const select = (next: Selection) => {
    setSelection(next);
    shareSelection(next.conn, next.msg ?? null);
  };

  // A shared link (?conn=…&msg=…, a lesson's "Proved by") opens that exchange with the message selected;
  // the connection may have ended before this page opened, so its transcript is loaded from the store.
  useDeepLink(({ conn, msg }) => {
    tabs.choose('console');
    setSelection({ conn, decision: null, msg });
  });
  const historyError = useConnectionHistory(feed, selection.conn, selection.msg ?? null);
  // …and its ladder and decision card show the decision made on it, once the decision log has it.
  const linkedDecision = selection.conn && !selection.decision ? access.log.decisions.find((d) => d.conn === selection.conn) : undefined;
  useEffect(() => {
    if (linkedDecision) setSelection((current) => (current.conn === linkedDecision.conn && !current.decision ? { ...current, decision: linkedDecision } : current));
  }, [linkedDecision]);

  return (
    <LabPage
      panels={tabs.panels}
      title="Access-control lab"
      hint={
        <>
          services at <code className="text-slate-300">{gatewayBaseUrl(info, gateway, port)}</code>
          {access.catalogue && ` · catalogue ${access.catalogue.version}`}
        </>
      }
      hintClassName="hidden xl:inline"
      view={{ mode, onChange: setMode }}
      controls={tabs.controls}
      step={{ protocol: 'gateway', note: 'Holds the HTTP requests and answers at the service host’s tap, one at a time.' }}
      errors={[access.error, historyError]}
      dense
    >
      <div className="h-full min-h-0">
        {tabs.section('console', <RequestConsole access={access} feed={feed} mode={mode} selection={selection} onSelect={select} />)}
        {tabs.section('catalogue', <CatalogueTab access={access} />)}
        {tabs.section('model', <ModelTab access={access} />)}
        {tabs.section('decisions', <DecisionLog access={access} selection={selection} onSelect={select} onShow={() => tabs.choose('console')} />)}
        {tabs.section('clients', <GatewayOwnClient info={info} gateway={gateway} model={access.model} port={port} />)}
      </div>
    </LabPage>
  );
}
