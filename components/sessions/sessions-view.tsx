'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { Panel } from '@/components/lab/panel';
import { TabBar } from '@/components/lab/tab-bar';
import { sessionsApi, type ImportReply } from './api';
import { playerHref } from '@/components/player/timeline';
import { ConnectionTable } from './connection-table';
import { ExportLinks } from './export-menu';
import { ImportButton } from './import-button';
import { SearchPanel } from './search-panel';
import { SelectionLadder, withChildren } from './selection-ladder';
import { useConnections } from './use-connections';
import { counted } from '@/lib/text/numbers.ts';

/**
 * All sessions of this sandbox across the labs: the list (newest first, children under their
 * parents) with a selection to export, import of earlier exports and pcapng captures, and search
 * over every stored transcript. Clicking a connection or a match opens the player.
 */
export function SessionsView() {
  const { connections, error, loaded, refresh, older } = useConnections();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [imported, setImported] = useState<ImportReply | null>(null);
  const [side, setSide] = useState<'search' | 'ladder'>('search');
  const picked = connections.filter((c) => selected.has(c.id)).map((c) => c.id);
  const pickedKey = picked.join(',');
  // Only when the selection changes (not on every live event): the ladder reloads what it draws.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const drawn = useMemo(() => withChildren(connections, picked), [pickedKey, connections.length]);

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[560px] flex-col gap-3 p-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-lg font-semibold text-white">
          Sessions <span className="text-sm font-normal text-slate-400">— every connection of every lab, recorded</span>
        </h1>
        <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="selection-export">
          <span className="text-slate-400">{picked.length ? `${picked.length} selected — export as` : 'Select connections to export them together'}</span>
          {picked.length > 0 && <ExportLinks label="Export the selection as" href={(format) => sessionsApi.exportSelectionUrl(picked, format)} />}
          {picked.length > 0 && (
            <button type="button" className="text-xs text-slate-400 hover:text-slate-100" onClick={() => setSelected(new Set())}>
              clear
            </button>
          )}
        </div>
        <div className="ml-auto">
          <ImportButton
            onImported={(reply) => {
              setImported(reply);
              void refresh();
            }}
          />
        </div>
      </div>
      {error && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200">{error}</p>}
      {imported && (
        <div className="rounded border border-emerald-800 bg-emerald-950/40 px-3 py-2 text-sm text-emerald-100" data-testid="import-result" role="status">
          Imported {imported.connections.length} {imported.connections.length === 1 ? 'connection' : 'connections'}
          {imported.skipped > 0 ? ` (${imported.skipped} on ports no lab serves left out)` : ''}:{' '}
          {imported.connections.map((c, i) => (
            <span key={c.id}>
              {i > 0 && ' · '}
              <Link href={playerHref(c.id)} className="underline decoration-emerald-600 hover:text-white" data-testid="imported-connection">
                {c.label} ({c.protocol}, {counted(c.messages, 'message')})
              </Link>
            </span>
          ))}
          <button type="button" className="ml-3 text-xs text-emerald-300 hover:text-white" onClick={() => setImported(null)}>
            dismiss
          </button>
        </div>
      )}
      {/* Side by side on a wide screen; stacked (list first) when the text is large, as in Presenter mode, and then the page scrolls rather than squeezing either. */}
      {/* Stacked (narrow, or Presenter mode's larger type), the list keeps two thirds: search scrolls in what is left. */}
      <div className="@container min-h-0 flex-1 overflow-y-auto" data-testid="sessions-body">
        <div className="grid h-full grid-rows-[minmax(12rem,2fr)_minmax(10rem,1fr)] gap-3 @min-[72rem]:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] @min-[72rem]:grid-rows-1">
          <Panel
            title="Connections"
            className="min-w-0"
            actions={
              <span className="text-xs text-slate-400">
                {loaded ? `${connections.length} · newest first` : 'loading…'}{' '}
                <button type="button" className="ml-2 hover:text-slate-100" onClick={() => void refresh()}>
                  refresh
                </button>
              </span>
            }
          >
            <div className="h-full overflow-auto">
              <ConnectionTable
                connections={connections}
                selected={selected}
                highlighted={new Set(imported?.connections.map((c) => c.id) ?? [])}
                onToggle={toggle}
                onToggleAll={(ids) => setSelected(new Set(ids))}
              />
              {older && (
                <button type="button" className="m-2 rounded border border-slate-700 px-3 py-1 text-sm text-slate-300 hover:border-sky-500" onClick={() => void older()} data-testid="show-older">
                  Show older connections
                </button>
              )}
            </div>
          </Panel>
          <Panel
            title={side === 'search' ? 'Search the transcripts' : `Ladder of the selection (${drawn.length})`}
            className="min-w-0"
            actions={
              <TabBar
                label="Search or ladder"
                value={side}
                onChange={setSide}
                tabs={[
                  ['search', 'Search'],
                  ['ladder', 'Ladder'],
                ]}
              />
            }
          >
            <div className={side === 'search' ? 'h-full' : 'hidden'}>
              <SearchPanel />
            </div>
            {side === 'ladder' && <SelectionLadder connections={drawn} />}
          </Panel>
        </div>
      </div>
    </div>
  );
}
