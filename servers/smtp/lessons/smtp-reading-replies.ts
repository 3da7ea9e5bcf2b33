import type { Lesson } from '../../../lib/lessons/types.ts';

/** Reading SMTP replies: the three digits, the enhanced status code after them, and the goodbye that is 221. */
export const smtpReadingReplies: Lesson = {
  id: 'smtp-reading-replies',
  lab: 'smtp',
  title: 'Reading replies: three digits and an enhanced code',
  summary: 'What each digit of a reply code means, what "5.1.1" after it adds, and why QUIT is answered 221 (not 211).',
  minutes: 10,
  order: 2,
  goal:
    'Read any SMTP reply: the first digit says how it went, the second what it is about, the enhanced status code (class.subject.detail) says precisely what happened — and a client that meets a code it does not know acts on the first digit alone.',
  steps: [
    {
      id: 'help',
      title: 'A reply for humans: HELP',
      do:
        'After EHLO, type HELP. The answer starts with 214: first digit 2, "done"; second digit 1, "information". The text after the code is for people; programs read only the number.',
      panel: 'console',
      try: ['EHLO student.example', 'HELP'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.HELP' }, { dir: 'server', key: 'smtp.reply.214*' }] },
      hints: ['Open the console first and wait for the 220 greeting.', 'In the Transcript, click the 214 row: its field "code" is what a client reads.'],
      ref: 'RFC 5321 §4.1.1.8, §4.2.1',
    },
    {
      id: 'unknown-command',
      title: 'Second digit 0: syntax',
      do:
        'Type a command that does not exist, for example HELLO. The server answers 500: 5 "permanent failure", 0 "syntax". Retrying the same line can never work.',
      panel: 'console',
      try: ['HELLO there'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.unknown' }, { dir: 'server', key: 'smtp.reply.500' }] },
      hints: ['Any word the server does not know will do; commands are case-insensitive, so "ehlo" is not unknown.'],
      ref: 'RFC 5321 §4.2.1, §4.2.2',
    },
    {
      id: 'bad-argument',
      title: 'A known command with a bad argument: 501',
      do:
        'Now a real command with a broken argument: MAIL FROM without the angle brackets. The answer is 501, "syntax error in parameters or arguments" — still x0z, still the client\'s fault.',
      panel: 'console',
      try: ['MAIL FROM:student'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.MAIL' }, { dir: 'server', key: 'smtp.reply.501' }] },
      hints: ['The path must be in brackets: MAIL FROM:<student@lab.test> is right; MAIL FROM:student is not.'],
      ref: 'RFC 5321 §4.1.2, §4.2.2',
    },
    {
      id: 'enhanced-code',
      title: 'The enhanced status code: 5.1.1',
      do:
        'Start a mail (MAIL FROM:<student@lab.test>) and address it to a mailbox that does not exist here: RCPT TO:<nobody@lab.test>. The reply is "550 5.1.1 …".\n\n550 says "mailbox unavailable, permanently". 5.1.1 says it precisely: class 5 (permanent), subject 1 (addressing), detail 1 (bad destination mailbox address). The Transcript splits it into class, subject and detail.',
      panel: 'console',
      try: ['MAIL FROM:<student@lab.test>', 'RCPT TO:<nobody@lab.test>'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.RCPT' }, { dir: 'server', key: 'smtp.reply.550*', field: { name: 'enhanced code', value: '5.1.1' } }] },
      hints: ['The mailboxes that exist: student, teacher, alice, bob, postmaster, calendar at lab.test.', 'The enhanced code is the first word of the text after 550.'],
      ref: 'RFC 3463 §2, §3.2',
    },
    {
      id: 'success-code',
      title: 'Enhanced codes say "yes" too: 2.1.5',
      do:
        'Ask the server whether a mailbox exists with VRFY alice. This lab answers "250 2.1.5 …": class 2 (success), subject 1 (addressing), detail 5 (destination address valid).\n\nMany public servers switch VRFY off (they answer 252) so that spammers cannot test addresses; the lab keeps it on.',
      panel: 'console',
      try: ['VRFY alice'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.VRFY' }, { dir: 'server', field: { name: 'enhanced code', value: '/^2\\.1\\.5$/' } }] },
      hints: ['VRFY takes a user name or an address: VRFY alice or VRFY <alice@lab.test>.'],
      ref: 'RFC 5321 §3.5.3, §7.3; RFC 3463 §3.2',
    },
    {
      id: 'quit',
      title: 'The goodbye is 221',
      do:
        'Turn on step mode and type QUIT: the lab holds it and asks you what the server will answer. Then press Step.\n\nOld course notes say 211. 211 is a status reply ("system status, or system help"); the reply to QUIT is 221, "service closing transmission channel", and then the server closes the connection.',
      panel: 'console',
      try: ['QUIT'],
      proof: { all: [{ dir: 'client', key: 'smtp.cmd.QUIT' }, { dir: 'server', key: 'smtp.reply.221' }] },
      question: {
        prompt: 'Your QUIT is held at the tap. What will the server answer?',
        when: { dir: 'client', text: '^QUIT$' },
        choices: ['211', '221', '250', '421'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '221: "service closing transmission channel" — the receiver MUST send a 221 OK reply to QUIT and then close (RFC 5321 §4.1.1.10, §4.2.3). 211 is "system status, or system help reply", 421 is a server closing on its own.',
      },
      hints: ['Step mode is the Step switch above the console; the held message is named beside it.'],
      ref: 'RFC 5321 §4.1.1.10, §4.2.3',
    },
  ],
};
