import type { Lesson } from '../../../lib/lessons/types.ts';

/** SOAP over SMTP: requests as mail, answers matched by In-Reply-To, and answers that overtake each other. */
export const soapOverSmtp: Lesson = {
  id: 'soap-over-smtp',
  lab: 'soap',
  title: 'SOAP over SMTP, answered out of order',
  summary: 'Mail two SOAP requests to the Calendar service, see each answer come back as a mail that names its request, and watch the second answer arrive first.',
  minutes: 12,
  order: 4,
  goal:
    'Understand a one-way transport: HTTP pairs a response with its request on the connection, mail does not. The answer names its request in In-Reply-To (the request\'s Message-ID), so a client keeps a table of pending requests and matches answers whatever order they come in.',
  steps: [
    {
      id: 'request-mail',
      title: 'A request is a mail',
      do:
        'In the Mail binding tab, send one getMonth request. The lab\'s client mails a SOAP 1.2 envelope to calendar@lab.test through the SMTP lab: look at the SMTP transcript. The mail has a Message-ID, the body\'s Content-Type is application/soap+xml, and the lab hands the body to the SOAP dissector.\n\nOr by hand with swaks, below: it mails getMonth12.xml (the Own client tab\'s "curl · SOAP 1.2" recipe writes it) to the lab\'s SMTP server.',
      panel: 'mail',
      shell: ['swaks --server {{host}}:{{port smtp}} --from student@lab.test --to calendar@lab.test --header "Content-Type: application/soap+xml; charset=utf-8" --body @getMonth12.xml'],
      proof: {
        all: [
          { protocol: 'smtp', dir: 'client', key: 'smtp.header.message-id' },
          { protocol: 'smtp', dir: 'client', key: 'smtp.header.content-type.soap' },
          { protocol: 'smtp', key: 'smtp.note.soap-handoff' },
          { protocol: 'smtp', dir: 'client', key: 'soap.operation' },
          { protocol: 'smtp', dir: 'server', key: 'smtp.reply.250.data' },
        ],
      },
      hints: ['The 250 after the final dot only says the mail was queued: the SOAP answer comes later, as a separate mail.'],
      ref: 'RFC 5322 §3.6.4; RFC 5321 §4.1.1.4',
    },
    {
      id: 'answer-mail',
      title: 'The answer names its request',
      do:
        'The service answers by mail to student@lab.test. Its In-Reply-To and References headers hold the request\'s Message-ID: that is the only thread tying the two together. The correlation table in the Mail binding tab matches them the same way.',
      panel: 'mail',
      proof: {
        all: [
          { protocol: 'smtp', dir: 'client', key: 'smtp.header.in-reply-to' },
          { protocol: 'smtp', dir: 'client', key: 'smtp.header.references' },
          { protocol: 'smtp', dir: 'client', key: 'soap.operation.response' },
        ],
      },
      hints: ['Open the answer in the SMTP lab\'s Mailbox to read all its headers.'],
      ref: 'RFC 5322 §3.6.4',
    },
    {
      id: 'out-of-order',
      title: 'Two requests, answered out of order',
      do:
        'Send two requests at once: January with a think time of 3000 ms, then February with 100 ms. January goes out first, February is answered first. Over HTTP the second call would have waited; over mail nothing keeps the order, and the client must not assume it — it matches each answer by In-Reply-To.',
      panel: 'mail',
      proof: {
        all: [
          { protocol: 'smtp', dir: 'client', text: '^Subject: getMonth \\d+-1$' },
          { protocol: 'smtp', dir: 'client', text: '^Subject: getMonth \\d+-2$' },
          { protocol: 'smtp', dir: 'client', text: '^Subject: Re: getMonth \\d+-2$' },
          { protocol: 'smtp', dir: 'client', text: '^Subject: Re: getMonth \\d+-1$' },
        ],
        anyConnection: true,
      },
      hints: ['Each request row in the Mail binding tab has its own think time.', 'An answer whose In-Reply-To matches no pending request is listed as a stray.'],
      ref: 'RFC 5322 §3.6.4',
    },
  ],
};
