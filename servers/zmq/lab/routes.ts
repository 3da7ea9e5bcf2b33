/**
 * The ZeroMQ lab's API under /api/zmq/…: the REP's think time (the one REP every sandbox talks to,
 * so only the machine owner's sandbox sets it) and the calling sandbox's own PULL workers. Input is
 * validated by the contracts (contracts.ts).
 */
import { defineRoute, type ApiRoute } from '../../../lib/http/api-kit.ts';
import { ownerOfRequest, requireOwnerSandbox, type SandboxPolicy } from '../../daemon/sandboxes.ts';
import type { ZmqServer } from '../server.ts';
import { zmqContracts as c, type ZmqWorkers } from './contracts.ts';
import type { WorkerPools, WorkerTally } from './workers.ts';

export interface ZmqRouteContext {
  sandboxes: SandboxPolicy;
  workers: WorkerPools;
  server: Pick<ZmqServer, 'thinkMs' | 'tasksSent' | 'resultsReceived' | 'taskIntervalMs'>;
  /** The machine owner's sandbox: the only one that sets the shared REP's think time. */
  ownerSandbox: string;
}

export function zmqRoutes(ctx: ZmqRouteContext): ApiRoute[] {
  const state = (workers: WorkerTally[]): ZmqWorkers => ({
    workers,
    tasksSent: ctx.server.tasksSent,
    resultsReceived: ctx.server.resultsReceived,
    taskIntervalMs: ctx.server.taskIntervalMs,
  });
  return [
    defineRoute(c.think, ({ body, req }) => {
      requireOwnerSandbox(ctx.sandboxes, req, ctx.ownerSandbox, "The ZeroMQ REP's think time is");
      ctx.server.thinkMs = body.ms;
      return { thinkMs: ctx.server.thinkMs };
    }),
    defineRoute(c.workers, ({ req }) => state(ctx.workers.tallies(ctx.sandboxes.ofRequest(req)))),
    defineRoute(c.setWorkers, async ({ body, req }) => state(await ctx.workers.setCount(ownerOfRequest(ctx.sandboxes, req), body.count))),
  ];
}
