import { describe, expect, it } from 'vitest';
import { TEXT_EN } from './text.en.ts';
import { GREET, HELLO, IN_DATA, TRANSACTION, dissect, expectProse, last, type Step } from './test-helpers.ts';

// Issue 8, facts review: replies and header lines with their own annotation, and prose rules.
describe('SMTP replies with their own annotation', () => {
  it.each<[string, Step[], string, string, string]>([
    ['VRFY confirmed', [...HELLO, ['client', 'VRFY alice\r\n']], '250 2.1.5 Alice Example <alice@lab.test>\r\n', 'smtp.reply.250.vrfy', 'info'],
    ['EXPN members', [...HELLO, ['client', 'EXPN class\r\n']], '250-2.1.5 Student <student@lab.test>\r\n250 2.1.5 Bob <bob@lab.test>\r\n', 'smtp.reply.250.expn', 'info'],
    ['SIZE= over the limit', [...HELLO, ['client', 'MAIL FROM:<a@lab.test> SIZE=99999999\r\n']], '552 5.3.4 Message size exceeds fixed maximum message size\r\n', 'smtp.reply.552.mail', 'error'],
    ['HELP with 214', [...HELLO, ['client', 'HELP\r\n']], '214 See RFC 5321\r\n', 'smtp.reply.214.help', 'info'],
    ['HELP with 211', [...HELLO, ['client', 'HELP\r\n']], '211 All is well\r\n', 'smtp.reply.211.help', 'info'],
    ['a timeout', HELLO, '421 4.4.2 Idle timeout: no command received, closing connection\r\n', 'smtp.reply.421.timeout', 'warn'],
    ['the HELO grace', GREET, '421 4.4.2 No HELO/EHLO within 60 s, closing connection\r\n', 'smtp.reply.421.timeout', 'warn'],
    ['the AUTH limit', [...HELLO, ['client', 'AUTH PLAIN AHN0dWRlbnQAeA==\r\n']], '421 4.7.0 Too many failed authentication attempts (3), closing connection\r\n', 'smtp.reply.421.auth', 'warn'],
  ])('annotates %s', (_name, prefix, line, key, level) => {
    const [m] = last(prefix, ['server', line]);
    expect(m?.annotation).toMatchObject({ key, level });
    expect(m?.annotation?.ref).toMatch(/^RFC \d+ §/);
  });
});

describe('a declared SIZE refused at MAIL', () => {
  // RFC 1870 §6.1 is the server's refusal; what the client then does is §6.2, and it says "should", not "must".
  it('cites §6.2 for the client\'s part and words it as the RFC does', () => {
    const [m] = last([...HELLO, ['client', 'MAIL FROM:<a@lab.test> SIZE=99999999\r\n']], ['server', '552 5.3.4 Message size exceeds fixed maximum message size\r\n']);
    expect(m?.annotation?.ref).toBe('RFC 1870 §6.1, §6.2');
    const explain = TEXT_EN.prose['smtp.reply.552.mail']?.explain ?? '';
    expect(explain).toMatch(/the client should send RSET or QUIT and report the message undeliverable/);
    expect(explain).not.toMatch(/must not/);
  });
});

