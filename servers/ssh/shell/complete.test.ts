import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail } from '../../../lib/sandbox/jail.ts';
import { complete } from './complete.ts';
import { InteractiveShell } from './interactive.ts';
import { SimulatedShell } from './shell.ts';

let dir: string;
let jail: Jail;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complete-test-'));
  const root = path.join(dir, 'root');
  jail = await Jail.open(root);
  fs.writeFileSync(path.join(root, 'README.txt'), 'read me\n');
  fs.writeFileSync(path.join(root, 'report-2025.txt'), '');
  fs.writeFileSync(path.join(root, 'report-2026.txt'), '');
  fs.writeFileSync(path.join(root, 'my notes.txt'), '');
  fs.writeFileSync(path.join(root, '.hidden'), '');
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs', 'guide.md'), '');
  // A link out of the sandbox: completion lists names, never what is behind the jail.
  fs.symlinkSync('/etc', path.join(root, 'out'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const COMMANDS = ['cat', 'cd', 'cp', 'echo', 'exit', 'ls'];
const at = (line: string, cwd = '/') => complete(line, { commands: COMMANDS, jail, cwd });

describe('Tab completion', () => {
  it.each([
    ['ec', 'ho ', []],
    ['c', '', ['cat', 'cd', 'cp']],
    ['ls | ca', 't ', []],
    ['ls && e', '', ['echo', 'exit']],
    ['cat REA', 'DME.txt ', []],
    ['cat re', 'port-202', ['report-2025.txt', 'report-2026.txt']],
    ['cat report-202', '', ['report-2025.txt', 'report-2026.txt']],
    ['cd do', 'cs/', []],
    ['cat docs/g', 'uide.md ', []],
    ['cat /docs/', 'guide.md ', []],
    ['cat ~/REA', 'DME.txt ', []],
    ['cat my', '\\ notes.txt ', []],
    ['cat my\\ n', 'otes.txt ', []],
    ['cat .h', 'idden ', []],
    ['ls > REA', 'DME.txt ', []],
    ['cat nothing', '', []],
    ['cat nodir/x', '', []],
    ['cat ../../etc/pass', '', []],
    ['zz', '', []],
  ])('%j completes %j, listing %j', async (line, insert, candidates) => {
    expect(await at(line)).toEqual({ insert, candidates });
  });

  it('hides dot files unless the word starts with a dot, and lists everything for an empty word (directories with their slash, as bash does)', async () => {
    const { candidates } = await at('cat ');
    expect(candidates).toEqual(['README.txt', 'docs/', 'my notes.txt', 'out', 'report-2025.txt', 'report-2026.txt']);
  });

  it('completes relative to the working directory', async () => {
    expect(await at('cat g', '/docs')).toEqual({ insert: 'uide.md ', candidates: [] });
  });
});

describe('Tab in the interactive shell (pty)', () => {
  it('completes a file name in place, lists the matches when ambiguous, and rings the bell when nothing matches', async () => {
    let out = '';
    const sh = new SimulatedShell({ jail, user: 'student', hostname: 'lab', pty: true, io: { write: (t) => (out += t) } });
    const commands: string[] = [];
    const exited = new Promise<number>((resolve) => {
      const shell = new InteractiveShell(sh, { write: (t) => (out += t), onCommand: (l) => commands.push(l), onExit: resolve }, true);
      shell.start('');
      shell.feed('ca\tREA\t\r');
      shell.feed('cat rep\t\t\x03');
      shell.feed('cat zz\t\x03');
      shell.feed('exit\r');
    });
    expect(await exited).toBe(0);
    expect(commands).toEqual(['cat README.txt', 'exit']);
    expect(out).toContain('student@lab:/$ cat README.txt \r\nread me\r\n');
    // The second Tab cannot add to "report-202": the matches are listed under the line, which is drawn again.
    expect(out).toContain('cat report-202\r\nreport-2025.txt  report-2026.txt\r\nstudent@lab:/$ cat report-202^C');
    expect(out).toContain('cat zz\x07^C');
  });
});

describe('invisible characters in the interactive shell (pty)', () => {
  it('echoes, completes, lists and prompts them marked, erases the whole marker, and runs the command with the character as typed', async () => {
    // Names any client can make (FTP, SFTP): one reads "invoiceexe.pdf" where the override is obeyed.
    const root = path.join(dir, 'invisible');
    const own = await Jail.open(root);
    fs.writeFileSync(path.join(root, 'invoice\u202Efdp.exe'), '');
    fs.writeFileSync(path.join(root, 'invoice\u202Efdp.txt'), '');
    fs.mkdirSync(path.join(root, 'a\u200Bdir'));
    let out = '';
    const sh = new SimulatedShell({ jail: own, user: 'student', hostname: 'lab', pty: true, io: { write: (t) => (out += t) } });
    const commands: string[] = [];
    const exited = new Promise<number>((resolve) => {
      const shell = new InteractiveShell(sh, { write: (t) => (out += t), onCommand: (l) => commands.push(l), onExit: resolve }, true);
      shell.start('');
      // Typed: an override, then backspace over it; then Tab on "inv" lists both invoices; then cd into the folder.
      shell.feed('echo x\u202E\x7fy\r');
      shell.feed('ls inv\t\t\x03');
      shell.feed('cd a\t\r');
      shell.feed('exit\r');
    });
    expect(await exited).toBe(0);
    expect(out).not.toMatch(/[\u202E\u200B]/);
    // The marker is echoed, and one backspace takes all of its cells back.
    expect(out).toContain('echo x\\u{202E}' + '\b'.repeat(8) + '\x1b[Ky');
    expect(commands[0]).toBe('echo xy');
    // Tab adds what both names share ("oice" and the override), marked; the second Tab lists them marked.
    expect(out).toContain('ls invoice\\u{202E}fdp.\r\ninvoice\\u{202E}fdp.exe  invoice\\u{202E}fdp.txt\r\nstudent@lab:/$ ls invoice\\u{202E}fdp.^C');
    // The folder's completion and the prompt inside it.
    expect(commands[1]).toBe('cd a\u200Bdir/');
    expect(out).toContain('student@lab:/a\\u{200B}dir$ ');
  });
});
