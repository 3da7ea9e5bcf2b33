/**
 * One overall time budget per benchmark run. A bench names its phases as it goes (`phase('RETR
 * via tap, round 2')`); when the budget runs out it prints the phase it was in, how long that
 * phase had run and what still holds the event loop, and exits non-zero instead of hanging.
 * `done()` ends the budget; a bench that then fails to exit on its own (a leaked timer or socket)
 * is reported the same way after a short grace. BENCH_TIMEOUT_S overrides the budget.
 */

export interface BenchBudget {
  /** Marks the start of a named phase (also printed when the budget runs out). */
  phase(name: string): void;
  /** The run is over: from now on the process must exit by itself within `exitGraceMs`. */
  done(): void;
}

const EXIT_GRACE_MS = 10_000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Starts the budget for bench `name` (default `defaultSeconds`, or BENCH_TIMEOUT_S). */
export function benchBudget(name: string, defaultSeconds: number): BenchBudget {
  const fromEnv = Number(process.env.BENCH_TIMEOUT_S);
  const budgetMs = (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : defaultSeconds) * 1000;
  const started = performance.now();
  let current = 'start';
  let phaseStarted = started;
  let finished = false;
  let reported = false;

  const report = (why: string) => {
    reported = true;
    const now = performance.now();
    // Resource kinds only (Timeout, TCPSocketWrap, FSReqCallback…): enough to tell what is open.
    const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    console.error(
      `\n${name}: ${why}; ${seconds(now - started)} into the run, in phase "${current}" (for ${seconds(now - phaseStarted)}); ` +
        `still open: ${open.length ? open.join(', ') : 'nothing'}`,
    );
  };
  const fire = (why: string, code: number) => () => {
    report(why);
    process.exit(code);
  };

  // Unref'd: it never keeps a finished bench alive, but fires while anything else does.
  let timer = setTimeout(fire(`budget of ${seconds(budgetMs)} ran out`, 124), budgetMs);
  timer.unref();
  // An error, or the loop ran dry with work still awaited (Node exits 13 on an unsettled
  // top-level await, with no message of its own).
  process.on('exit', (code) => {
    if (!finished && !reported) report(`stopped before finishing (exit code ${process.exitCode ?? code})`);
  });

  return {
    phase(next) {
      current = next;
      phaseStarted = performance.now();
      console.error(`[${seconds(phaseStarted - started).padStart(7)}] ${name}: ${next}`);
    },
    done() {
      finished = true;
      clearTimeout(timer);
      current = 'exiting (bench finished, something still holds the process)';
      phaseStarted = performance.now();
      timer = setTimeout(fire(`did not exit ${seconds(EXIT_GRACE_MS)} after finishing`, 125), EXIT_GRACE_MS);
      timer.unref();
    },
  };
}
