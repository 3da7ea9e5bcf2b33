/**
 * The access-control lab's API client, one function per route of servers/gateway/lab/contracts.ts
 * (shapes taken from the contracts, replies parsed by their schemas), and the `gateway` block of
 * GET /api/lab.
 */
import type { z } from 'zod';
import { callRoute, type ReplyOf } from '@/lib/http/contract.ts';
import { labInfoOf, type LabInfo } from '@/components/lab/use-lab-info';
import { accessContracts as c, type AccessModel, type CatalogueDiffView, type CatalogueServiceView, type CatalogueView, type ChangeRecord, type DecisionRecord, type TraceStep } from '@/servers/gateway/lab/contracts.ts';
import type { GatewayInfo } from '@/servers/gateway/lab.ts';

export type { AccessModel, CatalogueDiffView, CatalogueServiceView, CatalogueView, ChangeRecord, DecisionRecord, GatewayInfo, TraceStep };

/** POST /api/access/request's body and reply. */
export type ConsoleRequestBody = z.input<typeof c.request.body>;
export type ConsoleExchange = ReplyOf<typeof c.request>;
export type DecisionLogView = ReplyOf<typeof c.decisions>;

/** The model's tables an editor changes, by the contracts' names. */
export type Table = 'features' | 'products' | 'communities' | 'clubs' | 'users' | 'subscriptions' | 'blacklist';
/** The body each table's create and update take. */
export type InputOf<T extends Table> = z.input<(typeof c)[T]['create']['body']>;

/** The gateway block of /api/lab, if the access-control lab is running. */
export function gatewayInfoOf(info: LabInfo | null): GatewayInfo | null {
  return labInfoOf(info, 'gateway');
}

/** The access-control lab's API, one function per route. */
export const gatewayApi = {
  catalogue: () => callRoute(c.catalogue),
  sync: (version: 'v1' | 'v2') => callRoute(c.sync, { body: { version } }),
  model: () => callRoute(c.model),
  decisions: (limit = 100) => callRoute(c.decisions, { query: { limit } }),
  request: (body: ConsoleRequestBody) => callRoute(c.request, { body }),
  /** Adds a row; the page reloads the model after any change, so the reply is not passed on. */
  create: async <T extends Table>(table: T, body: InputOf<T>): Promise<void> => {
    // One call for seven tables: their contracts differ only in schema, which the server checks.
    await callRoute(c[table].create as (typeof c)['features']['create'], { body: body as InputOf<'features'> });
  },
  update: async <T extends Table>(table: T, id: number, body: InputOf<T>): Promise<void> => {
    await callRoute(c[table].update as (typeof c)['features']['update'], { params: { id }, body: body as InputOf<'features'> });
  },
  remove: async (table: Table, id: number): Promise<void> => {
    await callRoute(c[table].remove, { params: { id } });
  },
};
