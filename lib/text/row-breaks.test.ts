import { describe, expect, it } from 'vitest';
import { breakIntoRows } from './row-breaks.ts';
import { charWidth } from './terminal-cells.ts';

const cells = (row: string) => [...row].reduce((sum, ch) => sum + charWidth(ch), 0);

describe('breakIntoRows', () => {
  it('leaves a line that fits alone, and folds nothing at width 0', () => {
    expect(breakIntoRows('250 OK', 20)).toEqual(['250 OK']);
    expect(breakIntoRows('a'.repeat(30), 0)).toEqual(['a'.repeat(30)]);
    expect(breakIntoRows('', 20)).toEqual(['']);
  });

  it('breaks at spaces, never inside a number or a word (xterm cut "(20" from ",013 bytes)")', () => {
    const note = '150 Opening BINARY mode data connection for big.txt (20,013 bytes)';
    const rows = breakIntoRows(note, 53);
    expect(rows).toEqual(['150 Opening BINARY mode data connection for big.txt', '(20,013 bytes)']);
    expect(rows.join(' ')).toBe(note);
  });

  it('keeps spaces that are not at a break, and a line\'s own leading spaces', () => {
    expect(breakIntoRows('MAIL FROM:  <a@lab.test> SIZE=100', 26)).toEqual(['MAIL FROM:  <a@lab.test>', 'SIZE=100']);
    expect(breakIntoRows('   indented words here', 12)).toEqual(['   indented', 'words here']);
  });

  it('breaks a token longer than a row after , ; / = and &, not inside a name', () => {
    const kex = 'kex_algorithms curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256';
    const rows = breakIntoRows(kex, 40);
    expect(rows).toEqual(['kex_algorithms curve25519-sha256,', 'curve25519-sha256@libssh.org,', 'ecdh-sha2-nistp256,', 'diffie-hellman-group14-sha256']);
    expect(breakIntoRows('/srv/lab/files/a-rather-long-folder/README.txt', 24)).toEqual(['/srv/lab/files/', 'a-rather-long-folder/', 'README.txt']);
    expect(breakIntoRows('user=alice;groups=netclub&role=teacher', 20)).toEqual(['user=alice;groups=', 'netclub&role=teacher']);
  });

  it('does not break after punctuation in a token that fits a row: it moves to the next row whole', () => {
    expect(breakIntoRows('227 Entering Passive Mode (127,0,0,1,195,80)', 30)).toEqual(['227 Entering Passive Mode', '(127,0,0,1,195,80)']);
  });

  it('does not break a long token inside a number\'s digit groups or between doubled slashes', () => {
    expect(breakIntoRows('sizes=1,234,567,890;next=https://lab.test/x', 18)).toEqual(['sizes=', '1,234,567,890;', 'next=https://', 'lab.test/x']);
  });

  it('cuts a token longer than a whole row, with nothing to break after, at the row\'s end', () => {
    const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIKs2K5y8Q7nS4r1vQe0ZxPq3mW9uYbT6cHdJfLgRa8Ne';
    const rows = breakIntoRows(`ssh-ed25519 ${key} student@lab`, 30);
    expect(rows).toEqual(['ssh-ed25519', key.slice(0, 30), key.slice(30, 60), `${key.slice(60)} student@lab`]);
    expect(breakIntoRows('aa bbbbbbbbbb c', 4)).toEqual(['aa', 'bbbb', 'bbbb', 'bb c']);
  });

  it('counts wide characters as two cells and never splits a combining mark from its letter', () => {
    const rows = breakIntoRows('RCPT TO:<한국어한국어한국어@lab.test>', 12);
    for (const row of rows) expect(cells(row)).toBeLessThanOrEqual(12);
    expect(rows.join('')).toBe('RCPT TO:<한국어한국어한국어@lab.test>'.replace(' ', ''));
    expect(breakIntoRows('abcde\u0301fgh', 5)).toEqual(['abcde\u0301', 'fgh']);
  });

  it('counts a tab to the next tab stop from where the row starts on screen', () => {
    // After a 3-column prefix a tab at the row's start takes 5 cells (to column 8); from column 0 it takes 8.
    expect(breakIntoRows('\tSubject: a b', 16, 3)).toEqual(['\tSubject: a', 'b']);
    expect(breakIntoRows('\tSubject: a b', 16, 0)).toEqual(['\tSubject:', 'a b']);
  });

  it('drops spaces that end the line rather than let them open an empty row', () => {
    expect(breakIntoRows('NOOP            ', 8)).toEqual(['NOOP']);
  });

  it('keeps every row within the width for arbitrary text', () => {
    const text = 'EHLO x '.repeat(5) + 'y'.repeat(45) + ' 250-SIZE 10485760 250 SMTPUTF8,PIPELINING;8BITMIME';
    for (const width of [1, 2, 5, 9, 17, 40]) {
      const rows = breakIntoRows(text, width);
      for (const row of rows) expect(cells(row)).toBeLessThanOrEqual(width);
      expect(rows.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });
});
