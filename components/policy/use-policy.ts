'use client';

import { useCallback, useEffect, useState } from 'react';
import { policyApi, type CallReply, type PolicyState } from './api';

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

/** The page's one copy of the lab's state (GET /api/policy/state), replaced by every action's reply. */
export function usePolicy(): PolicyModel {
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
      try {
        const reply = await action();
        const next = 'state' in reply && 'ok' in reply ? reply.state : (reply as PolicyState);
        if ('ok' in reply) setLastCall(reply);
        setState(next);
      } catch (err) {
        setError(message(err));
      } finally {
        setBusy(null);
      }
    },
    [],
  );

  return { state, busy, error, lastCall, run };
}
