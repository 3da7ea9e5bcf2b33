/** Options of a wait: where to start reading, what to call it in a failure, how long to wait. */
export interface WaitOptions {
  /** Index of the first arrival that may match; defaults to just past what the previous wait matched. */
  from?: number;
  /** What the wait is for, named in the failure. */
  what?: string;
  /** Fails (with what did arrive) after this long; below the test timeout so the reason is shown. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * What a test client received, in order, with waits that only new arrivals satisfy: each wait starts
 * at a cursor just past what the previous wait matched (as an `expect` script reads a stream), so the
 * greeting's 220 cannot answer a wait for STARTTLS's 220. Waits are event-driven, never polled.
 */
export class Arrivals<T> {
  readonly items: T[] = [];
  private cursor = 0;
  private waiters: { from: number; test: (item: T) => boolean; resolve: (at: number) => void }[] = [];

  constructor(private readonly show: (item: T) => string = (item) => JSON.stringify(item)) {}

  /** Where the next arrival will land: pass it as `from` to wait only for what comes after an action. */
  get mark(): number {
    return this.items.length;
  }

  push(item: T): void {
    const at = this.items.push(item) - 1;
    this.waiters = this.waiters.filter((w) => (at >= w.from && w.test(item) ? (w.resolve(at), false) : true));
  }

  /** Resolves with the first arrival at or after `from` that passes `test`, and moves the cursor past it. */
  async next(test: (item: T) => boolean, options: WaitOptions = {}): Promise<T> {
    const at = await this.indexOf(test, options);
    this.cursor = Math.max(this.cursor, at + 1);
    return this.items[at];
  }

  /** Index of the first arrival at or after `from` that passes `test` (waits for it; leaves the cursor). */
  indexOf(test: (item: T) => boolean, options: WaitOptions = {}): Promise<number> {
    const from = options.from ?? this.cursor;
    for (let at = from; at < this.items.length; at++) if (test(this.items[at])) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const waiter = {
        from,
        test,
        resolve: (at: number) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.items.slice(from).slice(-10).map(this.show).join('\n  ');
        reject(new Error(`no ${options.what ?? 'matching arrival'} after #${from}; last arrivals:\n  ${seen}`));
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      this.waiters.push(waiter);
    });
  }
}
