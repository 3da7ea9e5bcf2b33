import { describe, expect, it } from 'vitest';
import { ENVELOPE_NS, addDoctype, addMustUnderstandHeader, breakXml, removeArgument, swapEnvelopeNamespace } from './envelope-tweaks';

// As GET /api/soap/envelope generates it.
const env = (version: '1.1' | '1.2', header = '') => `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}" xmlns:cal="http://lab.test/soap/calendar">
${header}  <soap:Body>
    <cal:getMonth>
      <cal:year>2003</cal:year>
      <cal:month>1</cal:month>
    </cal:getMonth>
  </soap:Body>
</soap:Envelope>
`;

describe('envelope tweaks', () => {
  it('swaps the envelope namespace to the other version', () => {
    expect(swapEnvelopeNamespace(env('1.1'), '1.1')).toContain(ENVELOPE_NS['1.2']);
    expect(swapEnvelopeNamespace(env('1.2'), '1.2')).toContain(ENVELOPE_NS['1.1']);
    expect(swapEnvelopeNamespace(env('1.2'), '1.2')).not.toContain(ENVELOPE_NS['1.2']);
  });

  it('adds a Header with a mustUnderstand block, "1" in 1.1 and "true" in 1.2', () => {
    const out11 = addMustUnderstandHeader(env('1.1'), '1.1');
    expect(out11).toContain('<soap:Header>\n    <cal:audit soap:mustUnderstand="1">lesson-1</cal:audit>\n  </soap:Header>\n  <soap:Body>');
    expect(addMustUnderstandHeader(env('1.2'), '1.2')).toContain('soap:mustUnderstand="true"');
  });

  it('puts the block into an existing Header', () => {
    const out = addMustUnderstandHeader(env('1.2', '  <soap:Header>\n    <cal:delay>5</cal:delay>\n  </soap:Header>\n'), '1.2');
    expect(out.match(/<soap:Header>/g)).toHaveLength(1);
    expect(out).toContain('<soap:Header>\n    <cal:audit soap:mustUnderstand="true">lesson-1</cal:audit>\n    <cal:delay>5</cal:delay>');
  });

  it('declares an external entity after the XML declaration and uses it as the year', () => {
    const out = addDoctype(env('1.1'));
    expect(out.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE getMonth [')).toBe(true);
    expect(out).toContain('<!ENTITY xxe SYSTEM "file:///etc/passwd">');
    expect(out).toContain('<cal:year>&xxe;</cal:year>');
  });

  it('removes the month, then the year', () => {
    const once = removeArgument(env('1.1'));
    expect(once).not.toContain('month>');
    expect(once).toContain('<cal:year>2003</cal:year>\n    </cal:getMonth>');
    expect(removeArgument(once)).not.toContain('year>');
  });

  it('breaks well-formedness by dropping </soap:Body>', () => {
    expect(breakXml(env('1.2'))).not.toContain('</soap:Body>');
    expect(breakXml(env('1.2'))).toContain('</soap:Envelope>');
  });
});
