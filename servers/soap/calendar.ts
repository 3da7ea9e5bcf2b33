/**
 * The Calendar service's text layout, as in the seed article's Listing 5 (Python's
 * `calendar.month()` with Monday first): the title centred over the 20-column week, the
 * weekday header, then one line per week with days right-aligned in two columns separated
 * by one space. Lines carry no trailing spaces; the text ends with a newline like Python's.
 */

export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/** Monday first, as in ISO 8601 and in the seed. */
export const WEEKDAY_HEADER = 'Mo Tu We Th Fr Sa Su';

const WIDTH = WEEKDAY_HEADER.length; // 7 columns of 2 characters + 6 separating spaces = 20

/** The proleptic Gregorian calendar the service accepts (what xsd:int and JS Date handle sanely). */
export const YEAR_RANGE = { min: 1, max: 9999 } as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** 0 = Monday … 6 = Sunday, for the first day of the month. */
function firstWeekday(year: number, month: number): number {
  const date = new Date(Date.UTC(2000, month - 1, 1));
  date.setUTCFullYear(year); // years below 100 would otherwise be read as 19xx
  return (date.getUTCDay() + 6) % 7;
}

/** Centres like Python's str.center: the extra space goes to the right when the padding is odd. */
function centre(text: string, width: number): string {
  const total = Math.max(0, width - text.length);
  const left = Math.floor(total / 2);
  return ' '.repeat(left) + text;
}

/** The week lines of one month: arrays of 7 cells, blank cells for days of the neighbouring months. */
export function monthWeeks(year: number, month: number): (number | null)[][] {
  const weeks: (number | null)[][] = [];
  let week: (number | null)[] = Array.from({ length: firstWeekday(year, month) }, () => null);
  for (let day = 1; day <= daysInMonth(year, month); day++) {
    week.push(day);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push(week);
  return weeks;
}

function weekLine(week: (number | null)[]): string {
  return week.map((day) => (day === null ? '  ' : String(day).padStart(2, ' '))).join(' ').trimEnd();
}

/** One month as text, e.g. formatMonth(2003, 1) → "January 2003\nMo Tu We Th Fr Sa Su\n       1  2…". */
export function formatMonth(year: number, month: number): string {
  const lines = [centre(`${MONTH_NAMES[month - 1]} ${year}`, WIDTH), WEEKDAY_HEADER];
  for (const week of monthWeeks(year, month)) lines.push(weekLine(week));
  return lines.join('\n') + '\n';
}

/** A whole year: the year centred, then the twelve months one after another, separated by blank lines. */
export function formatYear(year: number): string {
  const months = Array.from({ length: 12 }, (_, i) => formatMonth(year, i + 1));
  return `${centre(String(year), WIDTH)}\n\n${months.join('\n')}`;
}
