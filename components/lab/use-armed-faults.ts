'use client';

import { useEffect, useState } from 'react';
import { callRoute } from '@/lib/http/contract.ts';
import { faultContracts as c, type FaultsReply } from '@/lib/http/fault-contracts.ts';
import { useLabSocket } from './lab-socket';

/**
 * Every lab's scripted-fault catalogue and what is armed in this browser's sandbox now: read once
 * (again after the socket reconnects, when changes may have been missed), then kept by the daemon's
 * `faults` events, which every arming, disarming and firing sends. Null until the first read answers.
 */
export function useArmedFaults(): FaultsReply | null {
  const { subscribe } = useLabSocket();
  const [state, setState] = useState<FaultsReply | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = () =>
      callRoute(c.faults, { query: {} })
        .then((reply) => !stopped && setState(reply))
        .catch(() => {});
    void load();
    const unsubscribe = subscribe((message) => {
      if (message.type === 'hello') void load();
      if (message.type !== 'events') return;
      const latest = message.events.findLast((e) => e.type === 'faults');
      if (latest?.type === 'faults') setState((prev) => prev && { ...prev, armed: latest.armed });
    });
    return () => {
      stopped = true;
      unsubscribe();
    };
  }, [subscribe]);
  return state;
}
