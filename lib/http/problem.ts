/**
 * How the lab's HTTP API says no: problem details (RFC 9457 §3.1), type "about:blank" so the title
 * is the status's own phrase, the reason in `detail`. `error` repeats it: the lab's browser
 * client and older scripts read that member (an extension member, §3.2).
 */
import { STATUS_CODES } from 'node:http';
import { safeJson } from './safe-json.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The body of an error answer; HTML-safe like every API body (safe-json.ts). */
export function problemBody(status: number, detail: string): string {
  return safeJson({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, error: detail });
}

/** The whole answer written straight to a socket, where no ServerResponse exists (a refused WebSocket upgrade). */
export function rawProblemResponse(status: number, detail: string): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\nconnection: close\r\n\r\n${problemBody(status, detail)}`;
}
