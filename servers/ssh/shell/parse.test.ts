import { describe, expect, it } from 'vitest';
import { parseLine, type ParsedLine, type Word } from './parse.ts';

const one = (argv: Word[], extra: Partial<ParsedLine['list'][number]['pipeline'][number]> = {}): ParsedLine => ({ list: [{ when: 'always', pipeline: [{ argv, ...extra }] }] });

describe('parseLine', () => {
  it.each<[string, ParsedLine | { error: string }]>([
    ['ls -l /', one(['ls', '-l', '/'])],
    ['echo "a b"  c', one(['echo', 'a b', 'c'])],
    ["echo 'x > y'", one(['echo', 'x > y'])],
    ['echo hi > f.txt', one(['echo', 'hi'], { redirect: { path: 'f.txt', append: false } })],
    ['echo hi>>f.txt', one(['echo', 'hi'], { redirect: { path: 'f.txt', append: true } })],
    ['sort < names.txt', one(['sort'], { input: 'names.txt' })],
    ['echo a\\ b', one(['echo', 'a b'])],
    ['echo ""', one(['echo', ''])],
    ['> empty.txt', one([], { redirect: { path: 'empty.txt', append: false } })],
    // Operators inside quotes or after a backslash are text.
    ['echo "a;b" \'c && d\' e\\|f', one(['echo', 'a;b', 'c && d', 'e|f'])],
    ['echo "x | y" # a comment; ls', one(['echo', 'x | y'])],
    ['echo a#b', one(['echo', 'a#b'])],
    ['cd docs && ls', { list: [{ when: 'always', pipeline: [{ argv: ['cd', 'docs'] }] }, { when: 'and', pipeline: [{ argv: ['ls'] }] }] }],
    ['false || echo no; pwd;', {
      list: [
        { when: 'always', pipeline: [{ argv: ['false'] }] },
        { when: 'or', pipeline: [{ argv: ['echo', 'no'] }] },
        { when: 'always', pipeline: [{ argv: ['pwd'] }] },
      ],
    }],
    ['ls|wc -l', { list: [{ when: 'always', pipeline: [{ argv: ['ls'] }, { argv: ['wc', '-l'] }] }] }],
    ['cat a | grep x > out.txt && cat out.txt', {
      list: [
        { when: 'always', pipeline: [{ argv: ['cat', 'a'] }, { argv: ['grep', 'x'], redirect: { path: 'out.txt', append: false } }] },
        { when: 'and', pipeline: [{ argv: ['cat', 'out.txt'] }] },
      ],
    }],
    ['# only a comment', { list: [] }],
    ['echo "unterminated', { error: 'syntax error: unterminated quoted string' }],
    ["echo 'unterminated", { error: 'syntax error: unterminated quoted string' }],
    ['echo >', { error: "syntax error near unexpected token `newline'" }],
    ['echo > | wc', { error: "syntax error near unexpected token `|'" }],
    ['| wc', { error: "syntax error near unexpected token `|'" }],
    ['; ls', { error: "syntax error near unexpected token `;'" }],
    ['ls ;; pwd', { error: "syntax error: ';;' is not supported by this simulated shell" }],
    ['ls && && pwd', { error: "syntax error near unexpected token `&&'" }],
    ['ls |', { error: "syntax error near unexpected token `newline'" }],
    ['ls &&', { error: "syntax error near unexpected token `newline'" }],
    ['sleep 1 &', { error: "syntax error: '&' (background jobs) is not supported by this simulated shell" }],
    ['ls 2>&1', { error: "syntax error: '>&' is not supported by this simulated shell" }],
    ['echo a > x > y', { error: 'syntax error: only one output redirection per command' }],
    // Variables and wildcards stay in the word, to be expanded when the command runs; quoted, a wildcard is text.
    ['echo $HOME "$USER" ${PWD}x \'$HOME\' \\$HOME', one(['echo', { parts: [{ variable: 'HOME' }] }, { parts: [{ text: '', unquoted: false }, { variable: 'USER' }] }, { parts: [{ variable: 'PWD' }, { text: 'x', unquoted: true }] }, '$HOME', '$HOME'])],
    ['echo $? $ a$ $1x', one(['echo', { parts: [{ variable: '?' }] }, '$', 'a$', '$1x'])],
    ['ls *.txt "*.md" d\\*', one(['ls', { parts: [{ text: '*.txt', unquoted: true }] }, '*.md', 'd*'])],
    ['cd ~ && cat ~/a.txt a~', {
      list: [
        { when: 'always', pipeline: [{ argv: ['cd', { parts: [{ variable: 'HOME' }] }] }] },
        { when: 'and', pipeline: [{ argv: ['cat', { parts: [{ variable: 'HOME' }, { text: '/a.txt', unquoted: true }] }, 'a~'] }] },
      ],
    }],
  ])('%s', (line, expected) => expect(parseLine(line)).toEqual(expected));

  it('bounds the number of commands on one line', () => {
    expect(parseLine(Array(65).fill('pwd').join(';'))).toEqual({ error: 'syntax error: more than 64 commands on one line' });
    expect('list' in parseLine(Array(64).fill('pwd').join(';'))).toBe(true);
  });
});
