import { describe, expect, it } from 'vitest';
import { createFtpDissector } from '../protocols/ftp/dissector.ts';
import { createSmtpDissector } from '../protocols/smtp/dissector.ts';
import type { Dissector, StreamDir } from '../protocols/types.ts';
import type { LabMessage, Protocol } from '../wire/event.ts';
import { compileFilter, parseQuery } from './filter.ts';

/** Runs a real dissector over a dialogue and files its messages as the recorder would. */
function transcript(protocol: Protocol, dissector: Dissector, steps: [StreamDir, string][]): LabMessage[] {
  const out = steps.flatMap(([dir, text]) => dissector.push(dir, new TextEncoder().encode(text))).concat(dissector.end());
  return out.map((m, i) => ({ ...m, id: `${protocol}-1:${i + 1}`, conn: `${protocol}-1`, sandbox: 'local', protocol, seq: i + 1, t: i, view: 'wire' }));
}

const SMTP = transcript('smtp', createSmtpDissector(), [
  ['server', '220 mail.lab.test ESMTP\r\n'],
  ['client', 'EHLO me\r\n'],
  ['server', '250 mail.lab.test\r\n'],
  ['client', 'MAIL FROM:<student@lab.test>\r\n'],
  ['server', '250 2.1.0 Accepted\r\n'],
  ['client', 'RCPT TO:<nobody@lab.test>\r\n'],
  ['server', '550 5.1.1 Mailbox unknown\r\n'],
  ['client', 'RCPT TO:<alice@elsewhere.example>\r\n'],
  ['server', '554 5.7.1 relaying denied\r\n'],
  ['client', 'RCPT TO:<alice@lab.test>\r\n'],
  ['server', '451 4.3.0 Try again later\r\n'],
  ['client', 'QUIT\r\n'],
  ['server', '221 Bye\r\n'],
]);

const FTP = transcript('ftp', createFtpDissector(), [
  ['server', '220 Ready\r\n'],
  ['client', 'USER student\r\n'],
  ['server', '331 Username okay\r\n'],
  ['client', 'PASS secret\r\n'],
  ['server', '230 Logged in\r\n'],
  ['client', 'PASV\r\n'],
  ['server', '227 Entering Passive Mode (127,0,0,1,117,48)\r\n'],
  ['client', 'RETR missing.txt\r\n'],
  ['server', '550 No such file\r\n'],
]);

const ALL = [...SMTP, ...FTP];

/** The texts of the messages a query finds. */
function find(query: string, messages: LabMessage[] = ALL): string[] {
  const filter = compileFilter(query);
  if (!filter.ok) throw new Error(filter.error);
  return messages.filter(filter.test).map((m) => m.text);
}

describe('filter over real dissector output', () => {
  it('finds every 5xx SMTP reply by class, including a context row (550 after RCPT is smtp.reply.550; 554 relay is smtp.reply.554.relay)', () => {
    const keys = SMTP.filter((m) => m.dir === 'server').map((m) => m.annotation?.key);
    expect(keys).toContain('smtp.reply.550');
    expect(keys).toContain('smtp.reply.554.relay');
    expect(find('smtp.reply.5xx')).toEqual(['550 5.1.1 Mailbox unknown', '554 5.7.1 relaying denied']);
  });

  it('finds one code and what lies under it', () => {
    expect(find('smtp.reply.554')).toEqual(['554 5.7.1 relaying denied']);
    expect(find('smtp.reply.4xx')).toEqual(['451 4.3.0 Try again later']);
  });

  it('finds FTP commands by key, whatever the case typed', () => {
    expect(find('ftp.cmd.PASV')).toEqual(['PASV']);
    expect(find('ftp.cmd.pasv')).toEqual(['PASV']);
    expect(find('ftp.reply.227')).toEqual(['227 Entering Passive Mode (127,0,0,1,117,48)']);
  });

  it('a 5xx of any protocol with a wildcard namespace', () => {
    expect(find('*.reply.5xx')).toEqual(['550 5.1.1 Mailbox unknown', '554 5.7.1 relaying denied', '550 No such file']);
  });

  it('every reply of SMTP with smtp.reply.*', () => {
    expect(find('smtp.reply.*')).toHaveLength(SMTP.filter((m) => m.dir === 'server').length);
  });

  it('level by word and by field; warn is not error', () => {
    expect(find('warn')).toEqual(find('level:warn'));
    expect(find('level:warn')).toContain('451 4.3.0 Try again later');
    expect(find('level:warn')).not.toContain('550 5.1.1 Mailbox unknown');
    expect(find('error smtp')).toEqual(['550 5.1.1 Mailbox unknown', '554 5.7.1 relaying denied']);
  });

  it('dir, protocol and kind', () => {
    expect(find('dir:client proto:ftp')).toEqual(['USER student', 'PASS secret', 'PASV', 'RETR missing.txt']);
    expect(find('kind:command smtp RCPT')).toHaveLength(3);
  });

  it('or, not and - and grouping', () => {
    expect(find('ftp.cmd.PASV or ftp.cmd.RETR')).toEqual(['PASV', 'RETR missing.txt']);
    expect(find('smtp.reply.5xx not relaying')).toEqual(['550 5.1.1 Mailbox unknown']);
    expect(find('smtp.reply.5xx -relaying')).toEqual(['550 5.1.1 Mailbox unknown']);
    expect(find('smtp.reply.5xx !relaying')).toEqual(['550 5.1.1 Mailbox unknown']);
    expect(find('(ftp or smtp) 550')).toEqual(['550 5.1.1 Mailbox unknown', '550 No such file']);
    expect(find('ftp 550 or smtp 554')).toEqual(['554 5.7.1 relaying denied', '550 No such file']);
  });

  it('free text: words, quoted phrases, any case, in text, annotation titles and fields', () => {
    expect(find('"relaying denied"')).toEqual(['554 5.7.1 relaying denied']);
    expect(find('MAILBOX unknown')).toEqual(['550 5.1.1 Mailbox unknown']);
    expect(find('"5.7.1"')).toEqual(['554 5.7.1 relaying denied']);
    // A field value: the reverse-path of MAIL FROM.
    expect(find('text:student@lab.test dir:client')).toEqual(['MAIL FROM:<student@lab.test>']);
    // `lab.test` is text, not a key.
    expect(find('lab.test dir:server')).toEqual(['220 mail.lab.test ESMTP', '250 mail.lab.test']);
  });

  it('a quoted word the language would otherwise read as an operator or a key', () => {
    const or: LabMessage = { ...SMTP[0], text: 'this or that' };
    expect(find('"or"', [or])).toEqual(['this or that']);
    expect(find('key:"smtp.reply.220"', SMTP)).toEqual(['220 mail.lab.test ESMTP']);
  });
});

