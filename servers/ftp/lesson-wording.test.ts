/**
 * The FTP lessons as the page words them. A held question shows its `when` pattern through
 * readablePattern ("Step mode holds your command <when> at the tap"), so it must read as the
 * command or reply the prompt names, never as a regular expression ("(LIST|NLST|RETR)" was shown
 * once); FTPS vs SFTP names its button as the page does and says what its one run proves.
 */
import { describe, expect, it } from 'vitest';
import { readablePattern } from '../../components/lessons/held-match.ts';
import { LESSONS } from '../lessons.ts';

const questions = LESSONS.filter((l) => l.lab === 'ftp').flatMap((l) => l.steps.flatMap((s) => (s.question ? [{ at: `${l.id}/${s.id}`, question: s.question }] : [])));

describe('FTP held questions', () => {
  it('there are some', () => {
    expect(questions.length).toBeGreaterThanOrEqual(4);
  });

  it.each(questions.map((q) => [q.at, q.question] as const))('%s: the held message reads as plain words the prompt names', (_at, question) => {
    const shown = readablePattern(question.when.text).trim();
    expect(shown).toMatch(/^[A-Z0-9][A-Z0-9 ]*$/);
    expect(question.prompt).toContain(shown);
  });
});

describe('FTPS vs SFTP', () => {
  const lesson = LESSONS.find((l) => l.id === 'ftps-vs-sftp');

  it('names the button as the page shows it, and says that its one run proves all three steps', () => {
    const first = lesson?.steps[0].do ?? '';
    expect(first).toContain('press Run comparison');
    expect(first).toMatch(/one run records everything this lesson looks at, so all three steps tick/);
    expect(lesson?.steps.slice(1).every((s) => s.do.includes('the same run'))).toBe(true);
  });
});

describe('FTPS lesson, plain FTP step', () => {
  const plain = LESSONS.find((l) => l.id === 'ftps')?.steps.find((s) => s.id === 'plain');

  it('cites where RFC 2577 says the password (§5) and everything else (§6) cross unencrypted; RFC 4217 §15.2.3 only says TLS solves it', () => {
    expect(plain?.ref).toBe('RFC 2577 §5, §6; RFC 4217 §15.2.3');
    expect(plain?.hints?.join(' ')).toMatch(/RFC 2577 §5 .*in clear text with PASS.*§6.*RFC 4217 §15\.2\.3/);
    expect(plain?.hints?.join(' ')).not.toMatch(/first problem/);
  });
});
