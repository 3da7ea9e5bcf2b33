/**
 * Shapes of the SOAP lab's API (/api/soap/…), taken from the daemon's own types so the page
 * and the routes cannot drift. Type-only imports: nothing of the daemon reaches the browser.
 */
import type { RawExchange } from '@/servers/soap/lab/http-client.ts';
import type { GeneratedRequest } from '@/servers/soap/lab/envelopes.ts';
import type { CorrelationRow, StrayAnswer } from '@/servers/soap/lab/mail-client.ts';
import type { wsdlSummary } from '@/servers/soap/lab/wsdl-summary.ts';
import type { SoapVersion } from './envelope-tweaks';

export type { CorrelationRow, RawExchange, StrayAnswer, SoapVersion };

/** GET /api/soap/wsdl */
export type WsdlSummary = ReturnType<typeof wsdlSummary>;

/** GET /api/soap/envelope */
export type GeneratedEnvelope = GeneratedRequest & {
  endpoint: string;
  parts: { name: string; type: string; example: string }[];
  httpRequest: string;
};

/** GET /api/soap/mail */
export interface MailTable {
  rows: CorrelationRow[];
  strays: StrayAnswer[];
  timeoutMs: number;
}

/** The `soap` key of GET /api/lab (the lab's info()). */
export type { SoapInfo as SoapLabInfo } from '@/servers/soap/lab.ts';

/** The query string of GET /api/soap/envelope. */
export function envelopeQuery(q: { operation: string; version: SoapVersion; year: string; month: string; delayMs?: string }): string {
  const params = new URLSearchParams({ operation: q.operation, version: q.version });
  if (/^-?\d+$/.test(q.year.trim())) params.set('year', q.year.trim());
  if (q.operation === 'getMonth' && /^-?\d+$/.test(q.month.trim())) params.set('month', q.month.trim());
  if (q.delayMs && /^\d+$/.test(q.delayMs.trim())) params.set('delayMs', q.delayMs.trim());
  return params.toString();
}
