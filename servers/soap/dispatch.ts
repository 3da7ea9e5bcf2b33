/**
 * One SOAP request through the Calendar service: pre-check, optional think time, then the
 * `soap` package (one package Server per SOAP version, because the package picks the response
 * envelope namespace per WSDL, not per request), then a clean-up of what the package gets
 * wrong. Used by the HTTP host and by the mail binding alike, so both answer identically.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import soap from 'soap';
import { annotateSoapEnvelope } from '../../lib/protocols/soap/envelope.ts';
import { SOAP_VERSIONS, faultClassOf, type FaultClass, type SoapVersion } from '../../lib/protocols/soap/versions.ts';
import { faultEnvelope, faultStatus } from './faults.ts';
import { precheck, type PrecheckInput } from './precheck.ts';
import { calendarServices } from './service.ts';
import { CALENDAR_PATH, calendarWsdl } from './wsdl.ts';

/** A request as the service sees it, whatever carried it. */
export interface SoapRequest extends PrecheckInput {
  /** Think time when the envelope has no delay header (the mail binding's random 0–3 s). */
  defaultDelayMs?: number;
}

/** The service's answer, ready to put on HTTP or into a mail. */
export interface SoapAnswer {
  status: number;
  /** Media type with charset, without any action parameter. */
  contentType: string;
  body: string;
  version: SoapVersion;
  operation?: string;
  fault?: { cls: FaultClass | null; code: string; reason: string; subcode?: string };
  /** True when the pre-check answered and the soap package never saw the request. */
  refused: boolean;
  delayMs: number;
  /** True when the soap package's wsse:Security timestamp header was removed from a fault. */
  strippedSecurityHeader: boolean;
}

/** What the dispatcher reports (the server turns these into events). */
export interface DispatcherHooks {
  /** The soap package's own server.log lines ('received', 'replied', 'info', 'error'). */
  log(type: string, text: string): void;
  /** An unexpected error hidden from the client behind a generic Server fault. */
  internalError(operation: string, error: unknown): void;
}

type PackageServer = ReturnType<typeof soap.listen>;

/**
 * xsd:int arguments reach the service as sent: the package would parseInt them, so "1x" became
 * January and "2e3" the year 2 (service.ts reads them by the schema's rules instead). The WSDL
 * reader takes this option from a server's options too; the package's types list it for clients only.
 */
const INT_AS_SENT: { customDeserializer: Record<string, (text: string) => string> } = { customDeserializer: { int: (text) => text } };

// The soap package adds this WS-Security timestamp (mustUnderstand!) to faults raised while it
// parses, and to every answer when the request carried one. Nothing in this lab asked for it.
const SECURITY_HEADER = /<o:Security\b[^>]*xmlns:o="http:\/\/docs\.oasis-open\.org\/wss\/[^"]*"[\s\S]*?<\/o:Security>\s*/;
const EMPTY_HEADER = /<soap:Header>\s*<\/soap:Header>/;

const contentTypeOf = (version: SoapVersion) => `${SOAP_VERSIONS[version].mediaType}; charset=utf-8`;

/** The Calendar service behind its pre-check; create with `CalendarDispatcher.create`. */
export class CalendarDispatcher {
  private readonly aborter = new AbortController();

  private constructor(private readonly servers: Record<SoapVersion, PackageServer>) {}

  /** Builds both soap package Servers (serverless: `soap.listen(null, options)`), ready to dispatch. */
  static async create(hooks: DispatcherHooks): Promise<CalendarDispatcher> {
    // The package only uses the address to match the request path; the real one is per request.
    const xml = calendarWsdl(`http://127.0.0.1${CALENDAR_PATH}`);
    const make = (version: SoapVersion) =>
      new Promise<PackageServer>((resolve, reject) => {
        const server = soap.listen(null, {
          path: CALENDAR_PATH,
          services: calendarServices(version, hooks.internalError),
          xml,
          forceSoap12Headers: version === '1.2',
          ...INT_AS_SENT,
          callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(server)),
        });
        server.log = (type: string, data: unknown) => hooks.log(type, typeof data === 'string' ? data : data instanceof Error ? data.message : String(data));
      });
    return new CalendarDispatcher({ '1.1': await make('1.1'), '1.2': await make('1.2') });
  }

  /** Answers one request; never rejects except when the dispatcher is closed during a think time. */
  async dispatch(request: SoapRequest): Promise<SoapAnswer> {
    const checked = precheck(request);
    if (!checked.ok) {
      const body = faultEnvelope(checked.version, checked.fault);
      return {
        status: faultStatus(checked.version, checked.fault),
        contentType: contentTypeOf(checked.version),
        body,
        version: checked.version,
        operation: checked.operation,
        fault: { cls: checked.fault.cls, code: `soap:${SOAP_VERSIONS[checked.version].faultCodes[checked.fault.cls]}`, reason: checked.fault.reason, subcode: checked.fault.subcode },
        refused: true,
        delayMs: 0,
        strippedSecurityHeader: false,
      };
    }
    const delayMs = checked.delayMs ?? request.defaultDelayMs ?? 0;
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: this.aborter.signal });

    const { version, operation } = checked;
    // Normalise what the package echoes back as the response Content-Type (it copies the request's).
    const result = await this.servers[version].processRequest(request.body, {
      url: CALENDAR_PATH,
      method: 'POST',
      headers: { 'content-type': contentTypeOf(version), ...(version === '1.1' ? { soapaction: `"${operation}"` } : {}) },
    });
    let body = result.body;
    let status = result.statusCode || 200;
    if (!body.trimStart().startsWith('<')) {
      // The package answers a non-fault exception with the bare error text (or stack): never send that.
      body = faultEnvelope(version, { cls: 'Server', subcode: 'InternalError', reason: 'The calendar service failed while answering; the error was logged on the server.' });
      status = 500;
    }
    const stripped = SECURITY_HEADER.test(body);
    if (stripped) body = body.replace(SECURITY_HEADER, '').replace(EMPTY_HEADER, '');
    // Only a fault needs reading back (for events and the mail client); successes skip the parse.
    const summary = body.includes(':Fault>') ? annotateSoapEnvelope(body, { maxLines: 1 }).summary : undefined;
    const fault = summary?.fault
      ? { cls: faultClassOf(summary.fault.code.slice(summary.fault.code.indexOf(':') + 1)), code: summary.fault.code, reason: summary.fault.reason }
      : undefined;
    return { status, contentType: contentTypeOf(version), body, version, operation, fault, refused: false, delayMs, strippedSecurityHeader: stripped };
  }

  /** The WSDL with its endpoint address at `location`. */
  wsdl(location: string): string {
    return calendarWsdl(location);
  }

  /** Cancels pending think times (their dispatches reject with AbortError). */
  close(): void {
    this.aborter.abort();
  }
}