describe('flags and views', () => {
  const base = SMTP[6];
  const injected: LabMessage = { ...base, id: 'i', text: '451 4.3.0 injected', injected: { rule: 'smtp.rcpt-451-second', title: 'the 2nd RCPT gets 451 4.3.0' }, annotation: { key: 'fault.smtp.rcpt-451-second', title: 'Fault', explain: '' } };
  const edited: LabMessage = { ...SMTP[5], id: 'e', text: 'RCPT TO:<bob@lab.test>', edited: { original: 'RCPT TO:<nobody@lab.test>' } };
  const endpoint: LabMessage = { ...SMTP[1], id: 'v', view: 'endpoint' };
  const set = [base, injected, edited, endpoint];

  it('injected and edited', () => {
    expect(find('injected', set)).toEqual(['451 4.3.0 injected']);
    expect(find('edited', set)).toEqual(['RCPT TO:<bob@lab.test>']);
    expect(find('not injected not edited', set)).toEqual([base.text, endpoint.text]);
    expect(find('fault.smtp.*', set)).toEqual(['451 4.3.0 injected']);
  });

  it('view', () => {
    expect(find('view:endpoint', set)).toEqual(['EHLO me']);
    expect(find('view:wire', set)).toHaveLength(3);
  });
});

describe('queries that cannot be read are reported in words, never thrown', () => {
  it.each([
    ['', 'Type something to search for.'],
    ['   ', 'Type something to search for.'],
    ['"relaying denied', 'The quote opened at character 1 is never closed.'],
    ['(smtp or ftp', 'The parenthesis opened at character 1 is never closed.'],
    ['smtp )', 'The ")" at character 6 closes nothing.'],
    [')', 'The ")" at character 1 closes nothing.'],
    ['()', 'The parentheses at character 1 hold nothing.'],
    ['smtp or', '"or" at character 6 needs something on both sides.'],
    ['or smtp', '"or" at character 1 needs something on both sides.'],
    ['smtp or or ftp', '"or" at character 6 needs something on both sides.'],
    ['smtp not', '"not" at character 6 needs something after it.'],
    ['and smtp', '"and" at character 1 needs something on both sides.'],
    ['level:loud', 'level: takes info, warn, warning, error, not "loud".'],
    ['dir:sideways', 'dir: takes client, server, note, lab, not "sideways".'],
    ['view:x', 'view: takes endpoint, wire, not "x".'],
    ['proto:gopher', 'proto: takes smtp, ftp, ssh, soap, zmq, policy, gateway, not "gopher".'],
    ['level:', 'level: needs a value after the colon.'],
    ['color:red', 'Unknown field "color:" — use one of level: dir: view: kind: phase: proto: protocol: conn: key: text: (or put the text in quotes).'],
    ['smtp..reply', '"smtp..reply" is not an annotation key: write dotted names such as smtp.reply.5xx.'],
  ])('%j → %s', (query, error) => {
    const parsed = compileFilter(query);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toBe(error);
  });

  it('refuses an overlong query and a query nested too deep', () => {
    expect(parseQuery('x'.repeat(501))).toMatchObject({ ok: false, error: 'The query is longer than 500 characters.' });
    expect(parseQuery(`${'('.repeat(40)}smtp${')'.repeat(40)}`)).toMatchObject({ ok: false, error: 'The query nests deeper than 24 levels.' });
    expect(parseQuery(`${'not '.repeat(40)}smtp`)).toMatchObject({ ok: false });
  });

  it('never throws, whatever is typed', () => {
    const alphabet = ['(', ')', '"', '-', '!', 'or', 'not', 'and', ':', 'level:', 'smtp.', '*', 'x', ' ', '\\', 'key:"'];
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      let q = '';
      for (let i = 0; i < 8; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        q += alphabet[seed % alphabet.length];
      }
      const parsed = compileFilter(q);
      if (parsed.ok) expect(() => ALL.filter(parsed.test)).not.toThrow();
      else expect(parsed.error).toMatch(/\.$/);
    }
  });
});

describe('the query read back in words', () => {
  it.each([
    ['smtp.reply.5xx', 'annotation key smtp.reply.5xx'],
    ['smtp.reply.5xx -relay', 'annotation key smtp.reply.5xx and not text "relay"'],
    ['warn or injected', 'level warn or injected by a fault'],
    ['dir:client (ftp.cmd.PASV or ftp.cmd.EPSV)', 'from the client and (annotation key ftp.cmd.PASV or annotation key ftp.cmd.EPSV)'],
    ['view:wire edited', 'seen on the wire and edited before release'],
  ])('%s → %s', (query, words) => {
    const parsed = compileFilter(query);
    expect(parsed.ok && parsed.description).toBe(words);
  });
});
