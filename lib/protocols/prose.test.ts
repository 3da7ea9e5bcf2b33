import { describe, expect, it } from 'vitest';
import { FTP_TEXT } from './ftp/text.en.ts';
import { proseProblems } from './prose-rules.ts';
import { TEXT_EN as SMTP_TEXT } from './smtp/text.en.ts';
import { TEXT_EN as SOAP_TEXT } from './soap/text.en.ts';
import { TEXT as SSH_TEXT } from './ssh/text.en.ts';

const TABLES = { ftp: FTP_TEXT, smtp: SMTP_TEXT.prose, soap: SOAP_TEXT, ssh: SSH_TEXT };

describe('annotation prose, every protocol', () => {
  for (const [protocol, table] of Object.entries(TABLES)) {
    it(`${protocol}: no explanation repeats its title or names a library or source document`, () => {
      const problems = Object.entries(table).flatMap(([key, prose]) => proseProblems(prose.title, prose.explain ?? '').map((p) => `${key}: ${p}`));
      expect(problems).toEqual([]);
    });
  }

  it('catches the two faults the review found', () => {
    expect(proseProblems('354 Start mail input', 'Start mail input; end with <CRLF>.<CRLF>')).toEqual(['repeats its title']);
    expect(proseProblems('VRFY', 'smtp-server accepts the command')).toEqual(['names "smtp-server"']);
    expect(proseProblems('Version exchange', 'Both sides send one identification line (RFC 4253 §4.2).')).toEqual([]);
  });
});
