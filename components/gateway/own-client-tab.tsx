'use client';

import { atHost, httpUrl, labHost } from '@/components/lab/address';
import { OWNER_SANDBOX_NOTICE, OwnClientTab } from '@/components/lab/own-client';
import type { LabInfo } from '@/components/lab/use-lab-info';
import type { AccessModel, GatewayInfo } from './api';
import { gatewayRecipes, type GatewayRecipeTargets } from './recipes';

/** The service host on the address this browser's clients reach (GET /api/lab's host), e.g. http://127.0.0.1:8090. */
export const gatewayBaseUrl = (info: LabInfo | null, gateway: GatewayInfo | null, fallbackPort: number): string =>
  atHost(gateway?.baseUrl ?? httpUrl(labHost(info), fallbackPort), labHost(info));

/** The recipes' targets from GET /api/lab and the model: the live address and port, the lab password, the users' keys. */
export function recipeTargets(info: LabInfo | null, gateway: GatewayInfo | null, model: AccessModel | null, fallbackPort: number): GatewayRecipeTargets {
  return {
    baseUrl: gatewayBaseUrl(info, gateway, fallbackPort),
    password: info?.password ?? 'LAB_PASSWORD',
    keys: Object.fromEntries((model?.users ?? []).map((u) => [u.name, u.apiKey])),
  };
}

/**
 * The "Own client" tab: curl as different users, by password or API key, with this lab's values.
 * The demo users' password is the sandbox's own login password. Where this machine's clients would
 * not land in the browser's sandbox (clientsLandHere), the page's password and keys would be wrong
 * for the sandbox they land in: one sentence says so instead.
 */
export function GatewayOwnClient(props: { info: LabInfo | null; gateway: GatewayInfo | null; model: AccessModel | null; port: number }) {
  const t = recipeTargets(props.info, props.gateway, props.model, props.port);
  if (props.info?.clientsLandHere === false) {
    return <OwnClientTab recipes={[]} facts={[['Service host', t.baseUrl]]} testId="gateway-facts" notice={OWNER_SANDBOX_NOTICE} />;
  }
  const facts: [string, string][] = [
    ['Service host', t.baseUrl],
    [props.info?.shared === false ? 'Password of every demo user (your sandbox’s)' : 'Password of every demo user', t.password],
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
