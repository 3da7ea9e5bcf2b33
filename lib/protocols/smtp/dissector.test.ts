import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../types.ts';
import { REPLY_CODES } from './replies.ts';
import { SMTP_LIMITS, createSmtpDissector } from './dissector.ts';

import { enc, raw, dissect, last, GREET, HELLO, TRANSACTION, IN_DATA, type Step } from './test-helpers.ts';

describe('replies', () => {
  it.each(Object.keys(REPLY_CODES).map(Number))('annotates %i with its row (after NOOP)', (code) => {
    const [m] = last([...HELLO, ['client', 'NOOP\r\n']], ['server', `${code} text\r\n`]);
    expect(m).toMatchObject({ dir: 'server', kind: 'reply', annotation: { key: `smtp.reply.${code}`, level: REPLY_CODES[code]?.level } });
  });

  it.each<[string, Step[], string, string]>([
    ['greeting', [], '220 lab.local ESMTP\r\n', 'smtp.reply.220.greeting'],
    ['refusal at connect', [], '554 no SMTP service here\r\n', 'smtp.reply.554.connect'],
    ['STARTTLS go-ahead', [...HELLO, ['client', 'STARTTLS\r\n']], '220 Ready to start TLS\r\n', 'smtp.reply.220.starttls'],
    ['QUIT', [...HELLO, ['client', 'QUIT\r\n']], '221 Bye\r\n', 'smtp.reply.221'],
    ['VRFY', [...HELLO, ['client', 'VRFY bob\r\n']], '252 Try to send something\r\n', 'smtp.reply.252'],
    ['DATA', [...TRANSACTION, ['client', 'DATA\r\n']], '354 End data with <CR><LF>.<CR><LF>\r\n', 'smtp.reply.354'],
    ['relay denied', [...TRANSACTION, ['client', 'RCPT TO:<x@elsewhere.example>\r\n']], '550 5.7.1 Relaying denied\r\n', 'smtp.reply.550.relay'],
    ['unknown user', [...TRANSACTION, ['client', 'RCPT TO:<x@lab.local>\r\n']], '550 5.1.1 No such user\r\n', 'smtp.reply.550'],
    ['end of data', [...IN_DATA, ['client', 'hi\r\n.\r\n']], '250 2.6.0 OK: queued\r\n', 'smtp.reply.250.data'],
    ['a class fallback', [...HELLO, ['client', 'NOOP\r\n']], '259 odd\r\n', 'smtp.reply.2xx'],
    ['an out-of-range code', [...HELLO, ['client', 'NOOP\r\n']], '650 odd\r\n', 'smtp.reply.out-of-range'],
    ['a malformed line', [...HELLO, ['client', 'NOOP\r\n']], 'hello there\r\n', 'smtp.reply.malformed'],
  ])('annotates %s', (_name, prefix, line, key) => {
    const msgs = last(prefix, ['server', line]);
    expect(msgs.find((m) => m.dir === 'server')).toMatchObject({ dir: 'server', kind: 'reply', annotation: { key } });
  });

  it('joins a multi-line reply split across chunks into one message', () => {
    const d = createSmtpDissector();
    d.push('server', enc('220 x\r\n'));
    d.push('client', enc('HELP\r\n'));
    expect(d.push('server', enc('214-first\r\n214-sec'))).toEqual([]);
    const [m] = d.push('server', enc('ond\r\n214 last\r\n'));
    expect(m).toMatchObject({ kind: 'reply', text: '214-first\n214-second\n214 last', bytes: 33, annotation: { key: 'smtp.reply.214.help' } });
  });

  it('lists each EHLO extension as a field with its explanation', () => {
    const ehlo = '250-lab.local Nice to meet you\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-AUTH PLAIN LOGIN\r\n250-XFOO\r\n250 STARTTLS\r\n';
    const [m] = last([...GREET, ['client', 'EHLO me\r\n']], ['server', ehlo]);
    expect(m?.annotation?.key).toBe('smtp.reply.250.ehlo');
    expect(m?.fields).toEqual([
      { name: 'code', value: '250', note: expect.stringMatching(/./) },
      { name: 'domain', value: 'lab.local', note: expect.stringMatching(/./) },
      { name: 'PIPELINING', value: '', note: expect.stringContaining('PIPELINING') },
      { name: 'SIZE', value: '10485760', note: expect.stringContaining('10,485,760 bytes') },
      { name: 'AUTH', value: 'PLAIN LOGIN', note: expect.stringContaining('PLAIN LOGIN') },
      { name: 'XFOO', value: '', note: expect.stringContaining('not in the lab') },
      { name: 'STARTTLS', value: '', note: expect.stringContaining('TLS') },
    ]);
  });

  it('splits an enhanced status code into class, subject and detail', () => {
    const [m] = last([...TRANSACTION, ['client', 'RCPT TO:<x@y>\r\n']], ['server', '452 4.5.3 Error: too many recipients\r\n']);
    expect(m?.annotation?.key).toBe('smtp.reply.452.rcpt');
    expect(m?.fields?.slice(1).map((f) => [f.name, f.value])).toEqual([
      ['enhanced code', '4.5.3'],
      ['class', '4'],
      ['subject', '5'],
      ['detail', '3'],
    ]);
    expect(m?.fields?.[2]?.note).toMatch(/transient/i);
  });

  it('reports a multi-line reply whose code changes as incomplete', () => {
    const msgs = last([...HELLO, ['client', 'NOOP\r\n']], ['server', '250-one\r\n251 two\r\n']);
    expect(msgs.map((m) => m.annotation?.key)).toEqual(['smtp.reply.incomplete', 'smtp.reply.251']);
  });
});

