'use client';

import { useCallback, useEffect, useState } from 'react';
import type { LabFeed } from '@/components/lab/lab-feed';
import { loadTranscript } from '@/components/lab/use-lab-feed';
import { policyApi, type CallReply, type LadderRow, type PolicyState } from './api';

export interface PolicyModel {
  state: PolicyState | null;
  /** What is in flight: 'fetch', 'call', 'provider'… (buttons disable while busy). */
  busy: string | null;
  error: string | null;
  lastCall: CallReply | null;
  /** Runs one lab action; its reply's state replaces the page's. */
  run(label: string, action: () => Promise<PolicyState | CallReply>): Promise<void>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The page's one copy of the lab's state (GET /api/policy/state), replaced by every action's reply. After an
 * action, the SOAP connections its rungs name are loaded whole into the feed, in case a live event was missed.
 */
export function usePolicy(feed: LabFeed): PolicyModel {
  const [state, setState] = useState<PolicyState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastCall, setLastCall] = useState<CallReply | null>(null);

  useEffect(() => {
    void policyApi
      .state()
      .then(setState)
      .catch((err: unknown) => setError(`The WS-Policy lab does not answer: ${message(err)}`));
  }, []);

  const run = useCallback(
    async (label: string, action: () => Promise<PolicyState | CallReply>) => {
      setBusy(label);
      setError(null);
      const before = new Set((state?.ladder ?? []).map((r) => r.conn));
      try {
        const reply = await action();
        const next = 'state' in reply && 'ok' in reply ? reply.state : (reply as PolicyState);
        if ('ok' in reply) setLastCall(reply);
        setState(next);
        const fresh = next.ladder.map((r: LadderRow) => r.conn).filter((c): c is string => c !== null && !before.has(c));
        for (const id of fresh) void loadTranscript(feed, id).catch(() => {});
      } catch (err) {
        setError(message(err));
      } finally {
        setBusy(null);
      }
    },
    [feed, state],
  );

  return { state, busy, error, lastCall, run };
}
