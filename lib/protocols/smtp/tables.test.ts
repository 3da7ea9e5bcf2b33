import { describe, expect, it } from 'vitest';
import { SMTP_COMMANDS, SMTP_NOTES, UNKNOWN_COMMAND, lookupCommand, parseAuthArgs, parseCommandLine, parsePathArgs } from './commands.ts';
import { ENHANCED_CLASSES, ENHANCED_DETAILS, ENHANCED_SUBJECTS, parseEnhancedCode } from './enhanced-codes.ts';
import { SMTP_EXTENSIONS, SMTP_PARAMETERS, UNKNOWN_EXTENSION, UNKNOWN_PARAMETER, lookupExtension, parseEhloLine } from './extensions.ts';
import { CONTEXT_REPLIES, INCOMPLETE_REPLY, MALFORMED_REPLY, OUT_OF_RANGE_REPLY, REPLY_CLASSES, REPLY_CODES, lookupReply } from './replies.ts';
import { TEXT_EN } from './text.en.ts';

// Every code PROTOCOL-FACTS.md lists for SMTP.
const FACT_CODES = [211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 530, 535, 538, 550, 551, 552, 553, 554, 555];

const annotationRows = [
  ...Object.values(SMTP_COMMANDS),
  UNKNOWN_COMMAND,
  ...Object.values(REPLY_CODES),
  ...CONTEXT_REPLIES,
  ...Object.values(REPLY_CLASSES),
  OUT_OF_RANGE_REPLY,
  MALFORMED_REPLY,
  INCOMPLETE_REPLY,
  ...Object.values(SMTP_EXTENSIONS),
  UNKNOWN_EXTENSION,
  ...Object.values(SMTP_PARAMETERS),
  UNKNOWN_PARAMETER,
  ...Object.values(SMTP_NOTES),
];

describe('SMTP tables', () => {
  it.each(FACT_CODES)('has a row with a ref for reply %i', (code) => {
    expect(REPLY_CODES[code]).toMatchObject({ key: `smtp.reply.${code}`, ref: expect.stringMatching(/^RFC \d+ §/) });
  });

  it('levels 4xx as warn and 5xx as error', () => {
    for (const [code, row] of Object.entries(REPLY_CODES)) {
      const n = Number(code);
      if (n >= 500) expect(row.level, code).toBe('error');
      else if (n >= 400) expect(row.level, code).toBe('warn');
    }
    expect(REPLY_CLASSES['4']?.level).toBe('warn');
    expect(REPLY_CLASSES['5']?.level).toBe('error');
  });

  it('gives every annotation key English prose and a source', () => {
    for (const row of annotationRows) {
      const prose = TEXT_EN.prose[row.key];
      expect(prose?.title, row.key).toBeTruthy();
      expect(prose?.explain, row.key).toBeTruthy();
      expect(row.ref, row.key).toMatch(/RFC \d+|Postfix/);
    }
    for (const row of [...Object.values(ENHANCED_CLASSES), ...Object.values(ENHANCED_SUBJECTS), ...Object.values(ENHANCED_DETAILS)]) {
      expect(TEXT_EN.prose[row.key]?.title, row.key).toBeTruthy();
      expect(row.ref).toMatch(/^RFC \d+ §/);
    }
  });

  it('teaches the corrected facts, not the seed errors', () => {
    const prose = TEXT_EN.prose;
    expect(prose['smtp.cmd.QUIT']?.explain).toContain('221');
    expect(prose['smtp.reply.221']?.explain).toContain('QUIT');
    expect(prose['smtp.reply.211']?.title).not.toMatch(/clos/i);
    expect(prose['smtp.reply.354']?.explain).toContain('end with a line holding only "."');
    expect(prose['smtp.reply.354']?.explain).toContain('RFC 5321 §4.1.1.4');
    expect(prose['smtp.reply.220.greeting']?.title).toMatch(/^220/);
    expect(prose['smtp.reply.200']?.title).toMatch(/not an SMTP reply/);
    expect(prose['smtp.reply.250']?.explain).toMatch(/no "200 OK"/);
    expect(prose['smtp.auth.cleartext']?.explain).toMatch(/not encryption/);
    expect(prose['smtp.reply.252']?.explain).toMatch(/VRFY/);
    expect(prose['smtp.reply.421.early']?.explain).toMatch(/You talk too soon/);
    expect(prose['smtp.reply.550.relay']?.explain).toMatch(/open relay/);
    expect(prose['smtp.data.dot-stuffed']?.explain).toMatch(/§4\.5\.2/);
  });

  it('assigns each command a phase and a section', () => {
    expect(Object.keys(SMTP_COMMANDS).sort()).toEqual(
      ['AUTH', 'BDAT', 'DATA', 'EHLO', 'EXPN', 'HELO', 'HELP', 'MAIL', 'NOOP', 'QUIT', 'RCPT', 'RSET', 'STARTTLS', 'VRFY'].sort(),
    );
    expect(lookupCommand('ehlo')).toMatchObject({ key: 'smtp.cmd.EHLO', phase: 'greeting', ref: 'RFC 5321 §4.1.1.1' });
    expect(lookupCommand('MAIL').phase).toBe('envelope');
    expect(lookupCommand('STARTTLS').phase).toBe('tls');
    expect(lookupCommand('AUTH').phase).toBe('auth');
    expect(lookupCommand('XYZZY')).toBe(UNKNOWN_COMMAND);
  });
});

