'use client';

import { useEffect, useState } from 'react';
import type { LabFeed } from '@/components/lab/lab-feed';
import { Panel } from '@/components/lab/panel';
import type { ViewMode } from '@/components/terminal/render';
import { MAX_WORKERS, zmqApi, type ZmqInfo, type ZmqWorkers } from './api';
import { Explain } from './explain';
import { ZmqConsole } from './zmq-console';

/** How often the tallies are read while the tab is open. */
const POLL_MS = 1000;

/** The lab's workers and the fan-in tallies, read every second; `set` starts or stops workers. */
function useWorkers() {
  const [state, setState] = useState<ZmqWorkers | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const read = () =>
      zmqApi
        .workers()
        .then((w) => !stopped && (setState(w), setError(null)))
        .catch((err: unknown) => !stopped && setError(err instanceof Error ? err.message : String(err)));
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  const set = (count: number) =>
    void zmqApi
      .setWorkers(count)
      .then(setState)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  return { state, error, set };
}

/**
 * Fan-out as lanes: the ventilator (PUSH) on the left deals tasks round-robin, one lane per
 * connected worker with its tally, and every lane ends at the sink (PULL).
 */
export function WorkerLanes({ workers }: { workers: ZmqWorkers }) {
  const max = Math.max(1, ...workers.workers.map((w) => w.tasks));
  return (
    <div className="grid grid-cols-[auto_minmax(0,1fr)_auto] items-stretch gap-x-3 text-sm" data-testid="worker-lanes">
      <div className="flex flex-col justify-center rounded border border-sky-700 bg-sky-950/40 px-2 py-1 text-center">
        <div className="font-semibold text-sky-200">PUSH</div>
        <div className="text-xs text-slate-400">ventilator</div>
        <div className="tabular-nums text-slate-200" data-testid="tasks-sent">{workers.tasksSent} sent</div>
      </div>
      <ol className="flex flex-col justify-center gap-1.5">
        {workers.workers.length === 0 && <li className="text-slate-400">No workers: start some. The ventilator holds its tasks until one connects.</li>}
        {workers.workers.map((w) => (
          <li key={w.id} className="grid grid-cols-[5.5rem_minmax(0,1fr)_auto] items-center gap-2" data-testid="worker-lane">
            <span className="text-slate-300">worker {w.id}</span>
            <span className="h-3 rounded bg-slate-800">
              <span className="block h-3 rounded bg-emerald-500/70" style={{ width: `${(w.tasks / max) * 100}%` }} />
            </span>
            <span className="tabular-nums text-xs text-slate-300" data-testid="worker-tally">
              {w.tasks} tasks → {w.results} results
            </span>
          </li>
        ))}
      </ol>
      <div className="flex flex-col justify-center rounded border border-emerald-700 bg-emerald-950/40 px-2 py-1 text-center">
        <div className="font-semibold text-emerald-200">PULL</div>
        <div className="text-xs text-slate-400">sink</div>
        <div className="tabular-nums text-slate-200" data-testid="results-received">{workers.resultsReceived} in</div>
      </div>
    </div>
  );
}

/** PUSH/PULL: the lab's ventilator, its workers as lanes, the sink; and a worker console of your own. */
export function WorkersTab(props: { feed: LabFeed; mode: ViewMode; ports: ZmqInfo['ports'] }) {
  const { state, error, set } = useWorkers();
  const count = state?.workers.length ?? 0;
  return (
    <div className="grid h-full min-h-0 grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <ZmqConsole
        kind="workers"
        title={`PULL ← tcp://127.0.0.1:${props.ports.push} · PUSH → :${props.ports.pull}`}
        feed={props.feed}
        mode={props.mode}
        suggestions={[
          { label: 'start 3', lines: ['start 3'], hint: 'Three of the lab’s PULL workers for your sandbox' },
          { label: 'tally', lines: ['tally'], hint: 'Tasks and results per worker' },
          { label: 'stop', lines: ['stop'], hint: 'Stop the workers' },
          { label: 'help', lines: ['help'], hint: 'What this console understands' },
        ]}
      />
      <Panel
        title="Fan-out, fan-in"
        actions={
          <label className="flex items-center gap-1.5 text-xs text-slate-400">
            lab workers
            <select
              className="rounded border border-slate-700 bg-slate-900 px-1.5 py-0.5 text-slate-200"
              value={count}
              onChange={(e) => set(Number(e.target.value))}
              aria-label="Lab workers"
            >
              {Array.from({ length: MAX_WORKERS + 1 }, (_, n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <div className="h-full space-y-3 overflow-y-auto p-3">
          {error && <p className="text-sm text-red-300">{error}</p>}
          {state ? <WorkerLanes workers={state} /> : <p className="text-sm text-slate-400">Loading the workers…</p>}
          <Explain title="Round-robin out, fair-queued in" refs="ZMTP RFC 37 §4.3">
            <p>
              The ventilator’s PUSH socket deals each task to the next connected worker in turn, so the lanes fill
              evenly. A worker that connects later joins the rotation from then on. Every worker pushes its result to the
              sink’s PULL, which reads them from all workers fairly.
            </p>
            <p className="text-slate-400">
              Nothing is sent to a worker that is not connected: with no workers, tasks wait in the ventilator.
              {state ? ` A new task every ${state.taskIntervalMs} ms.` : ''}
            </p>
          </Explain>
        </div>
      </Panel>
    </div>
  );
}
