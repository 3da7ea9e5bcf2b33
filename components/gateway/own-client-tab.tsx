'use client';

import { OwnClientTab } from '@/components/lab/own-client';
import type { LabInfo } from '@/components/lab/use-lab-info';
import type { AccessModel, GatewayInfo } from './api';
import { gatewayRecipes, type GatewayRecipeTargets } from './recipes';

/** The recipes' targets from GET /api/lab and the model: the live port, the lab password, the users' keys. */
export function recipeTargets(info: LabInfo | null, gateway: GatewayInfo | null, model: AccessModel | null, fallbackPort: number): GatewayRecipeTargets {
  return {
    baseUrl: gateway?.baseUrl ?? `http://127.0.0.1:${fallbackPort}`,
    password: info?.password ?? 'LAB_PASSWORD',
    keys: Object.fromEntries((model?.users ?? []).map((u) => [u.name, u.apiKey])),
  };
}

/** The "Own client" tab: curl as different users, by password or API key, with this lab's values. */
export function GatewayOwnClient(props: { info: LabInfo | null; gateway: GatewayInfo | null; model: AccessModel | null; port: number }) {
  const t = recipeTargets(props.info, props.gateway, props.model, props.port);
  const facts: [string, string][] = [
    ['Service host', t.baseUrl],
    ['Password of every demo user', t.password],
    ...Object.entries(t.keys).map(([user, key]) => [`X-Api-Key of ${user}`, key] as [string, string]),
  ];
  return (
    <OwnClientTab
      recipes={gatewayRecipes(t)}
      facts={facts}
      testId="gateway-facts"
      footnote="Every request your client makes is decided by the same interceptor and appears in the Decisions tab."
    />
  );
}
