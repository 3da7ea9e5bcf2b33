/**
 * Waits with an overall deadline whose failure names what was awaited. The deadline is generous (the CI
 * machine has 2 loaded cores) and stays below the test timeout, so a hang fails with a reason, not as
 * "Test timed out".
 */

const DEFAULT_MS = 20_000;

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, what: string, ms = DEFAULT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err)),
    );
  });
}

/**
 * Resolves once `check` holds, re-checked every 20 ms: only for state no event announces (a descriptor the
 * daemon closed, read from /proc). Rejects naming `what` after `ms`.
 */
export async function until(check: () => boolean, what: string, ms = DEFAULT_MS): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
