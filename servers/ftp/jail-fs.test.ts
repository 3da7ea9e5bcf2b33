import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail } from '../../lib/sandbox/jail.ts';
import { sandboxUsage } from '../../lib/sandbox/usage.ts';
import { SandboxFileSystem } from './jail-fs.ts';

let base: string;
let fsys: SandboxFileSystem;
let outside: string;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-jail-'));
  const root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside secret');
  const jail = await Jail.open(root);
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs', 'a.txt'), 'hello');
  fs.symlinkSync(outside, path.join(root, 'escape'));
  fs.symlinkSync(path.join(outside, 'new.txt'), path.join(root, 'dangling'));
  fs.symlinkSync(path.join(root, 'docs', 'a.txt'), path.join(root, 'inside-link'));
  fsys = new SandboxFileSystem(jail, { maxFileBytes: 10, owner: 'student' });
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const message = async (p: Promise<unknown>) => (await p.then(() => 'ok', (e: Error) => e.message)) as string;

describe('SandboxFileSystem', () => {
  it.each([
    ['CWD ../..', () => fsys.chdir('../..')],
    ['CWD .\\..\\', () => fsys.chdir('.\\..\\')],
    ['RETR ../../etc/passwd', () => fsys.read('../../etc/passwd')],
    ['RETR /etc/passwd', () => fsys.read('/etc/passwd')],
    ['RETR symlink out', () => fsys.read('/escape/secret.txt')],
    ['CWD symlink out', () => fsys.chdir('/escape')],
    ['STOR through a dangling link', () => fsys.write('/dangling')],
    ['STOR into symlink out', () => fsys.write('/escape/x.txt')],
    ['NUL in a path', () => fsys.read('a\0b')],
  ])('refuses %s without naming a real path', async (_name, op) => {
    const text = await message(op());
    expect(text).not.toBe('ok');
    expect(text).not.toContain(base);
  });

  it('wrote nothing outside the root', () => {
    expect(fs.readdirSync(outside).sort()).toEqual(['secret.txt']);
  });

  it('follows symlinks that stay inside', async () => {
    expect((await fsys.get('/inside-link')).size).toBe(5);
  });

  it('lists a link pointing out as the link itself', async () => {
    const entries = await fsys.list('/');
    expect(entries.find((e) => e.name === 'escape')?.isSymbolicLink()).toBe(true);
  });

  it('answers with virtual paths', async () => {
    expect(await fsys.chdir('docs')).toBe('/docs');
    expect(await message(fsys.get('nope'))).toBe('/docs/nope: No such file or directory');
    expect(await fsys.mkdir('../made')).toBe('/made');
    await fsys.chdir('/');
  });

  it('refuses uploads over the per-file limit and removes the partial file', async () => {
    const { stream } = await fsys.write('/big.bin');
    const error = await new Promise<Error>((resolve) => {
      stream.on('error', resolve);
      stream.write(Buffer.alloc(8));
      stream.write(Buffer.alloc(8));
    });
    expect(error.message).toContain('File too large');
    // The partial file is removed when the failed stream has closed.
    if (!stream.closed) await new Promise((resolve) => stream.once('close', resolve));
    expect(fs.existsSync(path.join(fsys.root, 'big.bin'))).toBe(false);
  });

  it('refuses an upload that would overflow the sandbox quota, counting what the sandbox already holds', async () => {
    // A second Jail on the same root shares its quota account, as FTP, SFTP and the shell do.
    const jail = await Jail.open(fsys.root, { quotaBytes: (await sandboxUsage(fsys.root)) + 12 });
    const limited = new SandboxFileSystem(jail, { maxFileBytes: 1_000_000, owner: 'student' });
    const { stream } = await limited.write('/fits.bin');
    await new Promise<void>((resolve, reject) => stream.end(Buffer.alloc(12), (err?: Error | null) => (err ? reject(err) : resolve())));
    const full = await limited.write('/nope.bin');
    const error = await new Promise<Error>((resolve) => {
      full.stream.on('error', resolve);
      full.stream.write(Buffer.alloc(1));
    });
    expect(error.message).toMatch(/^\/nope\.bin: quota exceeded \(this sandbox holds at most [\d,]+ bytes; 0 are left\)$/);
    if (!full.stream.closed) await new Promise((resolve) => full.stream.once('close', resolve));
    expect(fs.existsSync(path.join(fsys.root, 'nope.bin'))).toBe(false);
    // Replacing a file frees its old size first.
    const again = await limited.write('/fits.bin');
    await new Promise<void>((resolve, reject) => again.stream.end(Buffer.alloc(12), (err?: Error | null) => (err ? reject(err) : resolve())));
    expect(fs.statSync(path.join(fsys.root, 'fits.bin')).size).toBe(12);
    jail.space.limit = undefined;
  });

  it('refuses to remove or rename the sandbox root, even when it is empty', async () => {
    const base2 = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-empty-'));
    const empty = new SandboxFileSystem(await Jail.open(path.join(base2, 'root')), { maxFileBytes: 10, owner: 'student' });
    expect(await message(empty.delete('/'))).toBe('/: Permission denied (the sandbox root cannot be removed)');
    expect(await message(empty.delete('docs/..'))).toBe('/: Permission denied (the sandbox root cannot be removed)');
    expect(await message(empty.rename('/', '/moved'))).toBe('/: Permission denied (the sandbox root cannot be renamed)');
    expect(fs.statSync(path.join(base2, 'root')).isDirectory()).toBe(true);
    fs.rmSync(base2, { recursive: true, force: true });
  });

  it('creates uploads 0644 even when the process umask is 0', async () => {
    const old = process.umask(0);
    try {
      const { stream } = await fsys.write('/mode.txt');
      await new Promise<void>((resolve, reject) => stream.end(Buffer.from('m'), (err?: Error | null) => (err ? reject(err) : resolve())));
      expect(fs.statSync(path.join(fsys.root, 'mode.txt')).mode & 0o777).toBe(0o644);
      await fsys.mkdir('/mode-dir');
      expect(fs.statSync(path.join(fsys.root, 'mode-dir')).mode & 0o777).toBe(0o755);
    } finally {
      process.umask(old);
    }
  });
});
