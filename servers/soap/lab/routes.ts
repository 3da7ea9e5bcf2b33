/**
 * The SOAP lab's API under /api/soap/…: the WSDL explained, request envelopes generated per
 * operation and version, sending an HTTP request through the tap, and the SOAP-over-SMTP
 * client's requests and correlation table. Input is validated with zod.
 */
import { z } from 'zod';
import { HttpError, RawResponse, parse, readJson, type ApiRoute } from '../../../lib/http/api-kit.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { CALENDAR_OPERATIONS, CALENDAR_PATH } from '../wsdl.ts';
import { OperationSchema, VersionSchema, httpRequestText, requestEnvelope } from './envelopes.ts';
import { sendThroughTap } from './http-client.ts';
import type { SoapMailClient } from './mail-client.ts';
import { wsdlSummary } from './wsdl-summary.ts';

const Int = z.coerce.number().int();
const EnvelopeQuery = z.object({
  operation: OperationSchema.default('getMonth'),
  version: VersionSchema.default('1.1'),
  year: Int.min(-99999).max(99999).optional(),
  month: Int.min(-99).max(99).optional(),
  delayMs: Int.min(0).max(10_000).optional(),
});

const HttpBody = z.union([
  z.object({ raw: z.string().min(1).max(1024 * 1024 + 16 * 1024) }).strict(),
  z.object({
    envelope: z.string().max(1024 * 1024 + 1024),
    version: VersionSchema.default('1.1'),
    operation: OperationSchema.optional(),
    /** Override the header the version would use, e.g. to provoke a fault. */
    contentType: z.string().max(300).regex(/^[^\r\n]*$/).optional(),
    soapAction: z.string().max(300).regex(/^[^\r\n]*$/).optional(),
  }).strict(),
]);

const MailBody = z.object({
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
});

export interface SoapRouteContext {
  tap: Tap;
  /** The host clients use for the service (public tap address), e.g. '127.0.0.1:8080'. */
  publicHost(): string;
  mailClient: SoapMailClient;
  /** Answers to the client expire after this long. */
  timeoutMs: number;
}

/** Builds the routes; see README "SOAP lab API". */
export function soapRoutes(ctx: SoapRouteContext): ApiRoute[] {
  const location = () => `http://${ctx.publicHost()}${CALENDAR_PATH}`;
  return [
    { method: 'GET', pattern: /^\/api\/soap\/wsdl$/, handler: () => wsdlSummary(location()) },
    { method: 'GET', pattern: /^\/api\/soap\/wsdl\.xml$/, handler: () => new RawResponse(wsdlSummary(location()).wsdl, 'text/xml; charset=utf-8') },
    {
      method: 'GET',
      pattern: /^\/api\/soap\/envelope$/,
      handler: (_m, url) => {
        const q = parse(EnvelopeQuery, Object.fromEntries(url.searchParams));
        const generated = requestEnvelope(q.operation, q.version, { year: q.year, month: q.month }, { delayMs: q.delayMs });
        return {
          ...generated,
          endpoint: location(),
          parts: CALENDAR_OPERATIONS[q.operation].input,
          httpRequest: httpRequestText(ctx.publicHost(), generated.headers, generated.envelope),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/soap\/http$/,
      handler: async (_m, _url, req) => {
        const body = parse(HttpBody, await readJson(req, 2 * 1024 * 1024));
        let request: string;
        if ('raw' in body) {
          // Typed by hand: line endings as HTTP wants them, the rest exactly as written.
          request = body.raw.replace(/\r?\n/g, '\r\n');
        } else {
          const generated = requestEnvelope(body.operation ?? guessOperation(body.envelope), body.version);
          const headers = { ...generated.headers };
          if (body.contentType !== undefined) headers['Content-Type'] = body.contentType;
          if (body.soapAction !== undefined) headers.SOAPAction = body.soapAction;
          request = httpRequestText(ctx.publicHost(), headers, body.envelope);
        }
        return sendThroughTap(ctx.tap, request);
      },
    },
    { method: 'GET', pattern: /^\/api\/soap\/mail$/, handler: () => ({ ...ctx.mailClient.table(), timeoutMs: ctx.timeoutMs }) },
    {
      method: 'POST',
      pattern: /^\/api\/soap\/mail$/,
      handler: async (_m, _url, req) => {
        const body = parse(MailBody, await readJson(req));
        const rows = await ctx.mailClient.send(
          body.requests.map((r) => {
            const args: Record<string, number> = r.operation === 'getMonth' ? { year: r.year, month: r.month ?? 1 } : { year: r.year };
            return { operation: r.operation, version: r.version, args, delayMs: r.delayMs };
          }),
        );
        return { rows };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/soap\/mail$/,
      handler: () => {
        ctx.mailClient.clear();
        return { ok: true };
      },
    },
  ];
}

function guessOperation(envelope: string) {
  for (const name of OperationSchema.options) if (new RegExp(`<([\\w.-]+:)?${name}[\\s>/]`).test(envelope)) return name;
  throw new HttpError(400, 'Could not tell which operation the envelope calls; pass "operation".');
}
