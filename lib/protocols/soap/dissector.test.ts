import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createSoapDissector } from './dissector.ts';

const enc = new TextEncoder();
const ENV11 = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><c:getMonth xmlns:c="http://lab.test/soap/calendar"><c:year>2003</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>`;
const REQ11 = `POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: "http://lab.test/soap/calendar/getMonth"\r\nContent-Length: ${Buffer.byteLength(ENV11)}\r\n\r\n${ENV11}`;
const FAULT12 = `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code><e:Reason><e:Text xml:lang="en">month must be 1..12</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`;
const chunked = (body: string, size: number) => {
  let out = '';
  for (let i = 0; i < body.length; i += size) {
    const part = body.slice(i, i + size);
    out += `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
  }
  return `${out}0\r\n\r\n`;
};
const RESP12 = `HTTP/1.1 400 Bad Request\r\nContent-Type: application/soap+xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(FAULT12, 50)}`;

function run(parts: [StreamDir, string | Uint8Array][]): DissectedMessage[] {
  const d = createSoapDissector();
  const out: DissectedMessage[] = [];
  for (const [dir, data] of parts) out.push(...d.push(dir, typeof data === 'string' ? enc.encode(data) : data));
  out.push(...d.end());
  return out;
}
const bytesOf = (messages: DissectedMessage[], dir: StreamDir) => messages.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0);

