// Effective policy of WSDL 1.1 subjects (WS-PolicyAttachment 1.5 §4.1): a WSDL shaped like the lab's orders
// service, with policy at every scope, inline and by reference, merged per subject and then normalized.
import { describe, expect, it } from 'vitest';
import type { NormalPolicy } from './model.ts';
import { normalize } from './normalize.ts';
import { wsdlPolicies, type PolicySubject, type WsdlPolicies } from './wsdl.ts';

const ORDERS_WSDL = `<?xml version="1.0"?>
<wsdl:definitions name="Orders" targetNamespace="urn:lab:orders" xmlns:tns="urn:lab:orders"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:wsp="http://www.w3.org/ns/ws-policy" xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata"
    xmlns:wsrmp="http://docs.oasis-open.org/ws-rx/wsrmp/200702" xmlns:wsrm="http://schemas.xmlsoap.org/ws/2005/02/rm/policy"
    xmlns:mtom="http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization" xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702"
    xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
  <wsp:Policy wsu:Id="Addressing"><wsam:Addressing><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing></wsp:Policy>
  <wsp:Policy wsu:Id="RM"><wsp:ExactlyOne>
    <wsp:All><wsrmp:RMAssertion><wsp:Policy/></wsrmp:RMAssertion></wsp:All>
    <wsp:All><wsrm:RMAssertion/></wsp:All>
  </wsp:ExactlyOne></wsp:Policy>
  <wsp:Policy xml:id="Signed"><sp:SignedParts><sp:Body/></sp:SignedParts></wsp:Policy>
  <wsdl:message name="PlaceOrderRequest" wsp:PolicyURIs="#Signed"><wsdl:part name="body" element="tns:PlaceOrder"/></wsdl:message>
  <wsdl:message name="PlaceOrderResponse"><wsdl:part name="body" element="tns:PlaceOrderResponse"/></wsdl:message>
  <wsdl:message name="GetOrderRequest"><wsdl:part name="body" element="tns:GetOrder"/></wsdl:message>
  <wsdl:message name="GetOrderResponse"><wsdl:part name="body" element="tns:GetOrderResponse"/></wsdl:message>
  <wsdl:portType name="OrdersPortType">
    <wsdl:operation name="PlaceOrder"><wsdl:input message="tns:PlaceOrderRequest"/><wsdl:output message="tns:PlaceOrderResponse"/></wsdl:operation>
    <wsdl:operation name="GetOrder"><wsdl:input message="tns:GetOrderRequest"/><wsdl:output message="tns:GetOrderResponse"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="OrdersBinding" type="tns:OrdersPortType">
    <wsp:PolicyReference URI="#RM"/>
    <soap12:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>
    <wsdl:operation name="PlaceOrder">
      <wsp:Policy><mtom:OptimizedMimeSerialization wsp:Optional="true"/><sp:IncludeTimestamp wsp:Ignorable="true"/></wsp:Policy>
      <wsdl:input><wsp:Policy><sp:EncryptedParts><sp:Body/></sp:EncryptedParts></wsp:Policy></wsdl:input>
      <wsdl:output/>
    </wsdl:operation>
    <wsdl:operation name="GetOrder"><wsdl:input/><wsdl:output/></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="OrdersService">
    <wsdl:port name="OrdersPort" binding="tns:OrdersBinding">
      <wsp:PolicyReference URI="#Addressing"/>
      <soap12:address location="http://127.0.0.1:8080/soap/orders"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>`;