describe('lookupReply', () => {
  it.each<[number, string, string | undefined, string]>([
    [220, 'CONNECT', undefined, 'smtp.reply.220.greeting'],
    [220, 'STARTTLS', undefined, 'smtp.reply.220.starttls'],
    [250, 'EHLO', undefined, 'smtp.reply.250.ehlo'],
    [250, 'DATA-END', undefined, 'smtp.reply.250.data'],
    [250, 'NOOP', undefined, 'smtp.reply.250'],
    [354, 'DATA', undefined, 'smtp.reply.354'],
    [221, 'QUIT', undefined, 'smtp.reply.221'],
    [550, 'RCPT', '5.7.1', 'smtp.reply.550.relay'],
    [550, 'RCPT', '5.1.1', 'smtp.reply.550'],
    [550, 'MAIL', '5.7.1', 'smtp.reply.550'],
    [421, 'EARLY', undefined, 'smtp.reply.421.early'],
    [299, 'NOOP', undefined, 'smtp.reply.2xx'],
    [399, 'NOOP', undefined, 'smtp.reply.3xx'],
    [499, 'NOOP', undefined, 'smtp.reply.4xx'],
    [599, 'NOOP', undefined, 'smtp.reply.5xx'],
    [199, 'NOOP', undefined, 'smtp.reply.out-of-range'],
    [600, 'NOOP', undefined, 'smtp.reply.out-of-range'],
  ])('finds %i after %s (%s) → %s', (code, after, enhanced, key) => {
    expect(lookupReply(code, after, enhanced).key).toBe(key);
  });
});

describe('argument parsers', () => {
  it('splits a command line into verb and arguments', () => {
    expect(parseCommandLine('mail FROM:<a@b>')).toMatchObject({ verb: 'MAIL', args: 'FROM:<a@b>', row: { key: 'smtp.cmd.MAIL' } });
    expect(parseCommandLine('QUIT')).toMatchObject({ verb: 'QUIT', args: '' });
  });

  it.each<[string, ReturnType<typeof parsePathArgs>]>([
    ['FROM:<alice@example.org>', { keyword: 'FROM', path: '<alice@example.org>', params: [] }],
    ['FROM:<> BODY=8BITMIME SIZE=1024', { keyword: 'FROM', path: '<>', params: [{ name: 'BODY', value: '8BITMIME' }, { name: 'SIZE', value: '1024' }] }],
    ['from: <a@b> smtputf8', { keyword: 'FROM', path: '<a@b>', params: [{ name: 'SMTPUTF8', value: '' }] }],
    ['TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE', { keyword: 'TO', path: '<bob@example.org>', params: [{ name: 'NOTIFY', value: 'SUCCESS,FAILURE' }] }],
    ['alice@example.org', undefined],
  ])('parses MAIL/RCPT arguments %j', (args, expected) => {
    expect(parsePathArgs(args)).toEqual(expected);
  });

  it('parses AUTH arguments', () => {
    expect(parseAuthArgs('plain AGEAYg==')).toEqual({ mechanism: 'PLAIN', initial: 'AGEAYg==' });
    expect(parseAuthArgs('LOGIN')).toEqual({ mechanism: 'LOGIN' });
  });

  it.each<[string, string, string, string]>([
    ['SIZE 10485760', 'SIZE', '10485760', 'smtp.ext.SIZE'],
    ['AUTH PLAIN LOGIN', 'AUTH', 'PLAIN LOGIN', 'smtp.ext.AUTH'],
    ['8bitmime', '8BITMIME', '', 'smtp.ext.8BITMIME'],
    ['XSECRET 1', 'XSECRET', '1', 'smtp.ext.unknown'],
  ])('parses the EHLO line %j', (line, keyword, params, key) => {
    expect(parseEhloLine(line)).toMatchObject({ keyword, params, row: { key } });
  });

  it('knows the common EHLO keywords', () => {
    for (const k of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'SIZE', 'STARTTLS', 'AUTH', 'ENHANCEDSTATUSCODES', 'CHUNKING', 'DSN', 'HELP']) {
      expect(lookupExtension(k).key).toBe(`smtp.ext.${k}`);
    }
  });

  it.each<[string, number, string | undefined, boolean]>([
    ['5.7.1 Relaying denied', 550, '5.7.1', true],
    ['2.1.5 Accepted', 250, '2.1.5', true],
    ['4.5.3 Too many recipients', 452, '4.5.3', true],
    ['5.1.1 no such user', 450, '5.1.1', false],
    ['5.7.100 x', 550, '5.7.100', true],
    ['5.1 nope', 550, undefined, false],
    ['3.1.1 no class 3', 354, undefined, false],
    ['OK', 250, undefined, false],
  ])('reads the enhanced code in %j', (text, code, expected, matches) => {
    const e = parseEnhancedCode(text, code);
    expect(e?.code).toBe(expected);
    if (e) expect(e.classMatches).toBe(matches);
  });

  it('names common enhanced details', () => {
    for (const d of ['0.0', '1.0', '1.1', '1.5', '3.4', '5.1', '5.3', '7.1']) expect(ENHANCED_DETAILS[d], d).toBeDefined();
  });
});
