import { describe, expect, it } from 'vitest';
import { visibleWidth, wrapForTerminal } from './terminal-wrap.ts';

const lines = (text: string) => text.split('\r\n');
const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;

describe('wrapForTerminal', () => {
  it('breaks prose at spaces, never mid-word, and ends lines with CRLF', () => {
    const intro = 'Protocol Lab SSH terminal — a real SSH client run by the lab, talking through the tap.';
    const out = lines(wrapForTerminal(intro, 40));
    expect(out).toEqual(['Protocol Lab SSH terminal — a real SSH', 'client run by the lab, talking through', 'the tap.']);
    expect(out.join(' ')).toBe(intro);
  });

  it('leaves lines that fit alone, and keeps blank lines', () => {
    expect(wrapForTerminal('short\n\nalso short\r\n', 40)).toBe('short\r\n\r\nalso short\r\n');
  });

  it('counts escape sequences as no width and keeps them whole', () => {
    const line = `Type ${bold('ssh student@127.0.0.1 -p 2222')} or just press Enter. Type help for more.`;
    const out = lines(wrapForTerminal(line, 40));
    expect(out).toEqual([`Type ${bold('ssh student@127.0.0.1 -p 2222')} or`, 'just press Enter. Type help for more.']);
    for (const row of out) expect(visibleWidth(row)).toBeLessThanOrEqual(40);
  });

  it('wraps a help row under its description while that leaves room', () => {
    const row = '  unsubscribe <prefix>   cancel that subscription, and see the CANCEL command on the wire';
    expect(lines(wrapForTerminal(row, 60))).toEqual([
      '  unsubscribe <prefix>   cancel that subscription, and see',
      '                         the CANCEL command on the wire',
    ]);
  });

  it('puts a help row\'s description under its command when the command takes most of the line', () => {
    const row = '  ssh [-p port] [-l user] [-i key] [user@host [command]]   connect (Enter alone: ssh student@127.0.0.1 -p 2222)';
    expect(lines(wrapForTerminal(row, 60))).toEqual([
      '  ssh [-p port] [-l user] [-i key] [user@host [command]]',
      '      connect (Enter alone: ssh student@127.0.0.1 -p 2222)',
    ]);
  });

  it('cuts a word longer than the line where it must', () => {
    const key = 'k'.repeat(50);
    const out = lines(wrapForTerminal(`key: ${key}`, 30));
    expect(out.every((row) => visibleWidth(row) <= 30)).toBe(true);
    expect(out.join('').replace(/\s/g, '')).toBe(`key:${key}`);
  });

  it('goes on after a given continuation', () => {
    expect(lines(wrapForTerminal('# After PASV the lab connects to the announced port for you.', 30, '  '))).toEqual(['# After PASV the lab connects', '  to the announced port for', '  you.']);
  });

  it('leaves a terminal narrower than 20 columns alone', () => {
    expect(wrapForTerminal('a b c d e f g h i j k l m n o p q r s t u v', 10)).toBe('a b c d e f g h i j k l m n o p q r s t u v');
  });
});
