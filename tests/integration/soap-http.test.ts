import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoapLab } from '../../servers/soap/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { formatMonth } from '../../servers/soap/calendar.ts';
import { nextEvent } from '../helpers/bus.ts';
import { LineClient } from '../helpers/line-client.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';

const run = promisify(execFile);

let lab: TestLab;
let base: string;

beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 5_000 })] });
  base = `http://127.0.0.1:${lab.port('soap')}/soap/calendar`;
});
afterAll(async () => {
  await lab?.stop();
});

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const CAL = 'http://lab.test/soap/calendar';
const envelope = (ns: string, body: string, header = '') =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="${ns}" xmlns:c="${CAL}">${header ? `<s:Header>${header}</s:Header>` : ''}<s:Body>${body}</s:Body></s:Envelope>`;
const getMonth = (year: number, month: number) => `<c:getMonth><c:year>${year}</c:year><c:month>${month}</c:month></c:getMonth>`;
const as11 = { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${CAL}/getMonth"` };
const as12 = { 'content-type': `application/soap+xml; charset=utf-8; action="${CAL}/getMonth"` };

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(base, { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** POSTs with curl (a real client) to the calendar: status, response headers, body. */
async function curl(args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const { stdout } = await run(tool('curl'), ['-sS', '-i', '--max-time', '15', base, ...args], { timeout: 20_000 });
  const split = stdout.indexOf('\r\n\r\n');
  const headers = stdout.slice(0, split);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body: stdout.slice(split + 4) };
}

type SoapClient = soap.Client & { getMonthAsync(args: unknown): Promise<[{ calendar: string }]> };

describe('SOAP lab over HTTP', () => {
  const months: [number, number, string][] = [
    [2003, 1, 'the seed’s Listing 5'],
    [2004, 2, 'leap February'],
    [2023, 1, 'a month starting on Sunday'],
    [2021, 8, 'a month spanning six weeks'],
  ];

  it.each(['1.1', '1.2'])('answers getMonth exactly over SOAP %s with the real soap client', async (version) => {
    const client = (await soap.createClientAsync(`${base}?wsdl`, { forceSoap12Headers: version === '1.2', preserveWhitespace: true })) as SoapClient;
    for (const [year, month] of months) {
      const [result] = await client.getMonthAsync({ year, month });
      expect(result.calendar).toBe(formatMonth(year, month));
    }
    expect(formatMonth(2003, 1)).toBe(
      '    January 2003\nMo Tu We Th Fr Sa Su\n       1  2  3  4  5\n 6  7  8  9 10 11 12\n13 14 15 16 17 18 19\n20 21 22 23 24 25 26\n27 28 29 30 31\n',
    );
  });

  it.each([
    ['1.1', 500, 'soap:Client'],
    ['1.2', 400, 'soap:Sender'],
  ] as const)('returns month 13 and a missing month as %s faults (HTTP %i, %s)', async (version, status, code) => {
    const client = (await soap.createClientAsync(`${base}?wsdl`, { forceSoap12Headers: version === '1.2' })) as SoapClient;
    for (const args of [{ year: 2003, month: 13 }, { year: 2003 }]) {
      const err = (await client.getMonthAsync(args).catch((e: unknown) => e)) as { response?: { status: number }; body?: string };
      expect(err.response?.status).toBe(status);
      expect(err.body).toContain(code);
      expect(err.body).toMatch(/month/);
      expect(err.body).toContain('CalendarFault');
    }
  });

  it('reads xsd:int arguments by the schema: "1x", "1.9", "2e3" and 20 digits are Client faults quoting what was sent', async () => {
    const month = (year: string, m: string) => envelope(S11, `<c:getMonth><c:year>${year}</c:year><c:month>${m}</c:month></c:getMonth>`);
    // The soap package parseInt'ed them: "1x" answered January, "2e3" the year 2 and 20 digits echoed as 1e20.
    for (const [year, m, quoted] of [['2003', '1x', '1x'], ['2003', '1.9', '1.9'], ['2e3', '1', '2e3'], ['99999999999999999999', '1', '99999999999999999999']]) {
      const res = await post(month(year, m), as11);
      expect(res.status, `${year}/${m}`).toBe(500);
      expect(res.text).toContain('soap:Client');
      expect(res.text).toContain(`<tns:value>${quoted}</tns:value>`);
    }
    // Whitespace around and leading zeros are the same int (XML Schema Part 2 §3.3.17).
    for (const [year, m] of [['0000002003', ' 02 '], ['+2003', '2']]) {
      const res = await post(month(year, m), as11);
      expect(res.status, `${year}/${m}`).toBe(200);
      expect(res.text).toContain('February 2003');
    }
  });

  it('answers hand-written SOAP 1.1 and 1.2 envelopes', async () => {
    const r11 = await post(envelope(S11, getMonth(2004, 2)), as11);
    expect(r11.status).toBe(200);
    expect(r11.type).toMatch(/^text\/xml/);
    expect(r11.text).toContain(S11);
    const r12 = await post(envelope(S12, getMonth(2004, 2)), as12);
    expect(r12.status).toBe(200);
    expect(r12.type).toMatch(/^application\/soap\+xml/);
    expect(r12.text).toContain(S12);
    expect(r12.text).toContain('February 2004');
  });

  it('reads an envelope in UTF-16 (XML 1.0 §4.3.3) or ISO-8859-1 as declared, and still refuses a DOCTYPE in UTF-16', async () => {
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const send = async (body: Buffer, type: string) => {
      const res = await fetch(base, { method: 'POST', headers: { ...as11, 'content-type': type }, body: new Uint8Array(body) });
      return { status: res.status, text: await res.text() };
    };
    const wide = await send(utf16(envelope(S11, getMonth(2003, 1)).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')), 'text/xml; charset=utf-16');
    expect(wide.status).toBe(200);
    expect(wide.text).toContain('January 2003');
    const latin = await send(Buffer.from(envelope(S11, getMonth(2003, 2), '<c:note xmlns:c="urn:x">é</c:note>'), 'latin1'), 'text/xml; charset=ISO-8859-1');
    expect(latin.status).toBe(200);
    const doctype = await send(utf16(`<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>${envelope(S11, getMonth(2003, 1)).replace('<?xml version="1.0"?>', '')}`), 'text/xml; charset=utf-16');
    expect(doctype.status).toBe(500);
    expect(doctype.text).toMatch(/DTDs are not allowed/);
  });

  it('reads a windows-1252 body as windows-1252, and refuses a charset it cannot read with 415 instead of guessing UTF-8', async () => {
    const send = async (body: Buffer, type: string) => {
      const res = await fetch(base, { method: 'POST', headers: { ...as11, 'content-type': type }, body: new Uint8Array(body) });
      return { status: res.status, text: await res.text() };
    };
    // 0x80 is € in windows-1252 and no character at all in UTF-8: the year "2003€" must be quoted back as such.
    const euro = Buffer.concat([Buffer.from(envelope(S11, getMonth(2003, 1)).split('2003')[0] + '2003'), Buffer.from([0x80]), Buffer.from(envelope(S11, getMonth(2003, 1)).split('2003').slice(1).join('2003'))]);
    const cp1252 = await send(euro, 'text/xml; charset=windows-1252');
    expect(cp1252.text).toContain('got 2003€');
    // XML 1.0 §4.3.3: an encoding the processor cannot read is a fatal error, not UTF-8 by guesswork.
    const ebcdic = await send(Buffer.from(envelope(S11, getMonth(2003, 1))), 'text/xml; charset=ebcdic-cp-us');
    expect(ebcdic.status).toBe(415);
    expect(ebcdic.text).toContain('charset=ebcdic-cp-us');
  });

  it('answers a SOAP 1.1 envelope sent by curl to the 1.2 binding as SOAP 1.2 Part 1 Appendix A says: a SOAP 1.1 VersionMismatch with an Upgrade naming SOAP 1.2', async () => {
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'soap');
    const r = await curl(['-H', `Content-Type: ${as12['content-type']}`, '--data-binary', envelope(S11, getMonth(2003, 1))]);
    expect(r.status).toBe(500);
    // "using a SOAP/1.1 binding": text/xml, a SOAP 1.1 Envelope, faultcode (not Code/Value).
    expect(r.headers).toMatch(/^content-type: text\/xml; charset=utf-8\r?$/im);
    expect(r.body).toContain(`<soap:Envelope xmlns:soap="${S11}"`);
    expect(r.body).toContain('<faultcode>soap:VersionMismatch</faultcode>');
    expect(r.body).toContain(`<soap:Upgrade><soap:SupportedEnvelope qname="s12:Envelope" xmlns:s12="${S12}"/></soap:Upgrade>`);
    expect(r.body).not.toContain(S11.replace('envelope/', 'envelope/"/>')); // the refused version is not offered
    // The dissector reads the answer as a SOAP 1.1 fault with its Upgrade block.
    const { connection } = await closed;
    const { messages } = await lab.api<{ messages: LabMessage[] }>(`/api/connections/${connection.id}`);
    const server = messages.filter((m) => m.dir === 'server');
    expect(server.find((m) => m.annotation?.key === 'soap.envelope')?.fields).toContainEqual({ name: 'version', value: 'SOAP 1.1' });
    expect(server.map((m) => m.annotation?.key)).toEqual(expect.arrayContaining(['soap.header.Upgrade', 'soap.fault.VersionMismatch']));
  });

  it('refuses a SOAP 1.1 POST without a SOAPAction header with a Client fault (SOAP 1.1 §6.1.1); an empty one is accepted', async () => {
    const body = envelope(S11, getMonth(2003, 1));
    const missing = await curl(['-H', 'Content-Type: text/xml; charset=utf-8', '--data-binary', body]);
    expect(missing.status).toBe(500);
    expect(missing.body).toContain('<faultcode>soap:Client</faultcode>');
    expect(missing.body).toContain('no SOAPAction header');
    const empty = await curl(['-H', 'Content-Type: text/xml; charset=utf-8', '-H', 'SOAPAction;', '--data-binary', body]);
    expect(empty.status).toBe(200);
    expect(empty.body).toContain('January 2003');
  });

  it('answers an unknown mustUnderstand header with MustUnderstand (and NotUnderstood in 1.2)', async () => {
    // `s:` is the envelope prefix, so the attribute is in whichever envelope namespace is used.
    const header = '<x:audit xmlns:x="urn:audit" s:mustUnderstand="1">yes</x:audit>';
    const r12 = await post(envelope(S12, getMonth(2003, 1), header), as12);
    expect(r12.status).toBe(500);
    expect(r12.text).toContain('soap:MustUnderstand');
    expect(r12.text).toContain('NotUnderstood');
    const r11 = await post(envelope(S11, getMonth(2003, 1), header), as11);
    expect(r11.status).toBe(500);
    expect(r11.text).toContain('<faultcode>soap:MustUnderstand</faultcode>');
    // A header block the service knows is fine even with mustUnderstand.
    const ok = await post(envelope(S12, getMonth(2003, 1), '<c:delay s:mustUnderstand="true">0</c:delay>'), as12);
    expect(ok.status).toBe(200);
  });

  it('answers malformed XML with a fault, never a crash', async () => {
    for (const body of ['<s:Envelope xmlns:s="x"><s:Body>', 'not xml at all', '', `<a:b xmlns:a="${S11}"><__proto__/></a:b>`]) {
      const r = await post(body, as11);
      expect(r.status).toBe(500);
      expect(r.text).toContain('<faultcode>soap:Client</faultcode>');
    }
    // A document cut short names what it left open, where it ends (the validator's own words were a JSON array at line 1, column 1).
    const cut = await post('<s:Envelope xmlns:s="x">\n<s:Body>', as11);
    expect(cut.text).toContain('The body is not well-formed XML (line 2, column 9): The document ends before &lt;s:Envelope&gt;, &lt;s:Body&gt; are closed (no end tag).');
    // An entity no DTD can declare here: the soap package answered a bare "Invalid XML".
    const entity = await post(envelope(S11, '<c:getMonth><c:year>20&x;03</c:year><c:month>1</c:month></c:getMonth>'), as11);
    expect(entity.text).toContain('&amp;x; names an entity that is not declared');
    const r12 = await post('<oops', as12);
    expect(r12.status).toBe(400);
    expect(r12.text).toContain('soap:Sender');
  });

  it('refuses a DOCTYPE with an external entity and a billion-laughs payload, echoing no file content, memory steady', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>${envelope(S11, '<c:getMonth><c:year>&x;</c:year><c:month>1</c:month></c:getMonth>')}`;
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>${envelope(S12, '<c:getMonth><c:year>&lol9;</c:year></c:getMonth>')}`;
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      const a = await post(xxe, as11);
      expect(a.status).toBe(500);
      expect(a.text).toContain('DTDs are not allowed');
      expect(a.text).not.toMatch(/root:|nologin|\/bin\/(ba)?sh/);
      const b = await post(lol, as12);
      expect(b.status).toBe(400);
      expect(b.text).not.toContain('lollol');
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const r = await post(envelope(S11, `<c:getMonth><c:year>${'1'.repeat(1024 * 1024)}</c:year></c:getMonth>`), as11);
    expect(r.status).toBe(413);
    expect(r.text).toContain('soap:Client');
  });

  it('answers unknown operations and a SOAPAction that contradicts the Body as Client faults', async () => {
    const unknown = await post(envelope(S11, '<c:getWeek><c:year>1</c:year></c:getWeek>'), { ...as11, soapaction: '""' });
    expect(unknown.text).toContain('Unknown operation getWeek');
    const mismatch = await post(envelope(S11, getMonth(2003, 1)), { ...as11, soapaction: `"${CAL}/getYear"` });
    expect(mismatch.text).toContain('SOAPAction');
    expect(mismatch.status).toBe(500);
  });

  it('never sends the soap package’s wsse:Security header', async () => {
    const wsse = '<o:Security xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><u:Timestamp xmlns:u="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><u:Created>2020-01-01T00:00:00Z</u:Created></u:Timestamp></o:Security>';
    const r = await post(envelope(S11, getMonth(2003, 13), wsse), as11);
    expect(r.text).toContain('soap:Client');
    expect(r.text).not.toContain('Security');
  });

  it('serves the WSDL with the tap’s address, its summary and generated envelopes', async () => {
    const wsdl = await (await fetch(`${base}?wsdl`)).text();
    expect(wsdl).toContain(`location="${base}"`);
    const summary = await lab.api<{ operations: { name: string; soapAction: string }[]; bindings: { soapVersion: string }[] }>('/api/soap/wsdl');
    expect(summary.operations.map((o) => o.name)).toEqual(['getMonth', 'getYear']);
    expect(summary.bindings.map((b) => b.soapVersion)).toEqual(['1.1', '1.2']);
    const generated = await lab.api<{ envelope: string; headers: Record<string, string> }>('/api/soap/envelope?operation=getMonth&version=1.2&year=2003&month=1');
    expect(generated.headers['Content-Type']).toContain('action=');
    const r = await post(generated.envelope, { 'content-type': generated.headers['Content-Type'] });
    expect(r.text).toContain('January 2003');
  });

  it('sends a request through the tap and records an annotated transcript', async () => {
    const generated = await lab.api<{ envelope: string }>('/api/soap/envelope?operation=getMonth&version=1.1&year=2003&month=1');
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'soap' && e.connection.label === 'SOAP HTTP console');
    const exchange = await lab.api<{ conn: string; status: number; request: string; response: string }>('/api/soap/http', { body: { envelope: generated.envelope, version: '1.1' } });
    expect(exchange.status).toBe(200);
    expect(exchange.response).toContain('January 2003');
    const { connection } = await closed;
    expect(connection.id).toBe(exchange.conn);
    const { messages } = await lab.api<{ connection: ConnectionInfo; messages: LabMessage[] }>(`/api/connections/${exchange.conn}`);
    const keys = messages.map((m) => m.annotation?.key);
    for (const key of ['http.method.POST', 'http.header.SOAPAction', 'soap.envelope', 'soap.body', 'soap.operation', 'http.status.200', 'soap.operation.response']) {
      expect(keys).toContain(key);
    }
    const wire = messages.filter((m) => m.view === 'wire');
    // The dissector's messages cover exactly the bytes that went over the wire.
    expect(wire.filter((m) => m.dir === 'client').reduce((n, m) => n + (m.bytes ?? 0), 0)).toBe(Buffer.byteLength(exchange.request));
    expect(wire.filter((m) => m.dir === 'server').reduce((n, m) => n + (m.bytes ?? 0), 0)).toBe(Buffer.byteLength(exchange.response));
  });

  it('understands a request typed line by line, as in the raw console', async () => {
    const body = envelope(S12, getMonth(2005, 1));
    const client = await LineClient.connect(lab.port('soap'));
    const address = `127.0.0.1:${client.socket.localPort}`; // read now: a closed socket forgets its port
    const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client === address);
    for (const line of ['POST /soap/calendar HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/soap+xml', `Content-Length: ${body.length + 2}`, 'Connection: close', '', body]) client.send(line);
    const reply = await client.waitFor(/<\/soap:Envelope>/);
    expect(reply).toMatch(/^HTTP\/1.1 200 OK/);
    const { connection } = await closed;
    const { messages } = await lab.api<{ messages: LabMessage[] }>(`/api/connections/${connection.id}`);
    expect(messages.filter((m) => m.kind === 'request-line')).toHaveLength(1);
    expect(messages.find((m) => m.kind === 'body' && m.dir === 'client')?.text).toContain('SOAP 1.2 getMonth');
    expect(messages.some((m) => m.dir === 'note' && m.text.includes('31'))).toBe(true); // the decoded calendar
  });
});
