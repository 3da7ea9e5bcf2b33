/**
 * The SOAP lab's API client, one function per route of servers/soap/lab/contracts.ts (shapes taken
 * from the contracts, replies parsed by their schemas).
 */
import type { z } from 'zod';
import { callRoute, routeUrl, type ReplyOf } from '@/lib/http/contract.ts';
import { OperationSchema, soapContracts as c } from '@/servers/soap/lab/contracts.ts';
import type { CorrelationRow, StrayAnswer } from '@/servers/soap/lab/mail-client.ts';
import type { SoapVersion } from './envelope-tweaks';

export type { CorrelationRow, StrayAnswer, SoapVersion };

/** GET /api/soap/wsdl */
export type WsdlSummary = ReplyOf<typeof c.wsdl>;
/** GET /api/soap/envelope */
export type GeneratedEnvelope = ReplyOf<typeof c.envelope>;
/** POST /api/soap/http */
export type RawExchange = ReplyOf<typeof c.http>;
/** GET /api/soap/mail */
export type MailTable = ReplyOf<typeof c.mailTable>;
/** One request of POST /api/soap/mail. */
export type MailRequestBody = z.input<typeof c.sendMail.body>['requests'][number];

/** The `soap` key of GET /api/lab (the lab's info()). */
export type { SoapInfo as SoapLabInfo } from '@/servers/soap/lab.ts';

/** The HTTP console's form fields, as GET /api/soap/envelope's query (numbers only when they are numbers). */
export type EnvelopeFields = { operation: string; version: SoapVersion; year: string; month: string; delayMs?: string };

/** The form offers the WSDL's operations; any other name is an error shown as such. */
function operationOf(name: string): z.infer<typeof OperationSchema> {
  const parsed = OperationSchema.safeParse(name);
  if (!parsed.success) throw new Error(`No operation ${name} in the WSDL.`);
  return parsed.data;
}

function envelopeArgs(q: EnvelopeFields): z.input<typeof c.envelope.query> {
  const digits = (text: string | undefined, pattern: RegExp) => (text !== undefined && pattern.test(text.trim()) ? text.trim() : undefined);
  return {
    operation: operationOf(q.operation),
    version: q.version,
    year: digits(q.year, /^-?\d+$/),
    month: q.operation === 'getMonth' ? digits(q.month, /^-?\d+$/) : undefined,
    delayMs: digits(q.delayMs, /^\d+$/),
  };
}

/** The URL of GET /api/soap/envelope for these fields; the composer also uses it as the key of what it generated. */
export function envelopeQuery(q: EnvelopeFields): string {
  return routeUrl(c.envelope, { query: envelopeArgs(q) });
}

/** The SOAP lab's API, one function per route. */
export const soapApi = {
  wsdl: () => callRoute(c.wsdl),
  envelope: (fields: EnvelopeFields) => callRoute(c.envelope, { query: envelopeArgs(fields) }),
  http: (body: z.input<typeof c.http.body>) => callRoute(c.http, { body }),
  /** Posts the editor's envelope for the form's operation and version. */
  sendEnvelope: async (body: { envelope: string; version: SoapVersion; operation: string }) => callRoute(c.http, { body: { ...body, operation: operationOf(body.operation) } }),
  mailTable: () => callRoute(c.mailTable),
  sendMail: (requests: MailRequestBody[]) => callRoute(c.sendMail, { body: { requests } }),
  clearMail: () => callRoute(c.clearMail),
};
