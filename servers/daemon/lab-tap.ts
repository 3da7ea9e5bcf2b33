/**
 * The tap in front of a lab's real server, with what every lab's tap shares filled in: it listens on
 * LAB_HOST at the lab's public port, files connections through the daemon's sandbox policy, publishes on
 * the bus and reaches the server in process (handed each connection), on loopback or on a Unix socket.
 * If the public port cannot be opened, the server is stopped too, so a failed start leaves nothing running.
 */
import { loopbackOrigins } from '../../lib/wire/origins.ts';
import type { ThreadDissectorName } from '../../lib/protocols/thread-dissectors.ts';
import { Tap, type InProcessTarget, type TapOptions } from '../../lib/wire/tap.ts';
import type { LabContext } from './lab.ts';

/** What differs from one lab's tap to another's. */
export interface LabTapOptions extends Pick<TapOptions, 'protocol' | 'dissector' | 'portEnvVar' | 'maxConnectionsPerClient' | 'refusalLine' | 'step'> {
  /** The public port (0: a free port the system picks, tests). */
  port: number;
  /** The real server's internal loopback port, its Unix socket path, or the server itself (in process). */
  target: number | { path: string } | InProcessTarget;
  /** The same dissector by its name on the dissect thread (lib/protocols/thread-dissectors.ts), if it has one. */
  threadDissector?: ThreadDissectorName;
}

export async function openLabTap(ctx: Pick<LabContext, 'config' | 'bus' | 'sandboxes' | 'sandboxLimit' | 'dissectThread'>, server: { stop(): Promise<void> }, options: LabTapOptions): Promise<Tap> {
  const { port, target, threadDissector, ...rest } = options;
  const thread = threadDissector ? ctx.dissectThread?.() : undefined;
  // Its dissectors loaded before the port opens (a slow start would only delay transcripts, never connections).
  if (thread) await thread.whenReady(10_000);
  const tap = new Tap({
    ...rest,
    ...(thread && threadDissector ? { dissectThread: { thread, name: threadDissector } } : {}),
    resolveSandbox: ctx.sandboxes.ofConnection,
    listen: { host: ctx.config.host, port },
    target: typeof target === 'number' ? { host: '127.0.0.1', port: target } : target,
    bus: ctx.bus,
    sandboxLimit: ctx.sandboxLimit,
    // Connections the daemon opens to its own taps through other code (SSH tunnels) say where they come from.
    origins: loopbackOrigins,
  });
  return tap.listenOrStop(server);
}
