import { describe, expect, it } from 'vitest';
import { decodeXmlText, summarizeResponse } from './response-summary';

const http = (status: string, type: string, body: string) =>
  `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;

// Captured from the lab's service host.
const MONTH =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><getMonthResponse xmlns="http://lab.test/soap/calendar"><calendar>    January 2003&#xA;Mo Tu We Th Fr Sa Su&#xA;       1  2  3  4  5&#xA;</calendar></getMonthResponse></soap:Body></soap:Envelope>';
const FAULT_11 =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="http://lab.test/soap/calendar"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>month must be an integer from 1 to 12; got 13.</faultstring><detail><tns:CalendarFault><tns:argument>month</tns:argument><tns:value>13</tns:value></tns:CalendarFault></detail></soap:Fault></soap:Body></soap:Envelope>';
const FAULT_12 =
  '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>tns:InvalidArgument</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang="en">month must be an integer from 1 to 12; got 13.</soap:Text></soap:Reason><soap:Detail><tns:CalendarFault><tns:argument>month</tns:argument></tns:CalendarFault></soap:Detail></soap:Fault></soap:Body></soap:Envelope>';

describe('summarizeResponse', () => {
  it('decodes the calendar text of a getMonth response', () => {
    const s = summarizeResponse(http('200 OK', 'application/soap+xml; charset=utf-8', MONTH));
    expect(s).toMatchObject({ status: 200, reason: 'OK', contentType: 'application/soap+xml; charset=utf-8' });
    expect(s?.result).toBe('    January 2003\nMo Tu We Th Fr Sa Su\n       1  2  3  4  5\n');
    expect(s?.fault).toBeUndefined();
  });

  it('reads a SOAP 1.1 fault: faultcode, faultstring, detail', () => {
    const s = summarizeResponse(http('500 Internal Server Error', 'text/xml; charset=utf-8', FAULT_11));
    expect(s?.status).toBe(500);
    expect(s?.fault).toEqual({ code: 'soap:Client', subcode: undefined, reason: 'month must be an integer from 1 to 12; got 13.', detail: 'month 13' });
  });

  it('reads a SOAP 1.2 fault: Code/Value, Subcode, Reason/Text, Detail', () => {
    const s = summarizeResponse(http('400 Bad Request', 'application/soap+xml', FAULT_12));
    expect(s?.fault).toEqual({ code: 'soap:Sender', subcode: 'tns:InvalidArgument', reason: 'month must be an integer from 1 to 12; got 13.', detail: 'month' });
  });

  it('skips interim 1xx responses', () => {
    const s = summarizeResponse(`HTTP/1.1 100 Continue\r\n\r\n${http('200 OK', 'text/xml', MONTH)}`);
    expect(s?.status).toBe(200);
  });

  it('returns null for text that is not HTTP, and survives a truncated response', () => {
    expect(summarizeResponse('garbage')).toBeNull();
    expect(summarizeResponse('HTTP/1.1 503 Service Unavailable')).toMatchObject({ status: 503, contentType: null });
  });
});

describe('decodeXmlText', () => {
  it.each([
    ['a&#xA;b', 'a\nb'],
    ['&#10;', '\n'],
    ['&lt;tag&gt; &amp; &quot;q&quot; &apos;', `<tag> & "q" '`],
    ['&unknown; &#x110000;', '&unknown; &#x110000;'],
  ])('decodes %j', (input, expected) => expect(decodeXmlText(input)).toBe(expected));
});