describe('commands', () => {
  it.each<[string, Step[], string, string, [string, string][]]>([
    ['EHLO', GREET, 'EHLO client.local\r\n', 'smtp.cmd.EHLO', [['verb', 'EHLO'], ['domain', 'client.local']]],
    ['MAIL with parameters', HELLO, 'MAIL FROM:<a@b.c> SIZE=1024 BODY=8BITMIME\r\n', 'smtp.cmd.MAIL', [['verb', 'MAIL'], ['reverse-path', '<a@b.c>'], ['SIZE', '1024'], ['BODY', '8BITMIME']]],
    ['MAIL with the null path', HELLO, 'MAIL FROM:<>\r\n', 'smtp.cmd.MAIL', [['verb', 'MAIL'], ['reverse-path', '<>']]],
    ['MAIL without FROM:', HELLO, 'MAIL a@b.c\r\n', 'smtp.cmd.MAIL', [['verb', 'MAIL'], ['arguments', 'a@b.c']]],
    ['RCPT', TRANSACTION, 'rcpt to:<d@e.f> NOTIFY=NEVER\r\n', 'smtp.cmd.RCPT', [['verb', 'RCPT'], ['forward-path', '<d@e.f>'], ['NOTIFY', 'NEVER']]],
    ['RCPT with a quoted local part', TRANSACTION, 'RCPT TO:<"al\\ice"@lab.test>\r\n', 'smtp.rcpt.quoted-local-part', [['verb', 'RCPT'], ['forward-path', '<"al\\ice"@lab.test>'], ['local-part', 'alice']]],
    ['RCPT with a quote never closed', TRANSACTION, 'RCPT TO:<"alice@lab.test>\r\n', 'smtp.cmd.RCPT', [['verb', 'RCPT'], ['forward-path', '<"alice@lab.test>'], ['local-part', '"alice']]],
    ['an unknown verb', HELLO, 'XYZZY\r\n', 'smtp.cmd.unknown', [['verb', 'XYZZY']]],
    ['MAIL with a UTF-8 address and no SMTPUTF8', HELLO, 'MAIL FROM:<jürgen@lab.test>\r\n', 'smtp.addr.utf8-without-smtputf8', [['verb', 'MAIL'], ['reverse-path', '<jürgen@lab.test>']]],
    ['MAIL with a UTF-8 address and SMTPUTF8', HELLO, 'MAIL FROM:<jürgen@lab.test> SMTPUTF8\r\n', 'smtp.cmd.MAIL', [['verb', 'MAIL'], ['reverse-path', '<jürgen@lab.test>'], ['SMTPUTF8', '']]],
    ['RCPT with a UTF-8 address after a MAIL without SMTPUTF8', TRANSACTION, 'RCPT TO:<δοκιμή@lab.test>\r\n', 'smtp.addr.utf8-without-smtputf8', [['verb', 'RCPT'], ['forward-path', '<δοκιμή@lab.test>']]],
    ['a bare-LF line', HELLO, 'NOOP\n', 'smtp.line.bare-lf', [['verb', 'NOOP']]],
    ['an HTTP request', GREET, 'POST / HTTP/1.1\r\n', 'smtp.other.http', [['verb', 'POST'], ['argument', '/ HTTP/1.1']]],
    ['a command line over 512 bytes', HELLO, `NOOP ${'x'.repeat(600)}\r\n`, 'smtp.cmd.too-long', [['verb', 'NOOP'], ['argument', 'x'.repeat(600)]]],
    ['a command before the greeting', [], 'EHLO early\r\n', 'smtp.early-talker', [['verb', 'EHLO'], ['domain', 'early']]],
    ['a line that starts like TLS but is too long for a record', GREET, '\x16\x03\x01ZZ\r\n', 'smtp.tls.unexpected', [['verb', '^V^C^AZZ']]],
  ])('dissects %s', (_name, prefix, line, key, fields) => {
    const [m] = last(prefix, ['client', line]);
    expect(m).toMatchObject({ dir: 'client', kind: 'command', bytes: enc(line).length, annotation: { key } });
    expect(m?.fields?.map((f) => [f.name, f.value])).toEqual(fields);
  });

  it('notes the null reverse-path', () => {
    const [m] = last(HELLO, ['client', 'MAIL FROM:<>\r\n']);
    expect(m?.fields?.[1]?.note).toMatch(/bounce/);
  });

  it('escapes control bytes: ESC arrives as ^[', () => {
    const [m] = last(GREET, ['client', 'EHLO \x1b[31mred\x07\x9b\r\n']);
    expect(m?.text).toBe('EHLO ^[[31mred^G\\x9b');
    expect(m?.fields?.[1]?.value).toBe('^[[31mred^G\\x9b');
    const [r] = last([...GREET, ['client', 'NOOP\r\n']], ['server', '250 \x1bP$q\x1b\\\r\n']);
    expect(r?.text).toBe('250 ^[P$q^[\\');
  });

  it('answers the early talker with 421 "You talk too soon"', () => {
    const msgs = dissect([['client', 'EHLO x\r\n'], ['server', '421 lab.local You talk too soon\r\n']]);
    expect(msgs.map((m) => m.annotation?.key)).toEqual(['smtp.early-talker', 'smtp.reply.421.early']);
  });

  it('frames pipelined commands and matches their replies in order (RFC 2920)', () => {
    const d = createSmtpDissector();
    for (const [dir, x] of HELLO) d.push(dir, raw(x));
    const cmds = d.push('client', enc('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\n'));
    expect(cmds.map((m) => m.fields?.[0]?.value)).toEqual(['MAIL', 'RCPT', 'RCPT', 'DATA']);
    const replies = d.push('server', enc('250 2.1.0 OK\r\n250 2.1.5 OK\r\n550 5.7.1 Relaying denied\r\n354 go\r\n'));
    expect(replies.map((m) => m.annotation?.key)).toEqual(['smtp.reply.250.mail', 'smtp.reply.250.rcpt', 'smtp.reply.550.relay', 'smtp.reply.354']);
  });

  it('reads a message sent before the 354 (a pasted session) as the message, not as unknown commands', () => {
    const d = createSmtpDissector();
    for (const [dir, x] of HELLO) d.push(dir, raw(x));
    const sent = d.push('client', enc('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n'));
    expect(sent.map((m) => [m.kind, m.text, m.annotation?.key])).toEqual([
      ['command', 'MAIL FROM:<a@b>', 'smtp.cmd.MAIL'],
      ['command', 'RCPT TO:<c@d>', 'smtp.cmd.RCPT'],
      ['command', 'DATA', 'smtp.cmd.DATA'],
      ['data', 'Subject: hi', 'smtp.data.early'],
      ['data', '', 'smtp.data.header-end'],
      ['data', 'body', undefined],
      ['data-end', '.', 'smtp.data.end'],
      ['command', 'QUIT', 'smtp.cmd.QUIT'],
    ]);
    // The 354 that comes afterwards starts nothing: the message is over, and what follows are commands again.
    const replies = d.push('server', enc('250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 go\r\n250 2.6.0 queued\r\n221 bye\r\n'));
    expect(replies.map((m) => m.annotation?.key)).toEqual(['smtp.reply.250.mail', 'smtp.reply.250.rcpt', 'smtp.reply.354', 'smtp.reply.250.data', 'smtp.reply.221']);
    expect(d.push('client', enc('NOOP\r\n')).map((m) => m.kind)).toEqual(['command']);
  });

  it('reads lines after a refused DATA as commands again, as the server does', () => {
    const d = createSmtpDissector();
    for (const [dir, x] of HELLO) d.push(dir, raw(x));
    d.push('client', enc('DATA\r\nSubject: hi\r\n'));
    expect(d.push('server', enc('503 5.5.1 Error: need MAIL command\r\n')).map((m) => m.annotation?.key)).toEqual([expect.stringMatching(/^smtp\.reply\.503/)]);
    expect(d.push('client', enc('NOOP\r\n')).map((m) => [m.kind, m.text])).toEqual([['command', 'NOOP']]);
  });

  it('frames a command split across chunks as one message', () => {
    const d = createSmtpDissector();
    d.push('server', enc('220 x\r\n'));
    expect(d.push('client', enc('MAI'))).toEqual([]);
    expect(d.push('client', enc('L FROM:<a@b>\r'))).toEqual([]);
    expect(d.push('client', enc('\n'))).toEqual([expect.objectContaining({ text: 'MAIL FROM:<a@b>', bytes: 17 })]);
  });
});

