import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail } from '../../../lib/sandbox/jail.ts';
import { SimulatedShell } from './shell.ts';

// Variables and wildcards, expanded when a command runs, over a real sandbox through the jail.
let dir: string;
let sh: SimulatedShell;
let out = '';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'expand-test-'));
  const root = path.join(dir, 'root');
  const jail = await Jail.open(root);
  for (const name of ['a.txt', 'b.txt', 'c.md', '.hidden.txt', 'x[1].txt']) fs.writeFileSync(path.join(root, name), `${name}\n`);
  fs.mkdirSync(path.join(root, 'docs'));
  fs.mkdirSync(path.join(root, 'notes'));
  fs.writeFileSync(path.join(root, 'docs', 'guide.md'), '');
  fs.writeFileSync(path.join(root, 'notes', 'todo.md'), '');
  // A link out of the sandbox: a pattern lists its name, never what is behind it.
  fs.symlinkSync('/etc', path.join(root, 'out'));
  sh = new SimulatedShell({ jail, user: 'student', hostname: 'lab', pty: false, io: { write: (t) => (out += t) } });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(line: string): Promise<[string, number]> {
  out = '';
  const status = await sh.execute(line);
  return [out, status];
}

describe('variables', () => {
  it.each([
    ['echo $HOME $USER $LOGNAME $HOSTNAME', '/ student student lab\n'],
    ['echo "$USER@$HOSTNAME:$PWD" \'$USER\' \\$USER', 'student@lab:/ $USER $USER\n'],
    ['echo ${USER}s', 'students\n'],
    ['echo [$NOSUCH]', '[]\n'],
    ['echo cost: 5$', 'cost: 5$\n'],
    ['cd docs; echo $PWD; cd ~; echo $PWD', '/docs\n/\n'],
    ['echo ~ ~/docs a~', '/ /docs a~\n'],
    ['cat $HOME/a.txt', 'a.txt\n'],
  ])('%s', async (line, expected) => {
    expect(await run(line)).toEqual([expected, 0]);
  });

  it('$? is the status of the last command, across lines too', async () => {
    expect(await run('false; echo $?')).toEqual(['1\n', 0]);
    expect(await run('echo $?')).toEqual(['0\n', 0]);
    await run('nosuchcommand');
    expect(await run('echo "status $?"')).toEqual(['status 127\n', 0]);
    expect(await run('cat missing || echo $?')).toEqual(['cat: missing: No such file or directory\n1\n', 0]);
  });
});

describe('wildcards', () => {
  it.each([
    ['echo *.txt', 'a.txt b.txt x[1].txt\n'],
    ['echo ?.*', 'a.txt b.txt c.md\n'],
    ['echo [ab].txt', 'a.txt b.txt\n'],
    ['echo [!a].txt', 'b.txt\n'],
    ['echo *', 'a.txt b.txt c.md docs notes out x[1].txt\n'],
    ['echo .h*', '.hidden.txt\n'],
    ['echo */*.md', 'docs/guide.md notes/todo.md\n'],
    ['echo /d*/g*', '/docs/guide.md\n'],
    ['cd docs && echo ../*.md', '../c.md\n'],
    // No match: the word stays as typed (POSIX); quoted or escaped, a star is text.
    ['echo *.pdf "*.txt" \\*.txt', '*.pdf *.txt *.txt\n'],
    ['echo x[1', 'x[1\n'],
    ['cat [ab].txt', 'a.txt\nb.txt\n'],
    ['cat *.md | wc -l', '1\n'],
    ['echo */todo.md', 'notes/todo.md\n'],
  ])('%s', async (line, expected) => {
    await run('cd /');
    expect(await run(line)).toEqual([expected, 0]);
  });

  it('never lists behind a link out of the sandbox', async () => {
    expect(await run('echo out/pass*')).toEqual(['out/pass*\n', 0]);
  });

  it('a redirection must name one file', async () => {
    expect(await run('echo hi > *.txt')).toEqual(['-sh: *.txt: ambiguous redirect\n', 1]);
    expect(await run('echo hi > $HOME/new.txt && cat n*.txt')).toEqual(['hi\n', 0]);
    expect(await run('wc -l < [c].md')).toEqual(['1\n', 0]);
  });

  it('a pattern made to backtrack is answered at once (the match is linear per name)', async () => {
    fs.writeFileSync(path.join(dir, 'root', 'a'.repeat(200)), '');
    const [text, status] = await run(`echo ${'*a'.repeat(30)}b`);
    expect(status).toBe(0);
    expect(text).toBe(`${'*a'.repeat(30)}b\n`);
  });
});
