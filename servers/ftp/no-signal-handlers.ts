/**
 * Fix: every `new FtpSrv()` installs process-wide SIGTERM/SIGINT/SIGQUIT listeners that call
 * `process.exit(0)` after closing (and can hang) — not acceptable inside a daemon hosting other
 * labs (ftp-srv src/index.js constructor; PITFALLS.md). We construct it, then remove exactly the
 * listeners the constructor added, leaving everyone else's alone.
 */
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/** Runs `construct` and removes the signal listeners it added to `process`. */
export function withoutSignalHandlers<T>(construct: () => T): T {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const result = construct();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return result;
}
