import type { Lesson } from '../../../lib/lessons/types.ts';

/** STARTTLS and AUTH: what an eavesdropper sees before and after, and the two views of the lab. */
export const smtpStarttlsAuth: Lesson = {
  id: 'smtp-starttls-auth',
  lab: 'smtp',
  title: 'STARTTLS and AUTH: what an eavesdropper sees',
  summary: 'Log in without encryption and read your password off the wire; then STARTTLS, EHLO again, and log in where nobody can read it.',
  minutes: 15,
  order: 3,
  goal:
    'See with your own eyes that AUTH PLAIN is readable by anyone on the path until STARTTLS has run, what the wire shows after it (only record types and lengths), and what it still gives away.',
  steps: [
    {
      id: 'auth-in-clear',
      title: 'Log in without TLS (and get caught)',
      do:
        'On a fresh connection say EHLO, then AUTH PLAIN followed by one base64 string: a NUL byte, the user name, a NUL byte, the password.\n\nThe server answers 235, "authentication successful". Now switch the view to "What an eavesdropper sees": your AUTH line is there, and base64 is an encoding, not encryption — the Transcript decodes the user name for you, and anyone on the path could decode the password just as easily. (The lab masks the password; an eavesdropper would not.)',
      panel: 'console',
      try: ['EHLO student.example', 'AUTH PLAIN {{auth-plain}}'],
      proof: { all: [{ view: 'wire', dir: 'client', key: 'smtp.auth.cleartext' }, { dir: 'server', key: 'smtp.reply.235' }] },
      hints: [
        'In a shell: printf \'\\0%s\\0%s\' {{user}} \'{{password}}\' | base64 makes the same string as the try line.',
        'A wrong password gives 535; after three, the server says 421 and closes.',
      ],
      ref: 'RFC 4954 §4; RFC 4616 §2; RFC 4648 §4',
    },
    {
      id: 'starttls',
      title: 'STARTTLS: the same connection becomes encrypted',
      do:
        'Reconnect, say EHLO and look for STARTTLS in the list. Turn on step mode and type STARTTLS; the lab asks what the server will answer. Step it through.\n\nRight after the reply, both sides start a TLS handshake on the same TCP connection. In the eavesdropper\'s view the ClientHello and ServerHello are still readable (versions, cipher suites, key shares — no secret); everything after them is encrypted.',
      panel: 'console',
      try: ['EHLO student.example', 'STARTTLS'],
      proof: {
        all: [
          { dir: 'client', key: 'smtp.cmd.STARTTLS' },
          { dir: 'server', key: 'smtp.reply.220.starttls' },
          { view: 'wire', dir: 'client', key: 'smtp.tls.client-hello' },
          { view: 'wire', dir: 'server', key: 'smtp.tls.server-hello' },
        ],
      },
      question: {
        prompt: 'STARTTLS is held at the tap. What will the server answer before the handshake starts?',
        when: { dir: 'client', text: '^STARTTLS$' },
        choices: ['220', '250', '354', '454'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '220 "Ready to start TLS" — the greeting\'s code, and after the handshake the session does start over from the state the greeting leaves it in (RFC 3207 §4, §4.2). 454 would mean TLS is not available for a temporary reason.',
      },
      hints: ['The console really wraps its socket in TLS after the 220, as a real client does.', 'STARTTLS takes no argument; "STARTTLS now" gets 501.'],
      ref: 'RFC 3207 §4; RFC 8446 §4.1.2, §4.1.3',
    },
    {
      id: 'ehlo-again',
      title: 'After TLS, say EHLO again',
      do:
        'Inside TLS the SMTP session is reset: the server forgets your EHLO and you must forget its extension list. Say EHLO again and compare the list: STARTTLS is no longer offered.\n\nThe wire now shows only "Application Data" records; the lab shows the dialogue from the server\'s own log (the endpoint view).',
      panel: 'console',
      try: ['EHLO student.example'],
      proof: { all: [{ dir: 'note', key: 'smtp.tls.start' }, { view: 'endpoint', dir: 'client', key: 'smtp.cmd.EHLO' }, { view: 'endpoint', dir: 'server', key: 'smtp.reply.250.ehlo' }] },
      hints: ['Switch between "Endpoint view" and "What an eavesdropper sees" to compare the same moment.'],
      ref: 'RFC 3207 §4.2',
    },
    {
      id: 'auth-inside',
      title: 'AUTH inside TLS',
      do:
        'Now send the same AUTH PLAIN line. The server answers 235 again; the eavesdropper sees one more Application Data record of about the same length, and nothing else.',
      panel: 'console',
      try: ['AUTH PLAIN {{auth-plain}}'],
      proof: { all: [{ dir: 'note', key: 'smtp.tls.start' }, { view: 'endpoint', dir: 'client', key: 'smtp.cmd.AUTH' }, { view: 'endpoint', dir: 'server', key: 'smtp.reply.235' }] },
      hints: ['Each connection may AUTH once; a second AUTH gets 503.'],
      ref: 'RFC 4954 §4, §14',
    },
    {
      id: 'mail-inside',
      title: 'A whole mail the eavesdropper cannot read',
      do:
        'Send a mail inside TLS: MAIL FROM, RCPT TO, DATA, the text, a lone dot. In the eavesdropper\'s view, envelope and content are gone. What is left: who talked to whom, when, the server\'s name from the greeting and the first EHLO, that STARTTLS was used, and the size of every record.\n\nAnd TLS protects this one hop only: the next server on the way may get the mail in clear. Before the handshake an attacker can also delete "STARTTLS" from the EHLO reply so the client never tries — which is why clients can be told to require TLS.',
      panel: 'console',
      try: ['MAIL FROM:<student@lab.test>', 'RCPT TO:<alice@lab.test>', 'DATA', 'Subject: sealed', '', 'Only the endpoints can read this.', '.'],
      proof: { all: [{ dir: 'note', key: 'smtp.tls.start' }, { view: 'endpoint', dir: 'client', key: 'smtp.cmd.MAIL' }, { view: 'endpoint', dir: 'server', key: 'smtp.reply.250.data' }] },
      hints: ['Check the Mailbox tab: the mail arrived, decrypted at the server.'],
      ref: 'RFC 3207 §6',
    },
  ],
};
