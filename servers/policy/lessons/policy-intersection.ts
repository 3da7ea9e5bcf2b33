import type { Lesson } from '../../../lib/lessons/types.ts';

/** Intersection (what both sides accept) and refresh (what a client does when the provider's policy changed under it). */
export const policyIntersection: Lesson = {
  id: 'policy-intersection',
  lab: 'policy',
  title: 'Intersection and refresh',
  summary: 'Let the client intersect its policy with the provider\'s and call with the alternative both accept; then change the provider\'s policy under it and watch fault, refresh and retry.',
  minutes: 12,
  order: 2,
  goal:
    'Keep two steps apart: the effective policy is the provider\'s policies MERGED over the scopes; INTERSECTION with the client\'s own policy then keeps the alternatives both accept, and the client picks one. A cached policy can go stale: a policy fault tells the client to fetch again, recompute and retry.',
  steps: [
    {
      id: 'intersect-and-call',
      title: 'Intersect, choose, call',
      do:
        'In the Effective policy tab fetch the provider policy (GET or MEX). The matrix pairs each provider alternative with each of the client\'s: compatible pairs share every assertion (strict mode), or every non-ignorable one (lax mode). Of the compatible ones the client takes the newest RM version.\n\nThen in the Call tab call placeOrder. The request carries exactly what the chosen alternative asks for: WS-Addressing headers (wsa:Action, wsa:MessageID…) and an RM 1.1 sequence (CreateSequence, then Sequence with MessageNumber).',
      panel: 'call',
      proof: {
        all: [
          { protocol: 'soap', dir: 'client', key: 'soap.wsa.Action' },
          { protocol: 'soap', dir: 'client', key: 'soap.wsrm.Sequence', field: { name: 'version', value: 'WS-RM 1.1' } },
          { protocol: 'soap', dir: 'client', key: 'soap.wsrm.MessageNumber' },
          { protocol: 'soap', dir: 'server', key: 'http.status.200' },
          { protocol: 'soap', dir: 'server', key: 'soap.wsrm.SequenceAcknowledgement' },
        ],
      },
      hints: ['Switch the client to strict mode and fetch again: the ignorable log:Logging assertion then has no partner, and nothing is compatible for placeOrder.'],
      ref: 'WS-Policy 1.5 Framework §4.4, §4.5; WS-PolicyAttachment 1.5 §3.1',
    },
    {
      id: 'refresh',
      title: 'The provider changes: fault, refresh, retry',
      do:
        'Make the client choose RM 1.0: in the Provider admin panel set RM to "1.0 only", fetch the policy again and call placeOrder — the client opens an RM 1.0 sequence.\n\nNow set the provider to "1.1 only" and call again without fetching. The client still uses its cached policy, so its RM 1.0 CreateSequence is refused with a fault (wsa:ActionNotSupported). The client reads that as "my policy is stale": it fetches the WSDL again, recomputes, and retries once with RM 1.1. The ladder in the Call tab shows fault → refresh → fetch → retry.',
      panel: 'call',
      proof: {
        all: [
          { protocol: 'soap', dir: 'client', key: 'soap.wsrm.CreateSequence', field: { name: 'version', value: 'WS-RM 1.0' } },
          { protocol: 'soap', dir: 'server', key: 'soap.wsa.fault.ActionNotSupported' },
          { protocol: 'soap', dir: 'client', key: 'http.method.GET', text: 'orders\\?wsdl' },
          { protocol: 'soap', dir: 'client', key: 'soap.wsrm.CreateSequence', field: { name: 'version', value: 'WS-RM 1.1' } },
          { protocol: 'soap', dir: 'server', key: 'soap.wsrm.CreateSequenceResponse' },
        ],
        anyConnection: true,
      },
      whatIf: {
        fault: 'policy.drop-rm10',
        // The refused CreateSequence and the client's fetch of the policy: the fetch must still see the provider without RM 1.0.
        times: 2,
        explain:
          'Let the client speak RM 1.0 only (untick RM 1.1 in the Effective policy tab) and fetch: it caches RM 1.0. Now the provider drops RM 1.0 for two requests (the fault switches it to "RM 1.1 only"). Call placeOrder: the cached RM 1.0 CreateSequence is refused, the client fetches the policy again — and this time nothing is compatible, so it stops and says why instead of guessing. Tick RM 1.1 again and the next call succeeds (WS-Policy 1.5 Framework §4.5).',
        // Seen only once the client's re-fetch was answered without RM 1.0 too (the rule's second request):
        // with RM 1.0 back in the re-fetched policy the client would just retry in RM 1.0, which is not the story.
        proof: {
          all: [
            { protocol: 'soap', dir: 'client', key: 'soap.wsrm.CreateSequence', field: { name: 'version', value: 'WS-RM 1.0' } },
            { protocol: 'soap', dir: 'note', injectedBy: 'policy.drop-rm10' },
            { protocol: 'soap', dir: 'server', key: 'soap.wsa.fault.ActionNotSupported' },
            { protocol: 'soap', dir: 'client', key: 'http.method.GET', text: 'orders\\?wsdl' },
            { protocol: 'soap', dir: 'note', injectedBy: 'policy.drop-rm10' },
          ],
          anyConnection: true,
        },
      },
      hints: ['The seed calls this refreshProviderPolicy; the "Refresh provider policy" button sets it by hand.', 'Set the provider back to both RM versions when you are done.'],
      ref: 'WS-Policy 1.5 Framework §4.5; WS-Addressing 1.0 SOAP Binding §6.4.4',
    },
  ],
};
