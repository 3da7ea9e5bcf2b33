/**
 * The SOAP lab's API under /api/soap/…: the WSDL explained, request envelopes generated per
 * operation and version, sending an HTTP request through the tap, and the calling sandbox's
 * SOAP-over-SMTP client: its requests and correlation table. Input is validated with zod.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, RawResponse, defineRoute, type ApiRoute } from '../../../lib/http/api-kit.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { ownerOfRequest, type SandboxPolicy } from '../../daemon/sandboxes.ts';
import { CALENDAR_OPERATIONS, CALENDAR_PATH } from '../wsdl.ts';
import { OperationSchema, soapContracts as c } from './contracts.ts';
import { httpRequestText, requestEnvelope } from './envelopes.ts';
import { sendThroughTap } from './http-client.ts';
import type { SoapMailClients } from './mail-clients.ts';
import { wsdlSummary } from './wsdl-summary.ts';

export interface SoapRouteContext {
  tap: Tap;
  /** Files the HTTP console's connection as the requesting browser's. */
  sandboxes: SandboxPolicy;
  /** The host clients use for the service (public tap address), e.g. '127.0.0.1:8080'. */
  publicHost(): string;
  /** Each sandbox's SOAP-over-SMTP client. */
  mailClients: SoapMailClients;
  /** Answers to the client expire after this long. */
  timeoutMs: number;
}

/** Builds the routes; see README "SOAP lab API". */
export function soapRoutes(ctx: SoapRouteContext): ApiRoute[] {
  const location = () => `http://${ctx.publicHost()}${CALENDAR_PATH}`;
  const mailClientOf = (req: IncomingMessage) => ctx.mailClients.of(ctx.sandboxes.ofRequest(req));
  return [
    defineRoute(c.wsdl, () => wsdlSummary(location())),
    defineRoute(c.wsdlXml, () => new RawResponse(wsdlSummary(location()).wsdl, 'text/xml; charset=utf-8')),
    defineRoute(c.envelope, ({ query: q }) => {
      const generated = requestEnvelope(q.operation, q.version, { year: q.year, month: q.month }, { delayMs: q.delayMs });
      return {
        ...generated,
        endpoint: location(),
        parts: CALENDAR_OPERATIONS[q.operation].input,
        httpRequest: httpRequestText(ctx.publicHost(), generated.headers, generated.envelope),
      };
    }),
    defineRoute(c.http, ({ body, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
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
      return sendThroughTap(ctx.tap, request, owner);
    }),
    defineRoute(c.mailTable, ({ req }) => ({ ...mailClientOf(req).table(), timeoutMs: ctx.timeoutMs })),
    defineRoute(c.sendMail, async ({ body, req }) => {
      const rows = await mailClientOf(req).send(
        body.requests.map((r) => {
          const args: Record<string, number> = r.operation === 'getMonth' ? { year: r.year, month: r.month ?? 1 } : { year: r.year };
          return { operation: r.operation, version: r.version, args, delayMs: r.delayMs };
        }),
      );
      return { rows };
    }),
    defineRoute(c.clearMail, ({ req }) => {
      mailClientOf(req).clear();
      return { ok: true as const };
    }),
  ];
}

function guessOperation(envelope: string) {
  for (const name of OperationSchema.options) if (new RegExp(`<([\\w.-]+:)?${name}[\\s>/]`).test(envelope)) return name;
  throw new HttpError(400, 'Could not tell which operation the envelope calls; pass "operation".');
}
