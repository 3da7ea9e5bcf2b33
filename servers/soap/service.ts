/**
 * The Calendar service implementation handed to the soap package: validates the arguments the
 * package parsed and answers with the month text, or throws a `{ Fault }` the package
 * serialises. Any unexpected error becomes a generic Server/Receiver fault: a JavaScript
 * error message never reaches the client (the package would send `Error: …` as the reason).
 */
import type { SoapVersion } from '../../lib/protocols/soap/versions.ts';
import { parseXsdInt } from '../../lib/protocols/soap/xsd-int.ts';
import { YEAR_RANGE, formatMonth, formatYear } from './calendar.ts';
import { packageFault, type FaultSpec } from './faults.ts';
import type { CalendarOperation } from './wsdl.ts';

/** Thrown inside an operation to answer with a fault. */
export class CalendarFaultError extends Error {
  constructor(readonly spec: FaultSpec) {
    super(spec.reason);
  }
}

type Args = Record<string, unknown> | undefined | null;

/** Reads an xsd:int argument in [min, max]; a missing or wrong one is the client's fault. */
function intArg(operation: string, args: Args, name: string, min: number, max: number): number {
  const raw = args && typeof args === 'object' ? args[name] : undefined;
  const expected = `an integer from ${min} to ${max}`;
  if (raw === undefined || raw === null || raw === '') {
    throw new CalendarFaultError({
      cls: 'Client',
      subcode: 'MissingArgument',
      reason: `Missing argument ${name}: ${operation} needs ${name} (${expected}).`,
      detail: { argument: name, value: '(missing)', expected },
    });
  }
  // The text as sent (the package hands ints over unparsed, dispatch.ts), so a fault quotes it exactly.
  const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : JSON.stringify(raw).slice(0, 40);
  const value = parseXsdInt(text);
  if (value === null || value < min || value > max) {
    throw new CalendarFaultError({
      cls: 'Client',
      subcode: 'InvalidArgument',
      reason: `${name} must be ${expected}; got ${text.slice(0, 40)}.`,
      detail: { argument: name, value: text.slice(0, 40), expected },
    });
  }
  return value;
}

/** The operations as plain functions: arguments in, text out (or CalendarFaultError). */
export const CALENDAR_IMPLEMENTATION: Record<CalendarOperation, (args: Args) => string> = {
  getMonth(args) {
    const year = intArg('getMonth', args, 'year', YEAR_RANGE.min, YEAR_RANGE.max);
    const month = intArg('getMonth', args, 'month', 1, 12);
    return formatMonth(year, month);
  },
  getYear(args) {
    return formatYear(intArg('getYear', args, 'year', YEAR_RANGE.min, YEAR_RANGE.max));
  },
};

/** What the service reports about failures it hid from the client. */
export type InternalErrorHook = (operation: CalendarOperation, error: unknown) => void;

type SoapMethod = (args: Args) => { calendar: string };

/** The `services` object for one soap package Server, answering in `version`'s fault format. */
export function calendarServices(version: SoapVersion, onInternalError: InternalErrorHook) {
  const methods = {} as Record<CalendarOperation, SoapMethod>;
  for (const operation of Object.keys(CALENDAR_IMPLEMENTATION) as CalendarOperation[]) {
    methods[operation] = (args) => {
      try {
        return { calendar: CALENDAR_IMPLEMENTATION[operation](args) };
      } catch (err) {
        if (err instanceof CalendarFaultError) throw packageFault(version, err.spec);
        onInternalError(operation, err);
        throw packageFault(version, { cls: 'Server', subcode: 'InternalError', reason: 'The calendar service failed while answering; the error was logged on the server.' });
      }
    };
  }
  // One port per SOAP binding in the WSDL; the soap package looks methods up by service/port name.
  return { CalendarService: { CalendarSoap11: methods, CalendarSoap12: methods } };
}
