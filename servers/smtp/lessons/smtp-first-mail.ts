import type { Lesson } from '../../../lib/lessons/types.ts';

/** The first SMTP lesson: one mail typed by hand, from the greeting to QUIT, reading each reply's class. */
export const smtpFirstMail: Lesson = {
  id: 'smtp-first-mail',
  lab: 'smtp',
  title: 'Your first mail, by hand',
  summary: 'Type a whole SMTP session yourself — greeting, EHLO, envelope, DATA, QUIT — and read what each reply code says.',
  minutes: 10,
  order: 1,
  goal:
    'Send one mail to alice@lab.test by typing every SMTP command yourself, and learn to read a reply by its first digit: 2 done, 3 go on, 4 try again later, 5 do not repeat.',
  steps: [
    {
      id: 'greeting',
      title: 'Connect and read the greeting',
      do:
        'The console is a raw TCP connection to the lab\'s mail server, like telnet. Open it (press Enter, or Reconnect) and wait: the server speaks first.\n\nIts first line starts with 220, "service ready". The client should wait for it before it says anything (RFC 5321 §4.3.1); this server hangs up on a client that does not.',
      panel: 'console',
      proof: { all: [{ dir: 'server', key: 'smtp.reply.220.greeting' }] },
      hints: ['If nothing appears, press Reconnect above the console.', 'A server that cannot serve you would greet with 554 instead (or 421 and close).'],
      ref: 'RFC 5321 §3.1, §4.2.3, §4.3.1',
    },
    {
      id: 'ehlo',
      title: 'Say hello: EHLO',
      do:
        'Introduce your client with EHLO and a name for it. The server answers 250 over several lines ("250-" means more lines follow, "250 " is the last): its name, then one extension per line — PIPELINING, STARTTLS, AUTH, SIZE…\n\nThe older HELO also works but lists no extensions.',
      panel: 'console',
      try: ['EHLO student.example'],
      proof: { all: [{ dir: 'client', kind: 'command', text: '^(EHLO|HELO)\\b' }, { dir: 'server', key: 'smtp.reply.250.*' }] },
      hints: ['Type EHLO, a space and any name, then Enter.', 'The 250 reply of EHLO is the only place the server tells you what it supports.'],
      ref: 'RFC 5321 §4.1.1.1',
    },
    {
      id: 'envelope',
      title: 'The envelope: MAIL FROM and RCPT TO',
      do:
        'Mail travels in an envelope, separate from the letter inside. MAIL FROM gives the return address (where failures are reported), each RCPT TO one recipient. Each is answered 250 when accepted.\n\nThe addresses go in angle brackets.',
      panel: 'console',
      try: ['MAIL FROM:<student@lab.test>', 'RCPT TO:<alice@lab.test>'],
      proof: { all: [{ key: 'smtp.cmd.MAIL' }, { key: 'smtp.reply.250.mail' }, { key: 'smtp.cmd.RCPT' }, { key: 'smtp.reply.250.rcpt' }] },
      hints: ['No space between "FROM:" and "<": MAIL FROM:<student@lab.test>', 'Recipients the lab knows: student, teacher, alice, bob, postmaster at lab.test.'],
      ref: 'RFC 5321 §3.3, §4.1.1.2, §4.1.1.3',
    },
    {
      id: 'data',
      title: 'DATA: a reply that says "go on"',
      do:
        'Now ask to send the message itself with DATA. Before you do, turn on step mode: the lab will hold your DATA at the tap and ask you what the server will answer.\n\nThen press Step twice: once to let DATA through, once for the server\'s answer, held in its turn. Compare.',
      panel: 'console',
      try: ['DATA'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.DATA' }, { dir: 'server', key: 'smtp.reply.354' }] },
      question: {
        prompt: 'Your DATA is held at the tap. What will the server answer?',
        when: { dir: 'client', text: '^DATA$' },
        choices: ['250', '354', '221', '503'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '354: "start mail input; end with <CRLF>.<CRLF>". It is a 3yz reply, "positive intermediate": the command is accepted but the server waits for more — the message — before it can say 250 (RFC 5321 §4.1.1.4, §4.2.1). Had no RCPT been accepted, the answer would have been 503 or 554.',
      },
      hints: ['Step mode is the Step switch above the console.', 'DATA needs at least one accepted RCPT first, or the server answers 503 (bad sequence).'],
      ref: 'RFC 5321 §4.1.1.4, §4.2.1',
    },
    {
      id: 'message',
      title: 'Type the message and end it with a lone dot',
      do:
        'Type a header line, an empty line, and the text. The server answers nothing while you type. A line holding only "." ends the message; then the server says 250 — the mail is delivered (look in the Mailbox tab).\n\nA client sending a text line that starts with a dot doubles that dot (the server removes it again), so the text can never end the mail by accident. Typing by hand you are the client: type ".." to keep one dot; a single leading dot is deleted (RFC 5321 §4.5.2).',
      panel: 'console',
      try: ['Subject: my first mail', '', 'Hello Alice, typed by hand.', '.'],
      proof: { all: [{ dir: 'client', key: 'smtp.data.end' }, { dir: 'server', key: 'smtp.reply.250.data' }] },
      hints: ['The empty line separates the header from the body (RFC 5322).', 'The end is "." alone on its line, then Enter.'],
      ref: 'RFC 5321 §4.1.1.4, §4.5.2',
    },
    {
      id: 'bad-sequence',
      title: 'Make the server say no',
      do:
        'Replies starting with 5 are permanent failures: the client should not repeat the same command unchanged. Provoke one: send RCPT TO now, with no MAIL FROM before it (the last transaction is over).\n\nThe answer is 503, "bad sequence of commands".',
      panel: 'console',
      try: ['RCPT TO:<bob@lab.test>'],
      proof: { all: [{ dir: 'client', kind: 'command' }, { dir: 'server', key: 'smtp.reply.503' }] },
      hints: ['After the 250 that ended your mail, the envelope is empty again: RCPT needs a new MAIL FROM first.'],
      ref: 'RFC 5321 §4.1.4, §4.2.1',
    },
    {
      id: 'quit',
      title: 'QUIT: 221, then the server closes',
      do:
        'End the session with QUIT. The server answers 221 and closes the connection. (Some old notes say 211: that is a status reply, not the goodbye.)',
      panel: 'console',
      try: ['QUIT'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.QUIT' }, { dir: 'server', key: 'smtp.reply.221' }] },
      hints: ['A polite client always ends with QUIT and waits for the 221.'],
      ref: 'RFC 5321 §4.1.1.10, §4.2.3',
    },
  ],
};
