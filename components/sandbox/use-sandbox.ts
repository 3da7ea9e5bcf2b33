'use client';

import { useEffect, useState } from 'react';
import type { SandboxReply } from '@/lib/http/sandbox-contracts.ts';
import { sandboxApi } from './sandbox-api';

/** What GET /api/lab said about this browser's sandbox: not yet, a sandbox, or why none (a LAN browser with no cookie). */
export type SandboxState = { kind: 'loading' } | { kind: 'in'; reply: SandboxReply } | { kind: 'none'; message: string };

/** This browser's sandbox, read once per page load (every sandbox action reloads the page). */
export function useSandbox(): SandboxState {
  const [state, setState] = useState<SandboxState>({ kind: 'loading' });
  useEffect(() => {
    sandboxApi.current().then(
      (reply) => setState({ kind: 'in', reply }),
      (e: Error) => setState({ kind: 'none', message: e.message }),
    );
  }, []);
  return state;
}
