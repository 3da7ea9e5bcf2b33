/**
 * The ZeroMQ lab's API client, one function per route of servers/zmq/lab/contracts.ts (shapes taken
 * from the contracts, replies parsed by their schemas), and the `zmq` block of GET /api/lab.
 */
import { callRoute } from '@/lib/http/contract.ts';
import { zmqContracts as c, type ZmqConsoleKind, type ZmqInfo, type ZmqWorkers } from '@/servers/zmq/lab/contracts.ts';
import { labInfoOf, type LabInfo } from '@/components/lab/use-lab-info';

export type { ZmqConsoleKind, ZmqInfo, ZmqWorkers };
export { MAX_THINK_MS, MAX_WORKERS, ZMQ_PORT_OFFSETS, ZMQ_SOCKETS, ZMQ_TOPICS } from '@/servers/zmq/lab/contracts.ts';

/** The zmq block of /api/lab, if the ZeroMQ lab is running. */
export function zmqInfoOf(info: LabInfo | null): ZmqInfo | null {
  return labInfoOf(info, 'zmq');
}

/** The ZeroMQ lab's API, one function per route. */
export const zmqApi = {
  setThink: (ms: number) => callRoute(c.think, { body: { ms } }),
  workers: () => callRoute(c.workers),
  setWorkers: (count: number) => callRoute(c.setWorkers, { body: { count } }),
};
