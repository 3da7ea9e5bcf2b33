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

/** Where the session stands, read from what was said: greeted, in a mail transaction, with recipients. */
interface SessionState {
  hello: boolean;
  mail: boolean;
  recipients: number;
}

const verbOf = (message: LabMessage) => message.text.trim().split(/[\s:]/)[0]?.toUpperCase() ?? '';

/**
 * Replays the commands and their replies: EHLO/HELO and RSET clear the transaction (RFC 5321 §4.1.4), the
 * reply after the mail's content ends it, and STARTTLS's 220 forgets everything, EHLO included (RFC 3207 §4.2).
 */
function sessionState(messages: LabMessage[]): SessionState {
  const state: SessionState = { hello: false, mail: false, recipients: 0 };
  let verb = '';
  let inData = false;
  for (const m of messages) {
    if (m.dir === 'client' && m.kind === 'command') verb = verbOf(m);
    if (m.dir !== 'server') continue;
    const code = Number(m.text.slice(0, 3));
    const ok = code >= 200 && code < 300;
    if (inData) {
      inData = false;
      if (code !== 354) Object.assign(state, { mail: false, recipients: 0 });
      continue;
    }
    if (verb === 'DATA' && code === 354) inData = true;
    else if (ok && (verb === 'EHLO' || verb === 'HELO')) Object.assign(state, { hello: true, mail: false, recipients: 0 });
    else if (ok && verb === 'RSET') Object.assign(state, { mail: false, recipients: 0 });
    else if (ok && verb === 'MAIL') state.mail = true;
    else if (ok && verb === 'RCPT') state.recipients++;
    else if (code === 220 && verb === 'STARTTLS') Object.assign(state, { hello: false, mail: false, recipients: 0 });
    verb = '';
  }
  return state;
}

/** The next sensible SMTP commands for where the session stands; none while a reply is awaited. */
export function smtpSuggestions(messages: LabMessage[]): Suggestion[] {
  const commandAt = messages.findLastIndex((m) => m.dir === 'client' && m.kind === 'command');
  const replyAt = messages.findLastIndex((m) => m.dir === 'server');
  // A command not answered yet (step mode holding its reply): what comes next depends on that reply.
  if (replyAt < 0 || commandAt > replyAt) return [];
  const lastCommand = messages[commandAt] as LabMessage | undefined;
  if (lastCommand && verbOf(lastCommand) === 'QUIT') return [];
  if (messages[replyAt].text.startsWith('354')) return [{ label: 'Type a sample message', lines: SAMPLE_MESSAGE, hint: 'headers, blank line, body, then a line with "."' }];
  const state = sessionState(messages);
  if (!state.hello) return [one('EHLO student.lab.test', 'introduce yourself, ask for extensions'), one('HELO student.lab.test', 'the old greeting, no extensions')];
  const common = [one('NOOP', 'do nothing, get 250'), one('RSET', 'abort the transaction'), one('QUIT', 'say goodbye: 221')];
  if (state.mail && state.recipients === 0) {
    return [one('RCPT TO:<alice@lab.test>', 'a local mailbox'), one('RCPT TO:<someone@example.com>', 'try to relay: refused'), ...common];
  }
  if (state.mail) return [one('DATA', 'start the message'), one('RCPT TO:<bob@lab.test>', 'add a recipient'), ...common];
  return [
    one('MAIL FROM:<student@lab.test>', 'start a transaction'),
    one('VRFY alice', 'does this mailbox exist?'),
    one('EXPN class', 'who is on the list?'),
    one('HELP', 'ask for help: 214'),
    ...common,
  ];
}
