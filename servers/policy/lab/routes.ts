/**
 * The WS-Policy lab's API under /api/policy/… (contracts.ts): the provider admin (per sandbox, live), the
 * client's policy set, fetch, call and refresh. Each browser's sandbox has its own client and cache; the
 * connections a route opens are that browser's (ownerOfRequest), so they appear in its SOAP transcript.
 */
import { defineRoute, type ApiRoute } from '../../../lib/http/api-kit.ts';
import { ownerOfRequest, type SandboxPolicy } from '../../daemon/sandboxes.ts';
import type { PolicyState } from './contracts.ts';
import { policyContracts as c } from './contracts.ts';
import type { PolicyClient } from './client.ts';
import { ORDERS_PATH } from './ns.ts';
import type { OrdersProvider } from './provider.ts';
import { policyScopes } from './wsdl.ts';

export interface PolicyRouteContext {
  provider: OrdersProvider;
  /** The sandbox's client (created on first use). */
  clientOf(sandbox: string): PolicyClient;
  sandboxes: SandboxPolicy;
  publicHost(): string;
}

/** Builds the routes; see README "WS-Policy lab API". */
export function policyRoutes(ctx: PolicyRouteContext): ApiRoute[] {
  const endpoint = () => `http://${ctx.publicHost()}${ORDERS_PATH}`;
  const state = (sandbox: string): PolicyState => {
    const settings = ctx.provider.settings(sandbox);
    return {
      sandbox,
      endpoint: endpoint(),
      wsdlUrl: `${endpoint()}?wsdl`,
      provider: { settings, scopes: policyScopes(settings), wsdl: ctx.provider.wsdl(sandbox, endpoint()) },
      ...ctx.clientOf(sandbox).state(),
    };
  };
  return [
    defineRoute(c.state, ({ req }) => state(ctx.sandboxes.ofRequest(req))),
    defineRoute(c.provider, ({ body, req }) => {
      const sandbox = ctx.sandboxes.ofRequest(req);
      ctx.provider.configure(sandbox, body);
      return state(sandbox);
    }),
    defineRoute(c.client, ({ body, req }) => {
      const sandbox = ctx.sandboxes.ofRequest(req);
      ctx.clientOf(sandbox).configure(body);
      return state(sandbox);
    }),
    defineRoute(c.fetch, async ({ body, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      await ctx.clientOf(owner.sandbox).fetch(owner, body.via);
      return state(owner.sandbox);
    }),
    defineRoute(c.call, async ({ body, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      const reply = await ctx.clientOf(owner.sandbox).call(owner, body.operation, body.args, body.retry);
      return { ...reply, state: state(owner.sandbox) };
    }),
    defineRoute(c.refresh, async ({ body, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      const client = ctx.clientOf(owner.sandbox);
      client.refresh = true;
      if (body.now) await client.fetch(owner);
      return state(owner.sandbox);
    }),
  ];
}
