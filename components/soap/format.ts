/** Small wording helpers of the SOAP lab's forms, table and ladder. */

/** 1 → "1st", 2 → "2nd", 11 → "11th". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A request's arguments in a student's words: `getMonth 2003-01`, `getYear 2024`. */
export function describeRequest(row: { operation: string; args: Record<string, number> }): string {
  const { year, month } = row.args;
  return month === undefined ? `${row.operation} ${year}` : `${row.operation} ${year}-${String(month).padStart(2, '0')}`;
}

/** Most a request may ask the service to think (servers/soap/precheck.ts MAX_DELAY_MS, the API's delayMs limit). */
const MAX_THINK_MS = 10_000;

/** Why a think-time field cannot be sent, in the form's words, or null (blank is fine: none, or random by mail). */
export function thinkTimeProblem(delay: string): string | null {
  const text = delay.trim();
  if (text === '' || (/^\d+$/.test(text) && Number(text) <= MAX_THINK_MS)) return null;
  return `the think time must be blank or a whole number of ms from 0 to ${MAX_THINK_MS}, not "${delay}"`;
}