describe('header lines of a mail', () => {
  const headers = (lines: string[]): Step[] => [['client', `${lines.join('\r\n')}\r\n\r\nbody\r\n.\r\n`]];
  const keyOf = (messages: ReturnType<typeof dissect>, text: string) => messages.find((m) => m.text === text)?.annotation;

  it('explains Message-ID, In-Reply-To, References and a SOAP Content-Type', () => {
    const mail = [
      'From: calendar@lab.test',
      'Message-ID: <resp-1@lab.test>',
      'In-Reply-To: <req-1@lab.test>',
      'References: <req-1@lab.test>',
      'Content-Type: application/soap+xml; charset=utf-8',
    ];
    const messages = dissect([...IN_DATA, ...headers(mail)]);
    expectProse(messages);
    expect(keyOf(messages, mail[1]!)).toMatchObject({ key: 'smtp.header.message-id', level: 'info' });
    expect(keyOf(messages, mail[2]!)?.key).toBe('smtp.header.in-reply-to');
    expect(keyOf(messages, mail[3]!)?.key).toBe('smtp.header.references');
    expect(keyOf(messages, mail[4]!)?.key).toBe('smtp.header.content-type.soap');
    expect(keyOf(dissect([...IN_DATA, ...headers(['Subject: x', 'Content-Type: text/plain'])]), 'Content-Type: text/plain')?.key).toBe('smtp.header.content-type');
  });

  it('explains the originator and destination fields as content, not envelope, and flags a From: that is not MAIL FROM', () => {
    // IN_DATA's envelope: MAIL FROM:<a@lab.local>, RCPT TO:<b@lab.local>.
    const mail = ['Date: Thu, 3 Dec 2026 10:00:00 +0000', 'From: Ana <A@lab.local>', 'To: b@lab.local', 'Cc: c@lab.local', 'Subject: =?utf-8?B?R3LDvMOfZQ==?='];
    const messages = dissect([...IN_DATA, ...headers(mail)]);
    expectProse(messages);
    expect(keyOf(messages, mail[1]!)).toMatchObject({ key: 'smtp.header.from', level: 'info' });
    expect(keyOf(messages, mail[2]!)?.key).toBe('smtp.header.to');
    expect(keyOf(messages, mail[3]!)?.key).toBe('smtp.header.cc');
    expect(keyOf(messages, mail[4]!)?.key).toBe('smtp.header.subject');
    expect(keyOf(dissect([...IN_DATA, ...headers(['Subject: x', mail[0]!])]), mail[0]!)?.key).toBe('smtp.header.date');
    // The envelope said a@lab.local; the header claims the dean: SMTP delivers it all the same.
    const forged = dissect([...IN_DATA, ...headers(['Subject: x', 'From: "The Dean" <dean@university.test>'])]);
    expect(keyOf(forged, 'From: "The Dean" <dean@university.test>')).toMatchObject({ key: 'smtp.header.from.not-envelope', level: 'warn' });
    expect(TEXT_EN.prose['smtp.header.to']?.explain).toMatch(/Bcc/);
  });

  it('flags a Message-ID that repeats one in the same message or an earlier mail on the connection', () => {
    const twice = dissect([...IN_DATA, ...headers(['Subject: x', 'Message-ID: <a@lab.test>', 'Message-ID: <b@lab.test>'])]);
    expect(keyOf(twice, 'Message-ID: <b@lab.test>')).toMatchObject({ key: 'smtp.header.message-id.duplicate', level: 'warn' });
    const again: Step[] = [['server', '250 OK\r\n'], ...TRANSACTION.slice(HELLO.length), ['client', 'RCPT TO:<b@lab.local>\r\n'], ['server', '250 OK\r\n'], ['client', 'DATA\r\n'], ['server', '354 go\r\n']];
    const two = dissect([...IN_DATA, ...headers(['Message-ID: <same@lab.test>']), ...again, ...headers(['Message-ID: <same@lab.test>'])]);
    const ids = two.filter((m) => m.text === 'Message-ID: <same@lab.test>').map((m) => m.annotation?.key);
    // The first line of a message keeps the "content begins" note unless it is a warning.
    expect(ids).toEqual(['smtp.data.first', 'smtp.header.message-id.duplicate']);
  });
});

describe('annotation prose', () => {
  // Title repeats and library names are checked for every protocol in lib/protocols/prose.test.ts.
  it('says what this server does with VRFY and EXPN, and why many servers do not', () => {
    const { prose } = TEXT_EN;
    expect(prose['smtp.cmd.VRFY']?.explain).toMatch(/250/);
    expect(prose['smtp.cmd.VRFY']?.explain).toMatch(/252/);
    expect(prose['smtp.cmd.EXPN']?.explain).toMatch(/250/);
    expect(prose['smtp.cmd.EXPN']?.explain).not.toMatch(/answers 500/);
    expect(prose['smtp.reply.252']?.explain).toMatch(/§3\.5\.3/);
  });
});

