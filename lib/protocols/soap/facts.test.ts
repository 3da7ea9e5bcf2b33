// Facts review of issue 8: which line a note sits on, what each fault part is called and where it is
// defined, and prose that neither repeats its title nor names the lab's libraries.
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../types.ts';
import { createSoapDissector } from './dissector.ts';
import { annotateSoapEnvelope } from './envelope.ts';
import { ALL_FACTS } from './tables.ts';

const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const keyed = (lines: DissectedMessage[], key: string) => lines.filter((m) => m.annotation?.key === key);

describe('SOAP facts', () => {
  it('puts the DTD refusal on the DOCTYPE line, and the declaration note on the <?xml?> line', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<s:Envelope xmlns:s="x"/>';
    const { lines } = annotateSoapEnvelope(xml);
    expect(lines[0].annotation?.key).toBe('xml.declaration');
    expect(lines[1].text).toContain('<!DOCTYPE');
    expect(lines[1].annotation).toMatchObject({ key: 'xml.dtd.forbidden', level: 'error' });
    expect(lines[1].annotation?.explain).toContain('DTDs are not allowed');
    expect(lines[2].annotation).toBeUndefined();
  });

  it('annotates a DOCTYPE on the first line when nothing precedes it', () => {
    const { lines } = annotateSoapEnvelope('<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>');
    expect(lines[0].annotation?.key).toBe('xml.dtd.forbidden');
  });

  it('ends a chunked message with its own note, not "end of header section"', () => {
    const d = createSoapDissector();
    const out = [...d.push('server', new TextEncoder().encode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Trailer: 1\r\n\r\n')), ...d.end()];
    const blanks = out.filter((m) => m.kind === 'blank').map((m) => m.annotation?.key);
    expect(blanks).toEqual(['http.header-end', 'http.chunk.end']);
    expect(ALL_FACTS.get('http.chunk.end')?.ref).toBe('RFC 9112 §7.1');
  });

  it('explains a WS-Security header block instead of leaving it bare', () => {
    const wsse = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
    const xml = `<e:Envelope xmlns:e="${S12}"><e:Header><o:Security xmlns:o="${wsse}" e:mustUnderstand="1"><u:Timestamp xmlns:u="urn:u"/></o:Security></e:Header><e:Body/></e:Envelope>`;
    const [line] = keyed(annotateSoapEnvelope(xml).lines, 'soap.header.wsse');
    expect(line.text).toContain('<o:Security');
    expect(line.annotation?.explain).toMatch(/Timestamp/);
  });

  it('cites the soap12 WSDL elements from the W3C submission, the soap ones from WSDL 1.1 §3', () => {
    const wsdl = `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"><wsdl:service name="s"><wsdl:port name="a"><soap:address location="x"/></wsdl:port><wsdl:port name="b"><soap12:address location="x"/></wsdl:port></wsdl:service></wsdl:definitions>`;
    const [soap11, soap12] = keyed(annotateSoapEnvelope(wsdl).lines, 'wsdl.soap.address');
    expect(soap11.annotation?.ref).toBe('WSDL 1.1 §3.8');
    expect(soap12.annotation?.ref).toMatch(/^WSDL 1\.1 Binding Extension for SOAP 1\.2 \(W3C Member Submission, 2006\), soap12:address$/);
    expect(soap12.annotation?.ref).not.toContain('§3');
  });

  it('cites request-response operations and the Subcode value where the texts define them', () => {
    expect(ALL_FACTS.get('wsdl.operation')?.ref).toBe('WSDL 1.1 §2.4.2');
    expect(ALL_FACTS.get('soap.operation.response')?.ref).toContain('§2.4.5');
    expect(ALL_FACTS.get('soap.fault.Subcode.Value')?.ref).toBe('SOAP 1.2 Part 1 §5.4.1.3');
    expect(ALL_FACTS.get('soap.fault.Subcode')?.ref).toBe('SOAP 1.2 Part 1 §5.4.1.3');
  });
});
