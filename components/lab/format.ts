/** 2105359 → '2.01 MB'; small counts stay exact. */
export function formatBytes(n: number): string {
  if (n < 10_000) return `${n.toLocaleString('en')} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** 0.4 → '0.4 ms', 1234 → '1.23 s'. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A time of day as '17:48:05', the same on every page whatever the browser's locale (12- or 24-hour). */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB');
}
