/** Small wording helpers of the mail binding's table and ladder. */

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
