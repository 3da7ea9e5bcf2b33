import type { Lesson } from '../../../lib/lessons/types.ts';

/** Relays: which recipients a server accepts, the 550 5.7.1 for the others, and what 4yz and 5yz mean mid-transaction. */
export const smtpRelays: Lesson = {
  id: 'smtp-relays',
  lab: 'smtp',
  title: 'Relays and 550 5.7.1',
  summary: 'Why a server takes mail for its own domains only, how it says no (550 5.7.1), the disguises spammers try, and what a client does with a temporary 451 or a 554.',
  minutes: 15,
  order: 4,
  goal:
    'Know what an open relay is and why servers refuse it, read a refusal per recipient, and tell a transient failure (4yz: try again later) from a permanent one (5yz: do not repeat).',
  steps: [
    {
      id: 'local-recipients',
      title: 'Mail for this server: accepted',
      do:
        'Start a mail and give two recipients of the lab\'s own domain, alice and bob. Each RCPT is answered on its own: 250 and 250. The server takes mail for lab.test because it delivers it itself.',
      panel: 'console',
      try: ['EHLO student.example', 'MAIL FROM:<student@lab.test>', 'RCPT TO:<alice@lab.test>', 'RCPT TO:<bob@lab.test>'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.RCPT' }, { dir: 'server', key: 'smtp.reply.250.rcpt' }, { dir: 'client', key: 'smtp.cmd.RCPT' }, { dir: 'server', key: 'smtp.reply.250.rcpt' }] },
      hints: ['One recipient per RCPT command, each in angle brackets.'],
      ref: 'RFC 5321 §3.3, §4.1.1.3',
      whatIf: {
        fault: 'smtp.rcpt-451-second',
        explain:
          'With this fault on, the lab answers the second RCPT of a transaction "451 4.3.0" itself. A 4yz is transient: the first recipient stays accepted, the client may send the mail to it now and should try the refused one again later rather than give up on it (RFC 5321 §4.2.1, §4.5.4.1).',
        proof: { all: [{ dir: 'server', key: 'smtp.reply.250.rcpt' }, { dir: 'server', injectedBy: 'smtp.rcpt-451-second', field: { name: 'code', value: '451' } }] },
      },
    },
    {
      id: 'relay-denied',
      title: 'Mail for somewhere else: relaying denied',
      do:
        'Now a recipient at another domain: RCPT TO:<someone@example.com>. Turn on step mode first; the lab asks what the server will answer.\n\nA server that passed such mail on for anyone would be an "open relay", which spammers use to hide where mail comes from. This server refuses: 550 (mailbox unavailable, permanent) with 5.7.1, "delivery not authorized".',
      panel: 'console',
      try: ['RCPT TO:<someone@example.com>'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.RCPT' }, { dir: 'server', key: 'smtp.reply.550.relay', field: { name: 'enhanced code', value: '5.7.1' } }] },
      question: {
        prompt: 'RCPT TO:<someone@example.com> is held at the tap. What will the server answer?',
        when: { dir: 'client', text: '^RCPT TO:<someone@example\\.com>' },
        choices: ['250', '251', '450', '550'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '550, with the enhanced code 5.7.1 (delivery not authorized). RFC 5321 §7.9 asks servers that refuse to relay for policy reasons to say 550 to the RCPT. 251 would mean "user not local; will forward" to an address the server knows (RFC 5321 §3.4); an open relay would simply answer 250 and pass the mail on.',
      },
      hints: ['Only the RCPT is refused: the transaction and the recipients accepted before stay.'],
      ref: 'RFC 5321 §7.9, §3.6; RFC 3463 §3.8',
    },
    {
      id: 'disguise',
      title: 'A relay in disguise',
      do:
        'Spammers hide the foreign address inside a local-looking one, hoping an old server will unwrap it and pass it on: RCPT TO:<someone%example.com@lab.test> (the "percent hack"). Only the host named after the @ may interpret the part before it, and this one says no: 550 5.7.1 again.',
      panel: 'console',
      try: ['RCPT TO:<someone%example.com@lab.test>'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.RCPT', text: '%' }, { dir: 'server', key: 'smtp.reply.550.relay' }] },
      hints: [
        'Other disguises the lab refuses with 550 5.7.1: example.com!someone@lab.test, and source routes like @lab.test:someone@example.com.',
        '"someone@example.com"@lab.test never reaches the relay check: its second @ makes the server\'s address parser answer 501 5.1.3 (bad syntax). Quotes alone hide nothing: "alice"@lab.test is alice\'s mailbox, as RFC 5321 §4.1.2 says all quoted forms of a local part are equivalent.',
      ],
      ref: 'RFC 5321 §2.3.11, §7.9',
    },
    {
      id: 'deliver',
      title: 'Deliver to the recipients that were accepted',
      do:
        'The refusals did not end the transaction: DATA still works, for alice and bob. Send DATA, a short text and a lone dot; the mail is delivered to the accepted recipients only (see the Mailbox tab).',
      panel: 'console',
      try: ['DATA', 'Subject: after a refusal', '', 'Only alice and bob get this.', '.'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.DATA' }, { dir: 'server', key: 'smtp.reply.354' }, { dir: 'client', key: 'smtp.data.end' }, { dir: 'server', key: 'smtp.reply.250.data' }] },
      hints: ['If no recipient at all had been accepted, DATA would get 503 or 554.'],
      ref: 'RFC 5321 §3.3, §4.1.1.4',
      whatIf: {
        fault: 'smtp.data-554',
        explain:
          'With this fault on, the lab refuses DATA itself: "554 5.3.0 Transaction failed". A 5yz is permanent: the server is not reading mail data, so the client does not send the text, and it should not repeat the same transaction unchanged; it reports the failure and goes on with RSET or QUIT (RFC 5321 §4.1.1.4, §4.2.1).',
        proof: { all: [{ dir: 'server', injectedBy: 'smtp.data-554', field: { name: 'code', value: '554' } }] },
      },
    },
  ],
};
