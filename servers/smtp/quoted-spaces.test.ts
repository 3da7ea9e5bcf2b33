import { describe, expect, it } from 'vitest';
import { hideQuotedSpaces } from './quoted-spaces.ts';

const H = '\uE000';

describe('hideQuotedSpaces', () => {
  it.each<[string, string | null]>([
    ['RCPT TO:<"al ice"@lab.test>', `RCPT TO:<"al${H}ice"@lab.test>`],
    ['MAIL FROM:<"John Smith"@example.com> SIZE=10', `MAIL FROM:<"John${H}Smith"@example.com> SIZE=10`],
    // A quoted-pair keeps its backslash; an escaped quote does not end the string.
    ['RCPT TO:<"a\\ b\\"c d"@lab.test>', `RCPT TO:<"a\\${H}b\\"c${H}d"@lab.test>`],
    // Nothing to hide: no quotes, no space in them, a quote never closed, or the stand-in itself sent.
    ['RCPT TO:<alice@lab.test>', null],
    ['RCPT TO:<"alice"@lab.test> NOTIFY=NEVER', null],
    ['RCPT TO:<"al ice@lab.test>', null],
    ['MAIL FROM:<alice@lab.test> ENVID=<"x y">', null],
    [`RCPT TO:<"a b${H}"@lab.test>`, null],
  ])('%s', (command, hidden) => {
    expect(hideQuotedSpaces(command)).toBe(hidden);
  });
});
