import { describe, expect, it } from 'vitest';
import { FTP_TEXT } from '../protocols/ftp/text.en.ts';
import { API_TEXT_EN } from '../protocols/soap/api-text.en.ts';
import { TEXT_EN as SOAP_TEXT } from '../protocols/soap/text.en.ts';
import { WS_TEXT_EN } from '../protocols/soap/ws-text.en.ts';
import { TEXT as SSH_TEXT } from '../protocols/ssh/text.en.ts';
import { TEXT as ZMTP_TEXT } from '../protocols/zmtp/text.en.ts';
import { REPLY_CLASSES, REPLY_CODES, CONTEXT_REPLIES } from '../protocols/smtp/replies.ts';
import { KEY_NAMESPACES, compileKeyPattern, looksLikeKey, matchesKey } from './key-pattern.ts';

const matches = (pattern: string, key: string) => matchesKey(compileKeyPattern(pattern)!, key);

describe('annotation key patterns', () => {
  it.each([
    ['smtp.reply.5xx', 'smtp.reply.550', true],
    ['smtp.reply.5xx', 'smtp.reply.554', true],
    ['smtp.reply.5xx', 'smtp.reply.550.relay', true],
    ['smtp.reply.5xx', 'smtp.reply.5xx', true],
    ['smtp.reply.5xx', 'smtp.reply.451', false],
    ['smtp.reply.5xx', 'smtp.reply.out-of-range', false],
    ['smtp.reply.55x', 'smtp.reply.554', true],
    ['smtp.reply.55x', 'smtp.reply.503', false],
    ['smtp.reply.550', 'smtp.reply.550.relay', true],
    ['smtp.reply.550', 'smtp.reply.5500', false],
    ['smtp.reply.55', 'smtp.reply.550', false],
    ['smtp.reply.*', 'smtp.reply.220.greeting', true],
    ['smtp.reply.*', 'smtp.reply', false],
    ['smtp.reply.*', 'smtp.cmd.RCPT', false],
    ['smtp.', 'smtp.cmd.EHLO', true],
    ['ftp.cmd.PASV', 'ftp.cmd.PASV', true],
    ['ftp.cmd.pasv', 'ftp.cmd.PASV', true],
    ['ftp.cmd.PASV', 'ftp.cmd.PASSIVE', false],
    ['smtp.cmd.R*', 'smtp.cmd.RCPT', true],
    ['smtp.cmd.R*', 'smtp.cmd.RSET', true],
    ['smtp.cmd.R*', 'smtp.cmd.MAIL', false],
    ['*.reply.2xx', 'ftp.reply.226', true],
    ['ftp.reply.1xx', 'ftp.reply.150', true],
    ['http.status.4xx', 'http.status.403', true],
    ['fault.smtp.*', 'fault.smtp.rcpt-451-second', true],
  ])('%s against %s → %s', (pattern, key, expected) => {
    expect(matches(pattern, key)).toBe(expected);
  });

  it('never matches a message without a key', () => {
    expect(matchesKey(compileKeyPattern('smtp')!, undefined)).toBe(false);
  });

  it('refuses patterns with an empty segment', () => {
    expect(compileKeyPattern('')).toBeNull();
    expect(compileKeyPattern('smtp..reply')).toBeNull();
    expect(compileKeyPattern('.smtp')).toBeNull();
  });

  it('reads dotted words as keys only under a known namespace', () => {
    expect(looksLikeKey('smtp.reply.5xx')).toBe(true);
    expect(looksLikeKey('SFTP.pkt.OPEN')).toBe(true);
    expect(looksLikeKey('lab.test')).toBe(false);
    expect(looksLikeKey('example.com')).toBe(false);
    expect(looksLikeKey('alice@lab.test')).toBe(false);
    expect(looksLikeKey('3.14')).toBe(false);
  });

  it('knows the namespace of every key the prose tables explain', () => {
    const books = [FTP_TEXT, API_TEXT_EN, SOAP_TEXT, WS_TEXT_EN, SSH_TEXT, ZMTP_TEXT];
    const keys = [
      ...books.flatMap((book) => Object.keys(book)),
      ...Object.values(REPLY_CODES).map((r) => r.key),
      ...Object.values(REPLY_CLASSES).map((r) => r.key),
      ...CONTEXT_REPLIES.map((r) => r.key),
    ];
    expect(keys.length).toBeGreaterThan(300);
    const missing = [...new Set(keys.filter((k) => k.includes('.')).map((k) => k.split('.')[0]))].filter((ns) => !KEY_NAMESPACES.has(ns));
    expect(missing).toEqual([]);
  });
});
