/** The classroom pages' few shared class names (the lab pages' own look: slate chrome, sky actions). */
export const field = 'rounded border border-slate-700 bg-slate-900 px-2 py-1 text-slate-100';
export const primaryButton = 'rounded-md border border-sky-500 bg-sky-500/15 px-3 py-1 text-sky-100 hover:bg-sky-500/25 disabled:opacity-40';
export const button = 'rounded-md border border-slate-600 px-3 py-1 text-slate-200 hover:border-slate-400 disabled:opacity-40';
export const smallButton = 'rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:border-slate-400 disabled:opacity-40';
/** A small button whose action takes something away (a student's row): red, and behind a confirm. */
export const dangerButton = 'rounded border border-red-500 bg-red-500/15 px-2 py-0.5 text-xs text-red-100 hover:bg-red-500/25 disabled:opacity-40';
export const errorBox = 'rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200';
export const noticeBox = 'rounded border border-amber-700 bg-amber-950/40 px-3 py-1 text-amber-100';

/** '12 s ago', '3 min ago', '2 h ago': when a student was last seen, read at a glance. */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** The error text of anything thrown (the API's own words for an ApiError). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
