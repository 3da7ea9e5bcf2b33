'use client';

import { useCallback, useEffect, useState } from 'react';
import { coreApi } from '@/components/lab/api';
import { shareSelection, useDeepLink } from '@/components/lab/deep-link';
import type { LabFeed } from '@/components/lab/lab-feed';
import { LabColumns } from '@/components/lab/lab-columns';
import { Panel } from '@/components/lab/panel';
import { StepControls } from '@/components/lab/step-controls';
import { useConnectionHistory } from '@/components/lab/connection-history';
import { ViewToggle } from '@/components/lab/view-toggle';
import type { ViewMode } from '@/components/terminal/render';
import { SOAP_CONSOLE_LABEL } from '@/servers/soap/lab/contracts.ts';
import type { WsdlSummary } from './api';
import { EnvelopeComposer } from './envelope-composer';
import { ExchangeView } from './exchange-view';
import { RawHttpMode } from './raw-http-mode';
import { ResultCard } from './result-card';
import { Segmented } from '@/components/lab/tab-bar';
import { useComposer, useExchange } from './use-composer';
import { clockTime } from '@/components/lab/format';

/** The HTTP tab: edit an envelope and send it, or type HTTP by hand; watch both directions dissected. */
export function HttpConsole(props: { feed: LabFeed; wsdl: WsdlSummary | null; port: number; host: string }) {
  const { feed } = props;
  const [how, setHow] = useState<'editor' | 'raw'>('editor');
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [picked, setPicked] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const [selectedMsg, setSelectedMsg] = useState<string | null>(null);
  const composer = useComposer();
  const known = useCallback(() => feed.listConnections().map((c) => c.id), [feed]);
  const exchange = useExchange(known);

  // While a request is in flight (held in step mode, say), follow its connection as soon as it opens.
  const fresh = exchange.before ? feed.listConnections().find((c) => !exchange.before!.has(c.id) && c.label === SOAP_CONSOLE_LABEL) : undefined;
  const shown = picked ?? (exchange.sending ? (fresh?.id ?? null) : last);
  const historyError = useConnectionHistory(feed, shown, selectedMsg);
  useEffect(() => {
    if (exchange.result?.conn) setLast(exchange.result.conn);
  }, [exchange.result]);

  // A shared link (?conn=…&msg=…) opens that exchange with the message selected.
  useDeepLink(({ conn, msg }) => {
    setPicked(conn);
    setSelectedMsg(msg);
  });
  const pick = (id: string | null) => {
    setPicked(id);
    setSelectedMsg(null);
    shareSelection(id, null);
  };
  const select = (id: string | null) => {
    setSelectedMsg(id);
    shareSelection(shown, id);
  };

  const send = () => {
    pick(null);
    // Send what the form shows, even if the editor has not caught up with a field changed a moment ago.
    const { version, operation } = composer;
    void composer
      .current()
      .then((envelope) => exchange.send({ envelope, version, operation }))
      .then((r) => {
        // The exchange is complete now: load it whole in case a live event was missed.
        if (r?.conn) void coreApi.transcript(r.conn).then((page) => feed.loadMessages(page.connection.id, page.messages)).catch(() => {});
      })
      .catch(() => {}); // the composer shows why the envelope could not be generated
  };

  const history = feed.listConnections().slice(0, 30);
  const picker = (
    <select
      className="max-w-56 rounded border border-slate-700 bg-slate-900 px-1.5 py-0.5 text-xs text-slate-300"
      value={picked ?? ''}
      onChange={(e) => pick(e.target.value || null)}
      aria-label="Show an earlier connection"
    >
      <option value="">latest exchange</option>
      {history.map((c) => (
        <option key={c.id} value={c.id}>
          {clockTime(c.startedAt)} · {c.label ?? c.client} · {c.messageCount}
        </option>
      ))}
    </select>
  );

  return (
    <div className="flex h-full min-h-0 flex-col gap-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Segmented
          label="How to send"
          size="md"
          value={how}
          options={[
            ['editor', 'Envelope editor'],
            ['raw', 'Type HTTP by hand'],
          ]}
          onChange={setHow}
        />
        <ViewToggle mode={mode} onChange={setMode} />
        {/* A row of its own, as on every lab page, so what is held next reads in full. */}
        <div className="flex min-w-0 basis-full">
          <StepControls protocol="soap" />
        </div>
      </div>
      {historyError && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200">{historyError}</p>}
      {how === 'editor' ? (
        <div className="min-h-0 flex-1">
          <LabColumns className="grid-cols-[minmax(0,26rem)_minmax(0,1fr)] lab-narrow:grid-cols-1" testId="http-columns" below={{ label: 'Wire', name: 'HTTP on the wire' }}>
            <Panel title="Request → response" className="min-w-0">
              <EnvelopeComposer composer={composer} wsdl={props.wsdl} sending={exchange.sending} onSend={send}>
                <div className="max-h-[45%] min-h-14 overflow-y-auto rounded border border-slate-800 bg-slate-950/40 lab-narrow:max-h-none lab-narrow:[grid-area:result]" data-testid="result-box">
                  <ResultCard result={exchange.result} error={exchange.error} sending={exchange.sending} />
                </div>
              </EnvelopeComposer>
            </Panel>
            <ExchangeView
              feed={feed}
              conn={shown}
              mode={mode}
              title={picked ? `Connection ${feed.connection(picked)?.label ?? picked} (read only)` : 'HTTP on the wire'}
              actions={picker}
              status={exchange.sending && !fresh ? 'Sending…' : !shown ? 'Nothing sent yet: edit the envelope and press Send.' : undefined}
              emptyText="The request and response appear here, one line per header and XML element, each explained."
              selectedId={selectedMsg}
              onSelect={select}
            />
          </LabColumns>
        </div>
      ) : (
        <RawHttpMode feed={feed} mode={mode} httpRequest={composer.generated?.httpRequest ?? null} port={props.port} host={props.host} />
      )}
    </div>
  );
}