describe('BDAT (RFC 3030 CHUNKING)', () => {
  const RCPT: Step[] = [...TRANSACTION, ['client', 'RCPT TO:<b@lab.local>\r\n'], ['server', '250 OK\r\n']];
  const chunkingHello = (rest: Step[]): Step[] => [
    ...GREET, ['client', 'EHLO me\r\n'], ['server', '250-lab.local\r\n250-CHUNKING\r\n250 PIPELINING\r\n'],
    ['client', 'MAIL FROM:<a@lab.local>\r\n'], ['server', '250 OK\r\n'], ...rest,
  ];

  it('names BDAT and says the server did not advertise CHUNKING in its EHLO reply; its 500 says why', () => {
    const messages = dissect([...RCPT, ['client', 'BDAT 7 LAST\r\n'], ['server', '500 5.5.2 Error: command not recognized\r\n']]);
    expectProse(messages);
    const bdat = messages.find((m) => m.text === 'BDAT 7 LAST');
    // It was "Unknown command": not a command this server is expected to know.
    expect(bdat?.annotation).toMatchObject({ key: 'smtp.cmd.bdat-not-advertised', ref: 'RFC 3030 §2, §4.1', level: 'warn' });
    expect(bdat?.annotation?.title).toMatch(/BDAT.*CHUNKING/);
    expect(bdat?.annotation?.explain).toMatch(/RFC 3030/);
    expect(bdat?.annotation?.explain).toMatch(/did not advertise CHUNKING in its EHLO reply/);
    expect(bdat?.fields?.map((f) => [f.name, f.value])).toEqual([['verb', 'BDAT'], ['argument', '7 LAST']]);
    expect(bdat?.fields?.[0]?.note).toMatch(/BDAT/);
    expect(messages.at(-1)?.annotation).toMatchObject({ key: 'smtp.reply.500.bdat', level: 'error' });
    expect(messages.at(-1)?.annotation?.explain).toMatch(/command lines/);
  });

  it('explains BDAT plainly when the EHLO reply did list CHUNKING, and forgets it after a HELO (whose reply lists no extensions)', () => {
    const [offered] = last(chunkingHello([]), ['client', 'BDAT 7 LAST\r\n']);
    expect(offered?.annotation).toMatchObject({ key: 'smtp.cmd.BDAT', ref: 'RFC 3030 §2' });
    const [helo] = last(chunkingHello([['client', 'HELO me\r\n'], ['server', '250 lab.local\r\n']]), ['client', 'BDAT 7 LAST\r\n']);
    expect(helo?.annotation?.key).toBe('smtp.cmd.bdat-not-advertised');
  });
});

describe('an authentication exchange line over the server\'s limit (RFC 4954 §4)', () => {
  const LONG = 'QUFB'.repeat(1000);
  const REFUSED = '500 5.5.6 Authentication Exchange line is too long\r\n';

  it('explains 500 5.5.6 after a SASL response, masks the line, and reads the next command as a command', () => {
    const messages = dissect([...HELLO, ['client', 'AUTH LOGIN\r\n'], ['server', '334 VXNlcm5hbWU6\r\n'], ['client', `${LONG}\r\n`], ['server', REFUSED], ['client', 'NOOP\r\n'], ['server', '250 2.0.0 OK\r\n']]);
    expectProse(messages);
    const line = messages.find((m) => m.kind === 'overlong' && m.annotation);
    expect(line).toMatchObject({ dir: 'client', phase: 'auth', annotation: { key: 'smtp.overlong.auth', ref: 'RFC 4954 §4' } });
    expect(messages.some((m) => m.text.includes('QUFB'))).toBe(false);
    const reply = messages.find((m) => m.text === REFUSED.trim());
    expect(reply?.annotation).toMatchObject({ key: 'smtp.reply.500.auth-too-long', ref: 'RFC 4954 §4, §6', level: 'error' });
    expect(reply?.annotation?.explain).toMatch(/connection stays open/);
    expect(messages.slice(-2).map((m) => m.annotation?.key)).toEqual(['smtp.cmd.NOOP', 'smtp.reply.250']);
  });

  it('does the same for an initial response on the AUTH line, masking it, and keeps later replies matched', () => {
    const messages = dissect([...HELLO, ['client', `AUTH PLAIN ${LONG}\r\n`], ['server', REFUSED], ['client', 'NOOP\r\n'], ['server', '250 2.0.0 OK\r\n']]);
    expectProse(messages);
    const line = messages.find((m) => m.kind === 'overlong' && m.annotation);
    expect(line?.text).toMatch(/^AUTH PLAIN •+… \(line cut after/);
    expect(line?.annotation?.key).toBe('smtp.overlong.auth');
    expect(messages.some((m) => m.text.includes('QUFB'))).toBe(false);
    // It was a reply to nothing, read as the generic 500 ("command unrecognized").
    expect(messages.find((m) => m.text === REFUSED.trim())?.annotation?.key).toBe('smtp.reply.500.auth-too-long');
    expect(messages.slice(-2).map((m) => m.annotation?.key)).toEqual(['smtp.cmd.NOOP', 'smtp.reply.250']);
  });
});
