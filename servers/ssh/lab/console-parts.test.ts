import { describe, expect, it } from 'vitest';
import { parseLocalCommand } from './ssh-command.ts';
import { TerminalFilter } from '../../../lib/wire/terminal-filter.ts';

describe('the SSH terminal command line', () => {
  it.each([
    ['', { kind: 'empty' }],
    ['ssh student@127.0.0.1 -p 2222', { kind: 'ssh', user: 'student', host: '127.0.0.1', port: 2222, command: undefined }],
    ['ssh -p 2222 student@127.0.0.1 ls -l', { kind: 'ssh', user: 'student', host: '127.0.0.1', port: 2222, command: 'ls -l' }],
    ['ssh -l bob -p2222 localhost', { kind: 'ssh', user: 'bob', host: 'localhost', port: 2222 }],
    ['ssh -i ~/.ssh/id_ed25519 -o StrictHostKeyChecking=no 127.0.0.1', { kind: 'ssh', host: '127.0.0.1', identity: '~/.ssh/id_ed25519' }],
    ['ssh ssh://student@127.0.0.1:2222', { kind: 'ssh', user: 'student', host: '127.0.0.1', port: 2222 }],
    ['ssh-keygen -R "[127.0.0.1]:2222"', { kind: 'keygen-remove', host: '[127.0.0.1]:2222' }],
    ['cat ~/.ssh/known_hosts', { kind: 'show-known-hosts' }],
    ['ssh -p', { kind: 'error', message: 'option requires an argument -- p' }],
    ['ssh -p 99999 x', { kind: 'error', message: "Bad port '99999'" }],
    ['ssh student@127.0.0.1 -p 99999', { kind: 'error', message: "Bad port '99999'" }],
    ['ssh student@127.0.0.1 -p abc', { kind: 'error', message: "Bad port 'abc'" }],
    // README's tunnel, typed here: it used to open a shell as if -L had been set up.
    ['ssh -N -L 8025:127.0.0.1:2525 -p 2222 student@127.0.0.1', { kind: 'error', message: expect.stringMatching(/^ssh: -L .*your own terminal/) }],
    ['ssh -D1080 student@127.0.0.1', { kind: 'error', message: expect.stringMatching(/^ssh: -D /) }],
    ['telnet x', { kind: 'error', message: 'telnet: command not found (type help)' }],
  ])('%j', (line, expected) => expect(parseLocalCommand(line)).toMatchObject(expected));
});

describe('terminal output filter', () => {
  it.each([
    ['plain text\r\n', 'plain text\r\n'],
    ['\x1b[31mred\x1b[0m', '\x1b[31mred\x1b[0m'],
    ['\x1b[H\x1b[2J', '\x1b[H\x1b[2J'],
    ['a\x1bP$q"p\x1b\\b', 'ab'],
    ['a\x1b]0;title\x07b', 'ab'],
    ['a\x1b[6nb', 'ab'],
    ['a\x1b[cb', 'ab'],
    ['a\x1b[18tb', 'ab'],
    ['a\x9bb\x00c', 'abc'],
    ['\b \b', '\b \b'],
  ])('%j → %j', (input, output) => expect(new TerminalFilter().write(input)).toBe(output));

  it('handles sequences split across chunks', () => {
    const f = new TerminalFilter();
    expect(f.write('x\x1b')).toBe('x');
    expect(f.write('[3')).toBe('');
    expect(f.write('1mred\x1bP')).toBe('\x1b[31mred');
    expect(f.write('junk\x1b\\ok')).toBe('ok');
  });
});
