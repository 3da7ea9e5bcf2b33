import { describe, expect, it } from 'vitest';
import { policyScopes, ordersWsdl } from '../../servers/policy/lab/wsdl.ts';
import { wsdlLines } from './wsdl-lines';

const settings = { addressing: true, rm: 'both', empty: false } as const;
const labelled = (lines: ReturnType<typeof wsdlLines>) => lines.filter((l) => l.label).map((l) => [l.scope, l.label]);

describe('wsdlLines', () => {
  it('tags every policy attachment of the Orders WSDL with its scope, inline and by reference', () => {
    const lines = wsdlLines(ordersWsdl(settings, 'http://127.0.0.1:8080/soap/orders'), policyScopes(settings));
    expect(labelled(lines)).toEqual([
      ['endpoint', 'wsu:Id="AddressingPolicy" · referenced from wsdl:port OrdersPort'],
      ['endpoint', 'wsu:Id="ReliableMessagingPolicy" · referenced from wsdl:binding OrdersSoap12Binding'],
      ['message', 'wsu:Id="LoggingPolicy" · referenced from wsdl:binding/wsdl:operation/wsdl:input cancelOrder'],
      ['endpoint', 'wsdl:binding OrdersSoap12Binding · by reference to #ReliableMessagingPolicy'],
      ['operation', 'wsdl:binding/wsdl:operation placeOrder · inline'],
      ['operation', 'wsdl:binding/wsdl:operation getOrder · inline'],
      ['message', 'wsdl:binding/wsdl:operation/wsdl:input cancelOrder · by reference to #LoggingPolicy'],
      ['endpoint', 'wsdl:service/wsdl:port OrdersPort · by reference to #AddressingPolicy'],
    ]);
    // The whole referenced policy is tagged, up to its end tag, and nothing after it.
    const rm = lines.findIndex((l) => l.label?.startsWith('wsu:Id="ReliableMessagingPolicy"'));
    const end = lines.findIndex((l, i) => i > rm && l.text === '</wsp:Policy>' && l.depth === lines[rm].depth);
    expect(lines.slice(rm, end + 1).every((l) => l.scope === 'endpoint')).toBe(true);
    expect(lines.slice(rm, end + 1).map((l) => l.text.trim())).toContain('<wsrm10p:InactivityTimeout Milliseconds="600000"/>');
    expect(lines[end + 1].scope).not.toBe('endpoint');
    // Elements outside any policy are untagged; text-only elements read on one line.
    expect(lines.find((l) => l.text.startsWith('<wsdl:types'))?.scope).toBeUndefined();
    // The root's dozen namespace declarations are one per line, marked for the viewer to indent: leading spaces
    // wrapped on their own in a narrow pane and showed as a blank line above a long namespace URI.
    const declarations = lines.filter((l) => l.text.startsWith('xmlns:'));
    expect(declarations.length).toBeGreaterThan(8);
    expect(declarations.every((l) => l.attribute)).toBe(true);
    expect(lines.filter((l) => /^\s/.test(l.text))).toEqual([]);
  });

  it('tags the inline empty ExactlyOne at the binding, and a policy no longer referenced says so', () => {
    const empty = { ...settings, empty: true, addressing: false } as const;
    const lines = wsdlLines(ordersWsdl(empty, 'http://x/soap/orders'), policyScopes(empty));
    expect(labelled(lines)).toContainEqual(['endpoint', 'wsdl:binding OrdersSoap12Binding · inline']);
    const at = lines.findIndex((l) => l.label === 'wsdl:binding OrdersSoap12Binding · inline');
    expect(lines[at + 1]).toMatchObject({ text: '<wsp:ExactlyOne/>', scope: 'endpoint' });
  });

  it('reads garbage without throwing', () => {
    expect(() => wsdlLines('<a><b x="1>', [])).not.toThrow();
    expect(wsdlLines('', [])).toEqual([]);
  });
});
