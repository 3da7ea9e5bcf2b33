import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail } from '../../../lib/sandbox/jail.ts';
import { SimulatedShell } from './shell.ts';

let dir: string;
let root: string;
let jail: Jail;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-pipe-'));
  root = path.join(dir, 'root');
  jail = await Jail.open(root);
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs', 'rfcs.txt'), 'RFC 959 FTP\nRFC 4253 SSH\nRFC 5321 SMTP\nrfc 4217 ftps\n');
  fs.writeFileSync(path.join(root, 'docs', 'hello.txt'), 'hello\n');
  fs.writeFileSync(path.join(root, 'words.txt'), 'b\na\nb\nb\nc\na\n');
  fs.symlinkSync('/etc', path.join(root, 'docs', 'out'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function shell() {
  let out = '';
  let err = '';
  let made: SimulatedShell | null = null;
  // Made on first use: the jail exists only once beforeAll has run.
  const get = () => (made ??= new SimulatedShell({ jail, user: 'student', hostname: 'lab', pty: false, io: { write: (t) => (out += t), writeError: (t) => (err += t) } }));
  return {
    get sh() {
      return get();
    },
    run: async (line: string) => {
      out = err = '';
      const status = await get().execute(line);
      return { out, err, status };
    },
  };
}

describe('lists and pipelines', () => {
  const session = shell();
  const { run } = session;
  it.each<[string, string, string, number]>([
    ['cd docs && ls', 'hello.txt  out  rfcs.txt\n', '', 0],
    ['pwd', '/docs\n', '', 0],
    ['cd /; cd nowhere && echo not-run', '', 'cd: nowhere: No such file or directory\n', 1],
    ['cd nowhere || echo fallback', 'fallback\n', 'cd: nowhere: No such file or directory\n', 0],
    ['true-ish || echo x && echo y', 'x\ny\n', '-sh: true-ish: command not found\n', 0],
    ['ls docs | wc -l', '3\n', '', 0],
    ['cat docs/rfcs.txt | grep -i ftp', 'RFC 959 FTP\nrfc 4217 ftps\n', '', 0],
    ['grep -n "^RFC [45]" docs/rfcs.txt', '2:RFC 4253 SSH\n3:RFC 5321 SMTP\n', '', 0],
    ['grep -c RFC docs/rfcs.txt', '3\n', '', 0],
    ['grep -v -F RFC docs/rfcs.txt', 'rfc 4217 ftps\n', '', 0],
    ['grep nothing docs/rfcs.txt', '', '', 1],
    ['grep "[" docs/rfcs.txt', '', 'grep: Unmatched [ in pattern\n', 2],
    ['sort words.txt | uniq -c', '      2 a\n      3 b\n      1 c\n', '', 0],
    ['sort -r -u < words.txt', 'c\nb\na\n', '', 0],
    ['uniq -d words.txt', 'b\n', '', 0],
    ['tail -n 2 docs/rfcs.txt', 'RFC 5321 SMTP\nrfc 4217 ftps\n', '', 0],
    ['cat docs/rfcs.txt | head -n 1 | wc -c', '12\n', '', 0],
    ['echo "a;b" | cat', 'a;b\n', '', 0],
    ['ls docs | grep txt > found.txt; cat found.txt', 'hello.txt\nrfcs.txt\n', '', 0],
    ['nope | wc -l', '0\n', '-sh: nope: command not found\n', 0],
    ['cat', '', 'cat: no input: name a file or pipe into it (this simulated shell has no terminal input)\n', 1],
    ['echo hi; exit 4; echo never', 'hi\n', '', 4],
  ])('%s', async (line, out, err, status) => {
    expect(await run(line)).toEqual({ out, err, status });
  });
  it('stops the list at exit', () => expect(session.sh.exitCode).toBe(4));
});

describe('grep patterns cannot stall the lab', () => {
  it('matches a pathological pattern in linear time, and bounds the total work', async () => {
    const { run } = shell();
    fs.writeFileSync(path.join(root, 'aaa.txt'), 'a'.repeat(5000) + '\n');
    expect(await run('grep -c "a*a*a*a*a*a*a*a*a*a*b" aaa.txt')).toEqual({ out: '0\n', err: '', status: 1 });
    fs.writeFileSync(path.join(root, 'big.txt'), ('a'.repeat(999) + '\n').repeat(1000));
    const costly = await run(`grep "${'.*'.repeat(100)}b" big.txt`);
    expect(costly.err).toMatch(/^grep: pattern too costly/);
    expect(costly.status).toBe(2);
  });
});

describe('cp -r and the sandbox rules', () => {
  const { run } = shell();
  it('copies a tree, skipping links, and never into itself', async () => {
    expect(await run('cp docs copy')).toEqual({ out: '', err: "cp: -r not specified; omitting directory 'docs'\n", status: 1 });
    expect(await run('cp -r docs copy')).toEqual({ out: '', err: "cp: skipping symbolic link '/docs/out'\n", status: 1 });
    expect(fs.readFileSync(path.join(root, 'copy', 'rfcs.txt'), 'utf8')).toContain('RFC 959');
    expect(fs.existsSync(path.join(root, 'copy', 'out'))).toBe(false);
    expect(await run('cp -r docs docs/inner')).toEqual({ out: '', err: "cp: cannot copy a directory, 'docs', into itself, 'docs/inner'\n", status: 1 });
    expect(await run('cp words.txt words.txt')).toEqual({ out: '', err: "cp: 'words.txt' and 'words.txt' are the same file\n", status: 1 });
    expect(await run('cp words.txt docs/hello.txt copy')).toEqual({ out: '', err: '', status: 0 });
    expect(fs.readdirSync(path.join(root, 'copy')).sort()).toEqual(['hello.txt', 'rfcs.txt', 'words.txt']);
  });

  it('refuses to remove or move the sandbox root', async () => {
    expect((await run('rm -r .')).err).toBe("rm: refusing to remove '/'\n");
    expect((await run('mv / /elsewhere')).err).toBe("mv: cannot move '/': Permission denied (the sandbox root cannot be renamed)\n");
    expect(fs.statSync(root).isDirectory()).toBe(true);
  });

  it('creates files 0644 even when the process umask is 0', async () => {
    const old = process.umask(0);
    try {
      await run('echo x > made.txt; touch touched.txt; cp made.txt copied.txt; mkdir made-dir');
      for (const name of ['made.txt', 'touched.txt', 'copied.txt']) expect(fs.statSync(path.join(root, name)).mode & 0o777, name).toBe(0o644);
      expect(fs.statSync(path.join(root, 'made-dir')).mode & 0o777).toBe(0o755);
    } finally {
      process.umask(old);
    }
  });

  it('refuses a cp or a redirect past the sandbox quota, leaving no partial copy', async () => {
    fs.writeFileSync(path.join(root, 'chunk.bin'), Buffer.alloc(40_000, 1));
    const quota = await Jail.open(root, { quotaBytes: (await import('../../../lib/sandbox/usage.ts').then((m) => m.sandboxUsage(root))) + 50_000 });
    try {
      expect(await run('cp chunk.bin c1.bin')).toEqual({ out: '', err: '', status: 0 });
      const refused = await run('cp chunk.bin c2.bin');
      expect(refused.err).toMatch(/^cp: cannot copy 'chunk\.bin': No space left on device \(this sandbox holds at most [\d,]+ bytes; 10,000 are left\)\n$/);
      expect(refused.status).toBe(1);
      expect(fs.existsSync(path.join(root, 'c2.bin'))).toBe(false);
      const redirect = await run('cat chunk.bin > c3.bin');
      expect(redirect.err).toMatch(/^-sh: c3\.bin: No space left on device/);
    } finally {
      quota.space.limit = undefined;
    }
  });
});
