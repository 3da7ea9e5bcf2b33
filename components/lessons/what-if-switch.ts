import type { FaultRule } from '@/lib/faults/types.ts';

/** Whose switch a what-if is: see whatIfSwitch. */
export type WhatIfSwitch = 'arm' | 'owners' | 'unknown';

/**
 * Whose switch a step's what-if is for this browser: `arm` (its own button), `owners` (a rule acting on
 * what every sandbox shares, which only the machine owner arms: the daemon answers anyone else 403), or
 * `unknown` until the Faults catalogue has been read (the box then offers the button, as before).
 */
export function whatIfSwitch(rule: string, faults: { rules: readonly Pick<FaultRule, 'id' | 'shared'>[]; owner: boolean } | null): WhatIfSwitch {
  if (!faults) return 'unknown';
  const shared = faults.rules.find((r) => r.id === rule)?.shared === true;
  return shared && !faults.owner ? 'owners' : 'arm';
}
