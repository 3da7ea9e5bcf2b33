/**
 * The lab's own PULL workers for the pipeline pattern: each worker is a PULL socket connected to the
 * ventilator's port (tasks fan out to it round-robin) and a PUSH socket connected to the sink's port
 * (results fan in). Their four-per-two connections go through the taps, labelled for the sandbox and
 * browser that started them. One pool per sandbox.
 */
import { EventEmitter } from 'node:events';
import * as zmq from 'zeromq';
import type { Tap } from '../../../lib/wire/tap.ts';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import { MAX_WORKERS, type ZmqSocketName } from './contracts.ts';
import { openLink, type OwnLink } from './link.ts';

export interface WorkerTally {
  id: number;
  tasks: number;
  results: number;
}

interface Worker extends WorkerTally {
  pull: zmq.Pull;
  push: zmq.Push;
  links: OwnLink[];
  done: Promise<void>;
}

export interface WorkerPoolDeps {
  tapOf: Record<ZmqSocketName, Tap>;
  /** Directory for the workers' private ipc links. */
  dir: string;
}

/** A worker took a task (for the workers console's lanes). */
export interface WorkerTask {
  sandbox: string;
  id: number;
  task: string;
}

export class WorkerPools {
  readonly events = new EventEmitter<{ task: [WorkerTask] }>();
  private readonly pools = new Map<string, Worker[]>();
  private nextId = 0;
  /** Serialises start/stop per process so two requests cannot overshoot the count. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: WorkerPoolDeps) {}

  tallies(sandbox: string): WorkerTally[] {
    return (this.pools.get(sandbox) ?? []).map(({ id, tasks, results }) => ({ id, tasks, results }));
  }

  /** Starts or stops workers of `owner`'s sandbox until `count` run; resolves with their tallies. */
  setCount(owner: ConnectionOwner, count: number): Promise<WorkerTally[]> {
    const wanted = Math.max(0, Math.min(MAX_WORKERS, Math.floor(count)));
    const run = this.queue.then(async () => {
      const pool = this.pools.get(owner.sandbox) ?? [];
      this.pools.set(owner.sandbox, pool);
      while (pool.length > wanted) await stopWorker(pool.pop() as Worker);
      while (pool.length < wanted) pool.push(await this.startWorker(owner));
      return this.tallies(owner.sandbox);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  async stopAll(): Promise<void> {
    await this.queue;
    for (const pool of this.pools.values()) for (const worker of pool.splice(0)) await stopWorker(worker);
  }

  private async startWorker(owner: ConnectionOwner): Promise<Worker> {
    const id = ++this.nextId;
    const { tapOf, dir } = this.deps;
    const label = (what: string) => `worker ${id} ${what}`;
    const own = (tap: Tap, what: string) => openLink(dir, () => {
      const { socket, accepted } = tap.connectOwnClient(label(what), owner);
      return { stream: socket, accepted };
    });
    const links = [await own(tapOf.push, '(tasks)'), await own(tapOf.pull, '(results)')];
    const pull = new zmq.Pull({ linger: 0 });
    const push = new zmq.Push({ linger: 0, sendTimeout: 2000 });
    pull.connect(links[0].endpoint);
    push.connect(links[1].endpoint);
    const worker: Worker = { id, tasks: 0, results: 0, pull, push, links, done: Promise.resolve() };
    worker.done = (async () => {
      try {
        for await (const [task] of pull) {
          worker.tasks++;
          const text = task.toString('utf8');
          this.events.emit('task', { sandbox: owner.sandbox, id, task: text });
          await push.send(`${text.replace(/^task/, 'result')} from worker ${id}`);
          worker.results++;
        }
      } catch {
        // Closed while sending or receiving: the worker is being stopped.
      }
    })();
    return worker;
  }
}

async function stopWorker(worker: Worker): Promise<void> {
  worker.pull.close();
  worker.push.close();
  await worker.done;
  for (const link of worker.links) await link.close();
}