function walked(xml = ORDERS_WSDL): WsdlPolicies {
  const result = wsdlPolicies(xml);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function effective(subject: PolicySubject, registry: WsdlPolicies['registry']): NormalPolicy {
  const result = normalize(subject.effective, { registry });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const names = (p: NormalPolicy): string[] => p.alternatives.map((alt) => alt.map((a) => `${a.name.local}${a.name.ns.includes('2005/02') ? '10' : ''}`).join(' + '));

describe('WSDL 1.1 policy subjects', () => {
  const wsdl = walked();
  const [service] = wsdl.services;
  const [endpoint] = service.endpoints;
  const [placeOrder, getOrder] = endpoint.operations;

  it('finds the service, its endpoint with binding and portType, the operations and their messages', () => {
    expect(wsdl.targetNamespace).toBe('urn:lab:orders');
    expect([service.name, endpoint.port, endpoint.binding.local, endpoint.portType.local]).toEqual(['OrdersService', 'OrdersPort', 'OrdersBinding', 'OrdersPortType']);
    expect(endpoint.operations.map((o) => o.name)).toEqual(['PlaceOrder', 'GetOrder']);
    expect(placeOrder.messages.map((m) => m.subject.path)).toEqual(['OrdersService/OrdersPort/PlaceOrder/input', 'OrdersService/OrdersPort/PlaceOrder/output']);
  });

  it('§4.1.1: the service subject has only the service element policy (none here: one empty alternative)', () => {
    expect(names(effective(service.subject, wsdl.registry))).toEqual(['']);
  });

  it('§4.1.2: the endpoint merges port (Addressing by reference) ⊕ binding (RM 1.1 or 1.0) ⊕ portType', () => {
    expect(endpoint.subject.attachments.map((a) => `${a.element}:${a.policies.length}`)).toEqual(['wsdl:port:1', 'wsdl:binding:1', 'wsdl:portType:0']);
    expect(names(effective(endpoint.subject, wsdl.registry))).toEqual(['Addressing + RMAssertion', 'Addressing + RMAssertion10']);
  });

  it('§4.1.3: the operation merges portType/operation ⊕ binding/operation; Optional doubles the alternatives', () => {
    expect(names(effective(placeOrder.subject, wsdl.registry))).toEqual(['OptimizedMimeSerialization + IncludeTimestamp', 'IncludeTimestamp']);
    expect(effective(placeOrder.subject, wsdl.registry).alternatives[1][0].ignorable).toBe(true);
    expect(names(effective(getOrder.subject, wsdl.registry))).toEqual(['']);
  });

  it('§4.1.4: the input message merges wsdl:message (wsp:PolicyURIs to an xml:id) ⊕ portType input ⊕ binding input', () => {
    const input = placeOrder.messages[0].subject;
    expect(input.attachments.map((a) => `${a.element} ${a.name}:${a.policies.length}`)).toEqual([
      'wsdl:message PlaceOrderRequest:1',
      'wsdl:portType/wsdl:operation/wsdl:input PlaceOrder:0',
      'wsdl:binding/wsdl:operation/wsdl:input PlaceOrder:1',
    ]);
    expect(names(effective(input, wsdl.registry))).toEqual(['SignedParts + EncryptedParts']);
    expect(names(effective(placeOrder.messages[1].subject, wsdl.registry))).toEqual(['']);
  });
});

describe('WSDL errors are values', () => {
  it.each([
    ['not a WSDL', '<a/>', /^wsdl: The root element is a, not wsdl:definitions/],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY e "x">]><x/>', /^xml: .*document type declaration/],
    ['a port naming a missing binding', ORDERS_WSDL.replace('binding="tns:OrdersBinding"', 'binding="tns:Nope"'), /^wsdl: wsdl:port OrdersPort names the binding \{urn:lab:orders\}Nope, which this document does not define/],
    ['an undeclared prefix', ORDERS_WSDL.replace('binding="tns:OrdersBinding"', 'binding="zz:OrdersBinding"'), /^wsdl: .*prefix "zz"/],
    ['a bad wsp:Optional', ORDERS_WSDL.replace('wsp:Optional="true"', 'wsp:Optional="yes"'), /^bad-boolean: /],
  ])('%s', (_name, xml, expected) => {
    const result = wsdlPolicies(xml);
    expect(result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`).toMatch(expected);
  });

  it('an unresolved reference is found when the subject is normalized', () => {
    const wsdl = walked(ORDERS_WSDL.replace('URI="#Addressing"', 'URI="#Gone"'));
    const result = normalize(wsdl.services[0].endpoints[0].subject.effective, { registry: wsdl.registry });
    expect(result.ok ? 'ok' : result.error.code).toBe('unresolved-reference');
  });
});
