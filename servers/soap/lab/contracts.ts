/**
 * The SOAP lab's routes (/api/soap/…), declared once for the daemon (routes.ts), the page
 * (components/soap/api.ts) and the tests. Pure zod and types: the browser imports this file.
 */
import { z } from 'zod';
import { raw, route } from '../../../lib/http/contract.ts';
import { CALENDAR_OPERATIONS, type CalendarOperation } from '../wsdl.ts';
import type { RawExchange } from './http-client.ts';
import type { CorrelationRow, StrayAnswer } from './mail-client.ts';

/** The label of the connections the HTTP tab's Send opens (the page follows the newest one while it is in flight). */
export const SOAP_CONSOLE_LABEL = 'SOAP HTTP console';

export const OperationSchema = z.enum(Object.keys(CALENDAR_OPERATIONS) as [CalendarOperation, ...CalendarOperation[]]);
export const VersionSchema = z.enum(['1.1', '1.2']);
const Int = z.coerce.number().int();

/** The lab's explanation of one WSDL part. */
const Explained = z.object({ key: z.string(), title: z.string(), explain: z.string(), ref: z.string().optional() });
const Part = z.object({ name: z.string(), type: z.string() });
export const WsdlSummarySchema = z.object({
  url: z.string(),
  targetNamespace: z.string(),
  style: z.string(),
  operations: z.array(
    z.object({
      name: OperationSchema,
      documentation: z.string(),
      soapAction: z.string(),
      input: z.object({ message: z.string(), element: z.string(), parts: z.array(Part) }),
      output: z.object({ message: z.string(), element: z.string(), parts: z.array(Part) }),
      fault: z.object({ name: z.string(), message: z.string(), element: z.string(), parts: z.array(z.string()) }),
    }),
  ),
  types: Explained.extend({ elements: z.array(z.string()) }),
  messages: Explained.extend({ names: z.array(z.string()) }),
  portType: Explained.extend({ name: z.string(), operations: z.array(OperationSchema) }),
  bindings: z.array(
    Explained.extend({
      name: z.string(),
      soapVersion: z.string(),
      namespace: z.string(),
      transport: z.string(),
      contentType: z.string(),
      actionCarrier: z.enum(['SOAPAction header', 'action parameter of Content-Type']),
    }),
  ),
  service: Explained.extend({ name: z.string(), ports: z.array(Explained.extend({ name: z.string(), binding: z.string(), address: z.string() })) }),
  wsdl: z.string(),
});
export type WsdlSummary = z.infer<typeof WsdlSummarySchema>;

export const GeneratedEnvelopeSchema = z.object({
  operation: OperationSchema,
  version: VersionSchema,
  envelope: z.string(),
  /** Content-Type (and SOAPAction for 1.1) exactly as they must be sent. */
  headers: z.record(z.string(), z.string()),
  endpoint: z.string(),
  parts: z.array(z.object({ name: z.string(), type: z.string(), example: z.string() })).readonly(),
  httpRequest: z.string(),
});

export const RawExchangeSchema: z.ZodType<RawExchange> = z.object({
  conn: z.string().nullable(),
  request: z.string(),
  response: z.string(),
  status: z.number(),
  elapsedMs: z.number(),
  error: z.string().optional(),
});

const RequestState = z.enum(['sending', 'pending', 'answered', 'fault', 'timed-out', 'send-failed']);
export const CorrelationRowSchema: z.ZodType<CorrelationRow> = z.object({
  messageId: z.string(),
  sentOrder: z.number(),
  operation: OperationSchema,
  args: z.record(z.string(), z.number()),
  version: VersionSchema,
  delayMs: z.number().optional(),
  sentAt: z.number(),
  state: RequestState,
  requestMailId: z.string().nullable(),
  requestConn: z.string().nullable(),
  answer: z
    .object({
      mailId: z.string(),
      messageId: z.string().nullable(),
      inReplyTo: z.string(),
      arrivedAt: z.number(),
      arrivalOrder: z.number(),
      conn: z.string().nullable(),
      result: z.string().optional(),
      fault: z.object({ code: z.string(), reason: z.string() }).optional(),
      late: z.boolean(),
    })
    .optional(),
  error: z.string().optional(),
});
export const StrayAnswerSchema: z.ZodType<StrayAnswer> = z.object({
  mailId: z.string(),
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  arrivedAt: z.number(),
  conn: z.string().nullable(),
  reason: z.enum(['unknown-in-reply-to', 'duplicate', 'no-in-reply-to']),
});

export const soapContracts = {
  wsdl: route({ method: 'GET', path: '/api/soap/wsdl', reply: WsdlSummarySchema }),
  wsdlXml: route({ method: 'GET', path: '/api/soap/wsdl.xml', reply: raw('text/xml; charset=utf-8') }),
  /** A request envelope for an operation and version; missing arguments get the WSDL's examples. */
  envelope: route({
    method: 'GET',
    path: '/api/soap/envelope',
    query: z.object({
      operation: OperationSchema.default('getMonth'),
      version: VersionSchema.default('1.1'),
      year: Int.min(-99999).max(99999).optional(),
      month: Int.min(-99).max(99).optional(),
      delayMs: Int.min(0).max(10_000).optional(),
    }),
    reply: GeneratedEnvelopeSchema,
  }),
  /** Sends an HTTP request through the tap: typed by hand (`raw`) or built around an envelope. */
  http: route({
    method: 'POST',
    path: '/api/soap/http',
    bodyLimit: 2 * 1024 * 1024,
    body: z.union([
      z.object({ raw: z.string().min(1).max(1024 * 1024 + 16 * 1024) }).strict(),
      z
        .object({
          envelope: z.string().max(1024 * 1024 + 1024),
          version: VersionSchema.default('1.1'),
          operation: OperationSchema.optional(),
          /** Override the header the version would use, e.g. to provoke a fault. */
          contentType: z.string().max(300).regex(/^[^\r\n]*$/).optional(),
          soapAction: z.string().max(300).regex(/^[^\r\n]*$/).optional(),
        })
        .strict(),
    ]),
    reply: RawExchangeSchema,
  }),
  mailTable: route({
    method: 'GET',
    path: '/api/soap/mail',
    reply: z.object({ rows: z.array(CorrelationRowSchema), strays: z.array(StrayAnswerSchema), timeoutMs: z.number() }),
  }),
  sendMail: route({
    method: 'POST',
    path: '/api/soap/mail',
    body: z.object({
      requests: z
        .array(
          z.object({
            operation: OperationSchema.default('getMonth'),
            version: VersionSchema.default('1.2'),
            year: Int.min(1).max(9999),
            // Out-of-range months are allowed on purpose: they come back as faults.
            month: Int.min(-99).max(99).optional(),
            delayMs: Int.min(0).max(10_000).optional(),
          }),
        )
        .min(1)
        .max(50),
    }),
    reply: z.object({ rows: z.array(CorrelationRowSchema) }),
  }),
  clearMail: route({ method: 'DELETE', path: '/api/soap/mail', reply: z.object({ ok: z.literal(true) }) }),
};
