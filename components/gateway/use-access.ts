'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabFeed } from '@/components/lab/lab-feed';
import { gatewayApi, type AccessModel, type CatalogueDiffView, type CatalogueView, type DecisionLogView, type InputOf, type Table } from './api';

/** The lab's shared state: catalogue, model and decision log, and the actions that change them. */
export interface AccessState {
  catalogue: CatalogueView | null;
  model: AccessModel | null;
  log: DecisionLogView;
  diff: CatalogueDiffView | null;
  error: string | null;
  busy: boolean;
  sync(version: 'v1' | 'v2'): Promise<void>;
  /** Creates, updates or deletes a row, then reloads what depends on the model. */
  change(action: ChangeAction): Promise<boolean>;
  reloadLog(): void;
  clearError(): void;
}

export type ChangeAction =
  | { kind: 'create'; table: Table; body: InputOf<Table> }
  | { kind: 'update'; table: Table; id: number; body: InputOf<Table> }
  | { kind: 'remove'; table: Table; id: number };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Loads the catalogue, the model and the decision log once, and the log again whenever a new
 * connection of this lab appears in the feed (a request from the console or from curl).
 */
export function useAccess(feed: LabFeed): AccessState {
  const [catalogue, setCatalogue] = useState<CatalogueView | null>(null);
  const [model, setModel] = useState<AccessModel | null>(null);
  const [log, setLog] = useState<DecisionLogView>({ decisions: [], changes: [] });
  const [diff, setDiff] = useState<CatalogueDiffView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const logRequest = useRef(0);

  const reloadLog = useCallback(() => {
    const mine = ++logRequest.current;
    void gatewayApi
      .decisions(200)
      .then((r) => mine === logRequest.current && setLog(r))
      .catch(() => {});
  }, []);
  const reloadModel = useCallback(async () => {
    const [m, c] = await Promise.all([gatewayApi.model(), gatewayApi.catalogue()]);
    setModel(m);
    setCatalogue(c);
  }, []);

  useEffect(() => {
    void reloadModel().catch((err) => setError(message(err)));
    reloadLog();
  }, [reloadModel, reloadLog]);

  // A finished connection means a decision may have been logged: fetch the log again.
  const connections = feed.listConnections();
  const closed = connections.filter((c) => c.endedAt).length;
  const newest = connections[0]?.id;
  useEffect(() => {
    if (newest) reloadLog();
  }, [newest, closed, reloadLog]);

  const sync = useCallback(
    async (version: 'v1' | 'v2') => {
      setBusy(true);
      try {
        const r = await gatewayApi.sync(version);
        setCatalogue(r.catalogue);
        setDiff(r.diff);
        setError(null);
        reloadLog();
      } catch (err) {
        setError(message(err));
      } finally {
        setBusy(false);
      }
    },
    [reloadLog],
  );

  const change = useCallback(
    async (action: ChangeAction) => {
      setBusy(true);
      try {
        if (action.kind === 'create') await gatewayApi.create(action.table, action.body);
        else if (action.kind === 'update') await gatewayApi.update(action.table, action.id, action.body);
        else await gatewayApi.remove(action.table, action.id);
        setError(null);
        return true;
      } catch (err) {
        setError(message(err));
        return false;
      } finally {
        await reloadModel().catch(() => {});
        reloadLog();
        setBusy(false);
      }
    },
    [reloadModel, reloadLog],
  );

  return { catalogue, model, log, diff, error, busy, sync, change, reloadLog, clearError: () => setError(null) };
}
