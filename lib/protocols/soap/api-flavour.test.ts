/**
 * A JSON/REST host (the access-control lab) read by the HTTP dissector: status lines and headers are
 * explained as a REST API uses them, never as SOAP, while the SOAP host keeps its SOAP prose.
 */
import { describe, expect, it } from 'vitest';
import { endOfDirection, type DissectedMessage, type Dissector } from '../types.ts';
import { createHttpApiDissector, createSoapDissector } from './dissector.ts';

const enc = new TextEncoder();
const request = 'GET /api/library/books HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic Ym9iOnB3\r\n\r\n';
const json = '{"error":"forbidden"}';
const response = `HTTP/1.1 403 Forbidden\r\nContent-Type: application/problem+json\r\nContent-Length: ${json.length}\r\n\r\n${json}`;
const ok = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]';

function run(dissector: Dissector, server: string): DissectedMessage[] {
  return [...dissector.push('client', enc.encode(request)), ...dissector.push('server', enc.encode(server)), ...dissector.end()];
}

const byText = (messages: DissectedMessage[], start: string) => messages.find((m) => m.text.startsWith(start));

describe('the HTTP dissector on an API host', () => {
  it('explains 403, 200, Content-Type and the credentials without speaking of SOAP', () => {
    const denied = run(createHttpApiDissector(), response);
    expect(byText(denied, 'HTTP/1.1 403')?.annotation).toMatchObject({ key: 'api.http.status.403', ref: 'RFC 9110 §15.5.4', level: 'error' });
    expect(byText(denied, 'Authorization:')?.annotation).toMatchObject({ key: 'api.http.header.Authorization', level: 'warn' });
    const permitted = run(createHttpApiDissector(), ok);
    for (const start of ['GET /api', 'HTTP/1.1 200', 'Content-Type:']) {
      const annotation = byText(permitted, start)?.annotation;
      expect(annotation?.key, start).toMatch(/^api\./);
      // The SOAP host's claims ("the body carries the SOAP response", "text/xml means SOAP 1.1") are wrong here.
      expect(annotation?.explain, start).not.toMatch(/SOAP response|means SOAP|WSDL|envelope/);
    }
  });

  it('explains the gateway\'s 409 and 415 as a REST API means them (the SOAP row of 415 speaks of text/xml)', () => {
    const reply = (status: string) => `HTTP/1.1 ${status}\r\nContent-Type: application/problem+json\r\nContent-Length: 2\r\n\r\n{}`;
    const conflict = byText(run(createHttpApiDissector(), reply('409 Conflict')), 'HTTP/1.1 409')?.annotation;
    expect(conflict).toMatchObject({ key: 'api.http.status.409', ref: 'RFC 9110 §15.5.10', level: 'error' });
    const unsupported = byText(run(createHttpApiDissector(), reply('415 Unsupported Media Type')), 'HTTP/1.1 415')?.annotation;
    expect(unsupported).toMatchObject({ key: 'api.http.status.415', ref: 'RFC 9110 §15.5.16' });
    expect(unsupported?.explain).toMatch(/application\/json/);
    expect(unsupported?.explain).not.toMatch(/SOAP|text\/xml/);
  });

  it('leaves the SOAP host its SOAP prose', () => {
    const soap = run(createSoapDissector(), ok);
    expect(byText(soap, 'HTTP/1.1 200')?.annotation?.key).toBe('http.status.200');
    expect(byText(soap, 'HTTP/1.1 200')?.annotation?.explain).toMatch(/SOAP/);
  });
});

describe('the HTTP dissector reads the host’s own 408 (lib/http/problem.ts rawProblemResponse)', () => {
  const body = '{"type":"about:blank","title":"Request Timeout","status":408}';
  const timeout = `HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\nconnection: close\r\n\r\n${body}`;

  it('takes lowercase field names as header fields (RFC 9110 §5.1: names are case-insensitive)', () => {
    const dissector = createHttpApiDissector();
    const read = dissector.push('server', enc.encode(timeout));
    expect(read.map((m) => [m.kind, m.text])).toEqual([
      ['status-line', 'HTTP/1.1 408 Request Timeout'],
      ['header', 'content-type: application/problem+json'],
      ['header', 'connection: close'],
      ['blank', ''],
    ]);
    expect(read[1].annotation?.key).toBe('api.http.header.Content-Type');
    expect(read[2].annotation?.key).toBe('http.header.Connection');
  });

  it('frames a body without a length when the server half-closes, not when the client closes too', () => {
    const dissector = createHttpApiDissector();
    dissector.push('client', enc.encode('GET /api/courses HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    dissector.push('server', enc.encode(timeout));
    const atServerEnd = endOfDirection(dissector, 'server');
    expect(atServerEnd.map((m) => [m.dir, m.kind])).toEqual([
      ['server', 'body'],
      ['server', 'text'],
    ]);
    expect(atServerEnd.reduce((sum, m) => sum + m.bytes, 0)).toBe(body.length);
    // The client's unfinished request is its own: said when the connection ends, not taken for the server's.
    expect(dissector.end().map((m) => [m.dir, m.text])).toEqual([['note', 'connection closed in the middle of a message']]);
  });
});
