import type { Lesson } from '../../../lib/lessons/types.ts';

/** Where a WSDL attaches policy (the scopes) and what a policy means once normalized (its alternatives). */
export const policyAttachment: Lesson = {
  id: 'policy-attachment',
  lab: 'policy',
  title: 'Policy scopes and the normal form',
  summary: 'Fetch the Orders WSDL and find where each policy is attached — port, binding, operation, message — then read its alternatives in normal form.',
  minutes: 12,
  order: 1,
  goal:
    'Read a WS-Policy attachment: where a policy sits in the WSDL decides its subject (endpoint, operation or message), and a client merges the policies of every scope that contains a subject. Then read a policy in normal form: an ExactlyOne of All elements, each All one alternative; wsp:Optional is shorthand for two alternatives.',
  steps: [
    {
      id: 'scopes',
      title: 'Four places a policy can be attached',
      do:
        'Fetch the provider\'s WSDL: the "1 · Provider WSDL" tab, or `curl -s \'http://{{host}}:{{port soap}}/soap/orders?wsdl\'`, below. Read it in the tab\'s "The WSDL as published" pane (or curl\'s output):\n\n- named policies at the top (wsu:Id AddressingPolicy, ReliableMessagingPolicy, LoggingPolicy) apply to nothing until referenced;\n- the binding references ReliableMessagingPolicy: the endpoint subject;\n- a wsp:Policy inside a binding operation: the operation subject;\n- a reference inside an operation\'s input: the message subject;\n- the port references AddressingPolicy: the endpoint subject again.\n\nEach subject has an effective policy of its own: the endpoint\'s, the operation\'s, the message\'s (the merge of what is attached at its own elements, e.g. a message\'s portType and binding input). All of them apply to a message, so the client honours their merge.',
      panel: 'provider',
      shell: ["curl -s 'http://{{host}}:{{port soap}}/soap/orders?wsdl'"],
      proof: {
        all: [
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.Policy', field: { name: 'id', value: 'AddressingPolicy' } },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.PolicyReference', field: { name: 'URI', value: '#ReliableMessagingPolicy' } },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.Policy', field: { name: 'subject', value: 'operation policy subject' } },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.PolicyReference', field: { name: 'URI', value: '#LoggingPolicy' } },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.PolicyReference', field: { name: 'URI', value: '#AddressingPolicy' } },
        ],
      },
      hints: ['The "1 · Provider WSDL" tab colours each attachment by its scope.', 'A policy attached to the portType or the binding covers every operation of the endpoint.'],
      ref: 'WS-PolicyAttachment 1.5 §3.1, §4.1, §4.1.2, §4.1.3, §4.1.4',
    },
    {
      id: 'normal-form',
      title: 'Alternatives: ExactlyOne of All',
      do:
        'Look at ReliableMessagingPolicy: a wsp:ExactlyOne with two wsp:All — one holding the RM 1.1 assertion (wsrmp:RMAssertion), one the RM 1.0 assertion. That is normal form: each All is one alternative, and a client must satisfy exactly one.\n\nThen find mtom:MTOM with wsp:Optional="true" on getOrder: normalization turns it into two alternatives, one with MTOM and one without. (WS-MTOMPolicy itself attaches MTOM to a whole endpoint, the binding or the port; the lab puts it on one operation to show an optional assertion at operation scope.) \n\nNow let the lab\'s client read it: in the "2 · Effective policy" tab press Fetch provider policy (Refresh provider policy once one is cached; by GET or WS-MEX). The client fetches the WSDL itself — its request names it in User-Agent — and the tab shows each subject\'s merged policy in normal form.',
      panel: 'client',
      proof: {
        all: [
          // The lab's client fetching the policy (the Effective policy tab), not the curl of the step before.
          { protocol: 'soap', dir: 'client', key: 'http.header.User-Agent', text: 'Protocol-Lab-WS-Policy-client' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.ExactlyOne' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.All' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.assertion', text: 'RMAssertion' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.All' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.assertion', text: 'RMAssertion' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsp.assertion', text: 'wsp:Optional="true"' },
        ],
      },
      hints: ['If the provider offers only one RM version (its admin switch), there is one All: set it back to both.', 'An empty ExactlyOne has no alternative at all: nothing can satisfy it.'],
      ref: 'WS-Policy 1.5 Framework §4.1, §4.3.1, §4.3.3, §4.3.6',
    },
  ],
};
