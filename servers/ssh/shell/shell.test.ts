import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail } from '../../../lib/sandbox/jail.ts';
import { InteractiveShell } from './interactive.ts';
import { SimulatedShell } from './shell.ts';

let dir: string;
let jail: Jail;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-test-'));
  jail = await Jail.open(path.join(dir, 'root'));
  fs.symlinkSync('/etc', path.join(dir, 'root', 'out'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function shell(pty = false) {
  let out = '';
  const sh = new SimulatedShell({ jail, user: 'student', hostname: 'lab', pty, io: { write: (t) => (out += t) } });
  return { sh, take: () => [out, (out = '')][0] };
}

describe('simulated shell commands', () => {
  let sh: SimulatedShell;
  let take: () => string;
  beforeAll(() => ({ sh, take } = shell()));
  it.each([
    ['pwd', '/\n', 0],
    ['mkdir docs', '', 0],
    ['cd docs', '', 0],
    ['pwd', '/docs\n', 0],
    ['echo one > a.txt', '', 0],
    ['echo two >> a.txt', '', 0],
    ['cat a.txt', 'one\ntwo\n', 0],
    ['head -n 1 a.txt', 'one\n', 0],
    ['wc -c a.txt', '      8 a.txt\n', 0],
    ['touch b.txt', '', 0],
    ['ls', 'a.txt  b.txt\n', 0],
    ['cp a.txt c.txt', '', 0],
    ['mv c.txt /d.txt', '', 0],
    ['cat /d.txt', 'one\ntwo\n', 0],
    ['rm b.txt', '', 0],
    ['ls', 'a.txt\n', 0],
    ['ls -a', '.  ..  a.txt\n', 0],
    ['cd ../../..', '', 0],
    ['pwd', '/\n', 0],
    ['rm docs', "rm: cannot remove 'docs': Is a directory\n", 1],
    ['rm -r docs', '', 0],
    ['rm /', "rm: refusing to remove '/'\n", 1],
    ['whoami', 'student\n', 0],
    ['hostname', 'lab\n', 0],
    ['uname', 'ProtocolLab\n', 0],
    ['nope', '-sh: nope: command not found\n', 127],
    ['true', '', 0],
    ['false', '', 1],
    ['false || echo fallback', 'fallback\n', 0],
    ['true && echo chained', 'chained\n', 0],
    ['cat missing', 'cat: missing: No such file or directory\n', 1],
    ['cat ../../etc/passwd', 'cat: ../../etc/passwd: No such file or directory\n', 1],
    ['cat /out/passwd', 'cat: /out/passwd: Permission denied\n', 1],
    ['cd /out', 'cd: /out: Permission denied\n', 1],
    ['ls /out', 'ls: /out: Permission denied\n', 1],
    ['echo x > /out/x', '-sh: /out/x: Permission denied\n', 1],
    ['cat "a\0b"', 'cat: a\\0b: Invalid file name\n', 1],
  ])('%s', async (line, output, code) => {
    const status = await sh.execute(line);
    expect(take().replace('^@', '\\0')).toBe(output);
    expect(status).toBe(code);
  });

  it('escapes control characters in file contents and uses CR LF with a pty', async () => {
    fs.writeFileSync(path.join(dir, 'root', 'evil.txt'), 'a\x1b]0;pwned\x07b\nc\x9bd\n');
    const tty = shell(true);
    await tty.sh.execute('cat evil.txt');
    expect(tty.take()).toBe('a^[]0;pwned^Gb\r\nc\\x9bd\r\n');
  });

  it('ls -la lists . and .. first, .. at the sandbox root being the root itself', async () => {
    const { sh, take } = shell();
    await sh.execute('ls -la /');
    const names = take().split('\n').filter((line) => line && !line.startsWith('total')).map((line) => line.split(' ').at(-1));
    expect(names.slice(0, 2)).toEqual(['.', '..']);
  });

  it('lists commands in help and records history', async () => {
    await sh.execute('help');
    const help = take();
    for (const name of ['ls', 'cd', 'pwd', 'cat', 'echo', 'mkdir', 'rm', 'mv', 'cp', 'touch', 'head', 'wc', 'whoami', 'hostname', 'uname', 'date', 'clear', 'history', 'help', 'exit']) {
      expect(help).toMatch(new RegExp(`\\n  ${name}\\b`));
    }
    expect(sh.history.at(-1)).toBe('help');
  });
});

describe('interactive line editing (pty)', () => {
  it('echoes, handles backspace, Ctrl-C, history and exit', async () => {
    let out = '';
    const sh = new SimulatedShell({ jail, user: 'student', hostname: 'lab', pty: true, io: { write: (t) => (out += t) } });
    const commands: string[] = [];
    const exited = new Promise<number>((resolve) => {
      const i = new InteractiveShell(sh, { write: (t) => (out += t), onCommand: (l) => commands.push(l), onExit: resolve }, true);
      i.start('motd\r\n');
      i.feed('pwdx\x7f\r');
      i.feed('echo lost\x03');
      i.feed('\x1b[A\r');
      i.feed('exit 3\r');
    });
    expect(await exited).toBe(3);
    expect(commands).toEqual(['pwd', 'pwd', 'exit 3']);
    expect(out).toContain('motd\r\nstudent@lab:/$ pwdx\b\x1b[K\r\n/\r\n');
    expect(out).toContain('echo lost^C\r\n');
  });
});

describe('a file name with a newline in it (any SFTP or FTP client can make one)', () => {
  it('ls on a terminal shows it in caret notation on one row, as the file panel\'s transcript does; into a pipe it stays raw', async () => {
    const root = path.join(dir, 'newline');
    const own = await Jail.open(root);
    fs.writeFileSync(path.join(root, 'a\nb.txt'), '');
    fs.writeFileSync(path.join(root, 'c.txt'), '');
    let out = '';
    const sh = new SimulatedShell({ jail: own, user: 'student', hostname: 'lab', pty: true, io: { write: (t) => (out += t) } });
    await sh.execute('ls');
    // It broke the row: "a", then "b.txt  c.txt" on the next, as if two files.
    expect(out).toBe('a^Jb.txt  c.txt\r\n');
    out = '';
    await sh.execute('ls -l');
    expect(out).toMatch(/ a\^Jb\.txt\r\n.* c\.txt\r\n$/);
    out = '';
    await sh.execute('ls | wc -l');
    expect(out.trim()).toBe('3');
  });
});

describe('exit, as sh has it', () => {
  it('without a status leaves with the last command\'s; a status that is no number is an error (2)', async () => {
    const leave = async (line: string) => {
      const { sh, take } = shell();
      await sh.execute(line);
      return { code: sh.exitCode, said: take() };
    };
    // `false; exit` left with 0: the session's exit-status said success.
    expect(await leave('false; exit')).toMatchObject({ code: 1 });
    expect(await leave('true; exit')).toMatchObject({ code: 0 });
    expect(await leave('exit 300')).toMatchObject({ code: 44 });
    expect(await leave('exit abc')).toEqual({ code: 2, said: '-sh: exit: Illegal number: abc\n' });
  });
});

describe('wc on a file over the 1 MiB read bound', () => {
  it('counts the whole file exactly, lines and words too, with no warning that contradicts the count', async () => {
    // 17-byte lines: chunk boundaries fall inside words and inside the two-byte ü and ß.
    const line = 'grüße an alle!\n';
    expect(Buffer.byteLength(line)).toBe(17);
    fs.writeFileSync(path.join(dir, 'root', 'big.txt'), line.repeat(100_000));
    const { sh, take } = shell();
    // It printed the exact size, then "wc: big.txt: read only the first 1048576 bytes".
    expect(await sh.execute('wc -c big.txt')).toBe(0);
    expect(take()).toBe('1700000 big.txt\n');
    expect(await sh.execute('wc big.txt')).toBe(0);
    expect(take()).toBe(' 100000  300000 1700000 big.txt\n');
    expect(await sh.execute('wc -w -l big.txt')).toBe(0);
    expect(take()).toBe(' 100000  300000 big.txt\n');
    expect(await sh.execute('wc -c big.txt nope')).toBe(1);
    expect(take()).toBe('1700000 big.txt\nwc: nope: No such file or directory\n');
    // Input from a file is held in memory, cut at the bound: said, not a silent 1048576.
    expect(await sh.execute('wc -c < big.txt')).toBe(0);
    expect(take()).toBe('-sh: big.txt: read only the first 1048576 bytes\n1048576\n');
  });
});