describe('DATA', () => {
  const body = (s: string): DissectedMessage[] => last(IN_DATA, ['client', s]);

  it('shows content lines, dot-stuffing and the end "."', () => {
    const msgs = body('Subject: hi\r\n\r\n..leading dot\r\nbye\r\n.\r\n');
    expect(msgs.map((m) => [m.kind, m.text, m.annotation?.key])).toEqual([
      ['data', 'Subject: hi', 'smtp.data.first'],
      ['data', '', 'smtp.data.header-end'],
      ['data', '..leading dot', 'smtp.data.dot-stuffed'],
      ['data', 'bye', undefined],
      ['data-end', '.', 'smtp.data.end'],
    ]);
    expect(msgs[2]?.fields).toEqual([{ name: 'as delivered', value: '.leading dot', note: expect.stringMatching(/leading dot removed/) }]);
  });

  it('says a single leading dot was not doubled (the client skipped transparency) and that the receiver deletes it', () => {
    const msgs = body('Subject: hi\r\n\r\n.single dot\r\n...two left\r\n.\r\n');
    expect(msgs.map((m) => [m.text, m.annotation?.key])).toEqual([
      ['Subject: hi', 'smtp.data.first'],
      ['', 'smtp.data.header-end'],
      ['.single dot', 'smtp.data.dot-not-doubled'],
      ['...two left', 'smtp.data.dot-stuffed'],
      ['.', 'smtp.data.end'],
    ]);
    expect(msgs[2]?.annotation).toMatchObject({ level: 'warn', ref: 'RFC 5321 §4.5.2' });
    expect(msgs[2]?.annotation?.explain).toMatch(/did not apply transparency/);
    expect(msgs[2]?.annotation?.explain).not.toMatch(/doubled a leading/);
    expect(msgs[2]?.fields).toEqual([{ name: 'as delivered', value: 'single dot', note: expect.stringMatching(/leading dot removed/) }]);
    expect(msgs[3]?.fields?.[0]?.value).toBe('..two left');
  });

  it.each([
    ['LF . LF', 'a\n.\nMAIL FROM:<evil@x>\r\n'],
    ['CRLF . LF', 'a\r\n.\nMAIL FROM:<evil@x>\r\n'],
    ['LF . CRLF', 'a\n.\r\nMAIL FROM:<evil@x>\r\n'],
  ])('does not end DATA on %s (smuggling defence)', (_name, smuggled) => {
    const msgs = body(`${smuggled}.\r\n`);
    expect(msgs.filter((m) => m.kind === 'command')).toEqual([]);
    expect(msgs.some((m) => m.annotation?.key === 'smtp.data.bare-lf-dot' && m.annotation.level === 'warn')).toBe(true);
    expect(msgs.filter((m) => m.kind === 'data-end')).toHaveLength(1);
    expect(msgs.at(-1)?.kind).toBe('data-end');
  });

  it('ends DATA at once when the first line is "."', () => {
    expect(body('.\r\n').map((m) => m.kind)).toEqual(['data-end']);
  });

  it('summarises content beyond the first 100 lines', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}\r\n`).join('');
    const msgs = body(`${lines}.\r\n`);
    expect(msgs).toHaveLength(SMTP_LIMITS.shownDataLines + 2);
    expect(msgs.at(-2)?.text).toMatch(/^… 200 more lines \([\d,]+ bytes\) of message content$/);
    expect(msgs.reduce((n, m) => n + m.bytes, 0)).toBe(enc(lines).length + 3);
  });

  it('never holds a large body whole: 5 MB becomes a handful of messages', () => {
    const d = createSmtpDissector();
    for (const [dir, x] of IN_DATA) d.push(dir, raw(x));
    const chunk = enc(`${'y'.repeat(78)}\r\n`.repeat(800));
    const msgs: DissectedMessage[] = [];
    for (let i = 0; i < 80; i++) msgs.push(...d.push('client', chunk));
    msgs.push(...d.push('client', enc('.\r\n')));
    expect(msgs.length).toBeLessThan(SMTP_LIMITS.shownDataLines + 10);
    expect(msgs.reduce((n, m) => n + m.bytes, 0)).toBe(chunk.length * 80 + 3);
    expect(msgs.at(-1)?.kind).toBe('data-end');
  });
});

describe('AUTH', () => {
  const SECRET = 'secret';
  const noSecret = (msgs: DissectedMessage[], ...forms: string[]): void => {
    const json = JSON.stringify(msgs);
    for (const f of [SECRET, ...forms]) expect(json).not.toContain(f);
  };

  it('decodes AUTH PLAIN, shows the user, masks the password and warns before STARTTLS', () => {
    const token = btoa('\0alice\0secret');
    const [m] = last(HELLO, ['client', `AUTH PLAIN ${token}\r\n`]);
    expect(m).toMatchObject({ text: 'AUTH PLAIN ••••••', phase: 'auth', annotation: { key: 'smtp.auth.cleartext', level: 'warn' } });
    expect(m?.fields?.map((f) => [f.name, f.value])).toEqual([['verb', 'AUTH'], ['mechanism', 'PLAIN'], ['user', 'alice'], ['password', '••••••']]);
    noSecret([m as DissectedMessage], token);
  });

  it.each([['LOGIN'], ['XOAUTH2 dG9rZW4='], ['login']])('warns that AUTH %s before STARTTLS exposes a credential', (args) => {
    const [m] = last(HELLO, ['client', `AUTH ${args}\r\n`]);
    expect(m).toMatchObject({ annotation: { key: 'smtp.auth.cleartext', level: 'warn' } });
  });

  it.each([['CRAM-MD5'], ['SCRAM-SHA-256 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM'], ['DIGEST-MD5'], ['EXTERNAL'], ['ANONYMOUS']])(
    'does not claim AUTH %s before STARTTLS shows a password: the mechanism sends none (RFC 2195, RFC 5802)',
    (args) => {
      const [m] = last(HELLO, ['client', `AUTH ${args}\r\n`]);
      expect(m).toMatchObject({ annotation: { key: 'smtp.cmd.AUTH', level: 'info' } });
    },
  );

  it('tracks AUTH PLAIN without an initial response', () => {
    const token = btoa('\0alice\0secret');
    const msgs = dissect([...HELLO, ['client', 'AUTH PLAIN\r\n'], ['server', '334 \r\n'], ['client', `${token}\r\n`], ['server', '235 2.7.0 Authentication successful\r\n'], ['client', 'NOOP\r\n']]);
    const resp = msgs.find((m) => m.kind === 'auth-response');
    expect(resp).toMatchObject({ text: '••••••', annotation: { key: 'smtp.auth.token' } });
    expect(resp?.fields?.map((f) => [f.name, f.value])).toEqual([['user', 'alice'], ['password', '••••••']]);
    expect(msgs.at(-1)).toMatchObject({ kind: 'command', text: 'NOOP' });
    noSecret(msgs, token);
  });

  it('follows the AUTH LOGIN dialogue: decoded challenges, visible user, masked password', () => {
    const steps: Step[] = [...HELLO, ['client', 'AUTH LOGIN\r\n'], ['server', '334 VXNlcm5hbWU6\r\n'], ['client', `${btoa('alice')}\r\n`], ['server', '334 UGFzc3dvcmQ6\r\n'], ['client', `${btoa(SECRET)}\r\n`], ['server', '535 5.7.8 Error: Authentication credentials invalid\r\n'], ['client', 'QUIT\r\n']];
    const msgs = dissect(steps).slice(3);
    expect(msgs.map((m) => [m.kind, m.text])).toEqual([
      ['command', 'AUTH LOGIN'],
      ['reply', '334 VXNlcm5hbWU6'],
      ['auth-response', btoa('alice')],
      ['reply', '334 UGFzc3dvcmQ6'],
      ['auth-response', '••••••'],
      ['reply', '535 5.7.8 Error: Authentication credentials invalid'],
      ['command', 'QUIT'],
    ]);
    expect(msgs[1]?.fields).toContainEqual(expect.objectContaining({ name: 'challenge', value: 'Username:' }));
    expect(msgs[3]?.fields).toContainEqual(expect.objectContaining({ name: 'challenge', value: 'Password:' }));
    expect(msgs[2]?.fields?.[0]).toMatchObject({ name: 'username', value: 'alice' });
    expect(msgs[4]).toMatchObject({ annotation: { key: 'smtp.auth.password', level: 'warn' }, fields: [{ name: 'password', value: '••••••' }] });
    noSecret(msgs, btoa(SECRET));
  });

  it('handles AUTH LOGIN with the user name as initial response, and "*" to cancel', () => {
    const msgs = dissect([...HELLO, ['client', `AUTH LOGIN ${btoa('bob')}\r\n`], ['server', '334 UGFzc3dvcmQ6\r\n'], ['client', '*\r\n'], ['server', '501 Authentication aborted\r\n'], ['client', 'NOOP\r\n']]);
    expect(msgs[3]?.fields?.at(-1)).toMatchObject({ name: 'username', value: 'bob' });
    expect(msgs.find((m) => m.kind === 'auth-response')?.annotation?.key).toBe('smtp.auth.cancel');
    expect(msgs.at(-1)?.kind).toBe('command');
  });
});

