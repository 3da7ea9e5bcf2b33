import type { LabMessage } from '@/lib/wire/event.ts';
import type { Suggestion } from '@/components/lab/quick-insert';

export type { Suggestion };

const SAMPLE_MESSAGE = [
  'From: Student <student@lab.test>',
  'To: Alice <alice@lab.test>',
  'Subject: Hello from the SMTP lab',
  '',
  'Hi Alice,',
  'this message was typed by hand, one SMTP line at a time.',
  '.',
];

const one = (line: string, hint: string): Suggestion => ({ label: line, lines: [line], hint });

/** The next sensible SMTP commands, from the last command sent and the last reply seen; none while a reply is awaited. */
export function smtpSuggestions(messages: LabMessage[]): Suggestion[] {
  const commandAt = messages.findLastIndex((m) => m.dir === 'client' && m.kind === 'command');
  const replyAt = messages.findLastIndex((m) => m.dir === 'server');
  // A command not answered yet (step mode holding its reply): what comes next depends on that reply.
  if (commandAt > replyAt) return [];
  const lastCommand = messages[commandAt] as LabMessage | undefined;
  const lastReply = messages[replyAt] as LabMessage | undefined;
  const verb = lastCommand?.text.trim().split(/[\s:]/)[0]?.toUpperCase() ?? '';
  const code = Number(lastReply?.text.slice(0, 3) ?? 0);
  const ok = code >= 200 && code < 400;

  if (!lastReply) return [];
  if (!lastCommand || ((verb === 'EHLO' || verb === 'HELO') && !ok)) {
    return [one('EHLO student.lab.test', 'introduce yourself, ask for extensions'), one('HELO student.lab.test', 'the old greeting, no extensions')];
  }
  if (code === 354) return [{ label: 'Type a sample message', lines: SAMPLE_MESSAGE, hint: 'headers, blank line, body, then a line with "."' }];
  const common = [one('NOOP', 'do nothing, get 250'), one('RSET', 'abort the transaction'), one('QUIT', 'say goodbye: 221')];
  if (verb === 'MAIL' && ok) {
    return [one('RCPT TO:<alice@lab.test>', 'a local mailbox'), one('RCPT TO:<someone@example.com>', 'try to relay: refused'), ...common];
  }
  if (verb === 'RCPT' && ok) return [one('DATA', 'start the message'), one('RCPT TO:<bob@lab.test>', 'add a recipient'), ...common];
  if (verb === 'QUIT') return [];
  return [
    one('MAIL FROM:<student@lab.test>', 'start a transaction'),
    one('VRFY alice', 'does this mailbox exist?'),
    one('EXPN class', 'who is on the list?'),
    one('HELP', 'ask for help: 214'),
    ...common,
  ];
}
