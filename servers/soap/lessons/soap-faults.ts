import type { Lesson } from '../../../lib/lessons/types.ts';

/** SOAP faults: who is to blame (Client/Sender vs Server/Receiver) and the HTTP status each version sends them with. */
export const soapFaults: Lesson = {
  id: 'soap-faults',
  lab: 'soap',
  title: 'Faults: Client/Server vs Sender/Receiver',
  summary: 'Provoke a fault in SOAP 1.1 and in SOAP 1.2, read its code, reason and detail, and predict the HTTP status it travels with.',
  minutes: 10,
  order: 2,
  goal:
    'Read a SOAP fault: its code says whose fault it is — the message (1.1 Client, 1.2 Sender: do not resend it unchanged) or the service (1.1 Server, 1.2 Receiver: the same message may work later) — its reason says why in words, its detail carries the application\'s own data. SOAP 1.1 faults come with HTTP 500; SOAP 1.2 Sender faults with 400.',
  steps: [
    {
      id: 'client-fault',
      title: 'A bad argument in SOAP 1.1: soap:Client',
      do:
        'Call getMonth in SOAP 1.1 with month 13. The service refuses it with a Fault inside the Body: faultcode soap:Client (the message is wrong), a faultstring in words, and a detail that names the argument, the value and what was expected.\n\nThe HTTP status is 500 — SOAP 1.1 sends every fault with 500, whoever is to blame.',
      panel: 'http',
      proof: {
        all: [
          { dir: 'server', key: 'http.status.500' },
          { dir: 'server', key: 'soap.fault' },
          { dir: 'server', key: 'soap.fault.Client' },
          { dir: 'server', key: 'soap.fault.faultstring' },
          { dir: 'server', key: 'soap.fault.detail.argument' },
        ],
      },
      hints: ['Change <month>1</month> to 13 in the envelope.', 'SOAP 1.1 fault parts are unqualified: faultcode, faultstring, faultactor, detail (SOAP 1.1 §4.4).'],
      ref: 'SOAP 1.2 Part 1 §5.4.6, Appendix A',
    },
    {
      id: 'sender-fault',
      title: 'The same mistake in SOAP 1.2: soap:Sender and 400',
      do:
        'Now month 13 in SOAP 1.2. Turn on step mode first: the lab holds your POST and asks which HTTP status the fault will come with.\n\nSOAP 1.2 renamed the codes (Client became Sender, Server became Receiver), qualifies the fault\'s parts (Code/Value, Reason/Text, Detail), and its HTTP binding maps a Sender fault to 400 Bad Request.',
      panel: 'http',
      proof: {
        all: [{ dir: 'server', key: 'http.status.400' }, { dir: 'server', key: 'soap.fault.Code' }, { dir: 'server', key: 'soap.fault.Sender' }, { dir: 'server', key: 'soap.fault.Reason' }],
      },
      question: {
        prompt: 'Your SOAP 1.2 request with month 13 is held. Which HTTP status will the fault come with?',
        when: { dir: 'client', text: '^POST /soap/calendar' },
        choices: ['200', '400', '500', '415'],
        answer: { from: { dir: 'server', kind: 'status-line' }, field: 'status' },
        explain:
          '400: in the SOAP 1.2 HTTP binding a fault whose Code is env:Sender goes with 400 Bad Request, any other fault with 500 (SOAP 1.2 Part 2 §7.5.2.2). SOAP 1.1 used 500 for every fault.',
      },
      whatIf: {
        fault: 'soap.receiver-fault',
        explain:
          'Now the service itself fails: with the fault on, the next call is answered with a Receiver fault (soap:Server in SOAP 1.1) and HTTP 500, whatever you send. Call getMonth with a good month: the request was fine, the service could not process it now, so the same message may be sent again later — unlike a Sender fault, which says the message must change (SOAP 1.2 Part 1 §5.4.6).',
        proof: { all: [{ dir: 'note', injectedBy: 'soap.receiver-fault' }, { dir: 'server', key: 'http.status.500' }, { dir: 'server', key: 'soap.fault.Receiver' }] },
      },
      hints: ['Step mode is the Step switch above the HTTP console.', 'A Sender fault tells the client: do not resend this message unchanged.'],
      ref: 'SOAP 1.2 Part 1 §5.4.1, §5.4.6; SOAP 1.2 Part 2 §7.5.2.2',
    },
  ],
};