describe('SOAP HTTP dissector', () => {
  it.each([
    ['client', 'POST /soap/calendar HTTP/1.1\r\n', 'request-line', 'http.method.POST'],
    ['client', 'SOAPAction: "x"\r\n', 'not-http', 'http.not-http'],
    ['server', 'HTTP/1.1 500 Internal Server Error\r\n\r\n', 'status-line', 'http.status.500'],
    ['server', 'HTTP/1.1 299 Odd\r\n\r\n', 'status-line', 'http.status.2xx'],
    ['client', '\r\n', 'blank', 'http.empty-line'],
  ] as const)('frames %s %j as %s (%s)', (dir, raw, kind, key) => {
    const [first] = run([[dir, raw]]);
    expect(first.kind).toBe(kind);
    expect(first.annotation?.key).toBe(key);
  });

  it('annotates a SOAP 1.1 request: headers, version, operation', () => {
    const out = run([['client', REQ11]]);
    expect(out.map((m) => m.annotation?.key)).toEqual(expect.arrayContaining(['http.method.POST', 'http.header.SOAPAction', 'http.header.Content-Type', 'http.header-end', 'http.body', 'soap.envelope', 'soap.body', 'soap.operation']));
    const body = out.find((m) => m.kind === 'body');
    expect(body?.text).toBe(`<${Buffer.byteLength(ENV11)} bytes: SOAP 1.1 getMonth>`);
    expect(out.find((m) => m.annotation?.key === 'soap.envelope')?.fields).toContainEqual({ name: 'version', value: 'SOAP 1.1' });
    expect(bytesOf(out, 'client')).toBe(Buffer.byteLength(REQ11));
  });

  it('tells a SOAPAction of "" (the intent is the URI) from one with no value (no intent given), as SOAP 1.1 §6.1.1 does', () => {
    const soapAction = (value: string) => run([['client', `POST /soap/calendar HTTP/1.1\r\nSOAPAction:${value}\r\nContent-Length: 0\r\n\r\n`]]).find((m) => m.annotation?.key === 'http.header.SOAPAction')?.annotation?.explain;
    expect(soapAction(' ""')).toContain('Empty string: the intent is the request URI.');
    expect(soapAction('')).toContain('No value: no indication of the intent.');
    expect(soapAction(' "urn:x"')).toContain('Here: "urn:x".');
  });

  it('reassembles a chunked SOAP 1.2 fault and names its code', () => {
    const out = run([['client', 'POST /soap/calendar HTTP/1.1\r\nContent-Length: 0\r\n\r\n'], ['server', RESP12]]);
    expect(out.filter((m) => m.kind === 'chunk-size').length).toBeGreaterThan(2);
    expect(out.find((m) => m.annotation?.key === 'soap.fault.Sender')).toBeDefined();
    expect(out.find((m) => m.kind === 'body')?.text).toContain('SOAP 1.2 Fault e:Sender');
    expect(bytesOf(out, 'server')).toBe(Buffer.byteLength(RESP12));
  });

  it('handles pipelined requests in one chunk', () => {
    const out = run([['client', REQ11 + REQ11 + 'GET /soap/calendar?wsdl HTTP/1.1\r\nHost: x\r\n\r\n']]);
    expect(out.filter((m) => m.kind === 'request-line')).toHaveLength(3);
    expect(out.filter((m) => m.kind === 'body')).toHaveLength(2);
  });

  it('gives no body to a response to HEAD and skips 100 Continue', () => {
    const out = run([
      ['client', 'HEAD / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'],
    ]);
    expect(out.filter((m) => m.kind === 'status-line').map((m) => m.fields?.[1].value)).toEqual(['200', '100', '200']);
    expect(out.filter((m) => m.dir === 'server' && m.kind === 'body')).toHaveLength(1);
  });

  it('reads a response without length until the connection closes', () => {
    const out = run([['server', 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\nworld']]);
    expect(out.find((m) => m.kind === 'body')?.text).toBe('<11 bytes>');
    expect(out.filter((m) => m.kind === 'text').map((m) => m.text)).toEqual(['hello', 'world']);
  });

  it('refuses to parse a DOCTYPE body and says why', () => {
    const xml = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    const out = run([['client', `POST / HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: ${xml.length}\r\n\r\n${xml}`]]);
    expect(out.find((m) => m.annotation?.key === 'xml.dtd.forbidden')).toBeDefined();
  });

  it('explains XML typed without Content-Length (raw console mistake)', () => {
    const out = run([['client', 'POST /soap/calendar HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n<s:Envelope>\r\n']]);
    const odd = out.find((m) => m.kind === 'not-http');
    expect(odd?.annotation?.explain).toMatch(/Content-Length/);
  });

  it('warns when Content-Type and envelope versions disagree', () => {
    const out = run([['client', `POST / HTTP/1.1\r\nContent-Type: application/soap+xml\r\nContent-Length: ${ENV11.length}\r\n\r\n${ENV11}`]]);
    expect(out.find((m) => m.kind === 'body')?.annotation?.level).toBe('warn');
  });

  it('shows a header name that only looks like Authorization as its bytes read: line, field and title', () => {
    const out = run([['client', 'GET / HTTP/1.1\r\nAuthor\u200Bization: Basic c3R1ZGVudDpsYWI=\r\nX-\x1b[31mRed: 1\r\n\r\n']]);
    const headers = out.filter((m) => m.kind === 'header');
    expect(headers.map((m) => m.text)).toEqual(['Author\\u{200B}ization: Basic c3R1ZGVudDpsYWI=', 'X-^[[31mRed: 1']);
    expect(headers.map((m) => m.fields?.[0]?.name)).toEqual(['Author\\u{200B}ization', 'X-^[[31mRed']);
    expect(headers.map((m) => m.annotation?.title)).toEqual(['Author\\u{200B}ization', 'X-^[[31mRed']);
    // Not the Authorization header, so not read as a credential either.
    expect(headers[0].secret).toBeUndefined();
  });

  it('shows an over-long line in pieces without buffering it whole', () => {
    const long = 'X'.repeat(100_000);
    const out = run([['client', long], ['client', `${long}\r\n`]]);
    expect(out.every((m) => m.kind === 'line-piece' || m.kind === 'incomplete')).toBe(true);
    expect(bytesOf(out, 'client')).toBe(200_002);
  });

  it('frames an over-long header line the same however it is split, then reads the next header', () => {
    const raw = enc.encode(`GET / HTTP/1.1\r\nX-Long: ${'y'.repeat(20_000)}\r\nHost: lab\r\n\r\n`);
    const show = (out: DissectedMessage[]) => out.map((m) => [m.kind, m.text, m.bytes]);
    const whole = show(run([['client', raw]]));
    expect(whole.filter(([kind]) => kind === 'line-piece').map(([, , bytes]) => bytes)).toEqual([8192, 8192, 3626]);
    expect(whole.at(-2)).toEqual(['header', 'Host: lab', 11]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 10 }), (cuts) => {
        const parts: [StreamDir, Uint8Array][] = [];
        for (let pos = 0, i = 0; pos < raw.length; i++) {
          parts.push(['client', raw.subarray(pos, pos + cuts[i % cuts.length])]);
          pos += cuts[i % cuts.length];
        }
        expect(show(run(parts))).toEqual(whole);
      }),
    );
  });

  it('covers every byte exactly and never throws, for any split of real traffic', () => {
    const streams = { client: enc.encode(REQ11 + REQ11), server: enc.encode(RESP12 + RESP12) };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }), fc.boolean(), (cuts, serverFirst) => {
        const parts: [StreamDir, Uint8Array][] = [];
        for (const dir of serverFirst ? (['server', 'client'] as const) : (['client', 'server'] as const)) {
          let at = 0;
          let i = 0;
          while (at < streams[dir].length) {
            const size = cuts[i++ % cuts.length];
            parts.push([dir, streams[dir].subarray(at, at + size)]);
            at += size;
          }
        }
        const out = run(parts);
        expect(bytesOf(out, 'client')).toBe(streams.client.length);
        expect(bytesOf(out, 'server')).toBe(streams.server.length);
        expect(out.filter((m) => m.kind === 'body')).toHaveLength(4);
      }),
      { numRuns: 300 },
    );
  });

  it('covers every byte exactly and never throws on random bytes', () => {
    const alphabet = fc.constantFrom(...'POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n0a;x\r\n<>:&#x'.split(''));
    const chunkArb = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(alphabet, { maxLength: 300 }).map((a) => enc.encode(a.join(''))));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom<StreamDir>('client', 'server'), chunkArb), { maxLength: 30 }), (parts) => {
        const out = run(parts);
        for (const dir of ['client', 'server'] as const) {
          expect(bytesOf(out, dir)).toBe(parts.filter(([d]) => d === dir).reduce((n, [, c]) => n + c.length, 0));
        }
        for (const m of out) expect(m.text).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
      }),
      { numRuns: 500 },
    );
  });
});
