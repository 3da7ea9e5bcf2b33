import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail, JailError } from './jail.ts';

let base: string;
let jail: Jail;
beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'jail-'));
  const root = path.join(base, 'root');
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'docs', 'a.txt'), 'a');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'escape'));
  fs.symlinkSync(base, path.join(root, 'up'));
  fs.symlinkSync(path.join(root, 'docs', 'a.txt'), path.join(root, 'inside'));
  fs.symlinkSync(path.join(base, 'not-yet-there'), path.join(root, 'dangling-out'));
  fs.symlinkSync(path.join(root, 'later.txt'), path.join(root, 'dangling-in'));
  jail = await Jail.open(root);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('sandbox jail', () => {
  it.each([
    ['../..', '/'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['docs/../../..', '/'],
    // Encoded and backslash forms are just odd file names on POSIX: they stay inside.
    ['..%2f..%2fetc', '/docs/..%2f..%2fetc'],
    ['.\\..\\..\\', '/docs/.\\..\\..\\'],
  ])('normalises %j under the root as %j', (input, virtual) => {
    expect(jail.normalize(input, '/docs')).toBe(virtual);
  });

  it('resolves paths inside the root, existing or not', async () => {
    expect(await jail.resolve('docs/a.txt')).toBe(path.join(jail.root, 'docs', 'a.txt'));
    expect(await jail.resolve('/new/file')).toBe(path.join(jail.root, 'new', 'file'));
    expect(await jail.resolve('inside')).toBe(path.join(jail.root, 'docs', 'a.txt'));
  });

  it('refuses symlinks that point out of the root, without naming the real path', async () => {
    for (const p of ['escape', 'up/secret.txt', 'up', 'dangling-out', 'dangling-out/x']) {
      const error = await jail.resolve(p).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JailError);
      expect((error as Error).message).not.toContain(base);
    }
  });

  it('allows a dangling symlink whose target is inside (creating it stays inside)', async () => {
    expect(await jail.resolve('dangling-in')).toBe(path.join(jail.root, 'dangling-in'));
  });

  it('refuses NUL bytes and very long paths', async () => {
    await expect(jail.resolve('a\0b')).rejects.toBeInstanceOf(JailError);
    await expect(jail.resolve('x/'.repeat(3000))).rejects.toBeInstanceOf(JailError);
  });

  it('maps real paths back to virtual ones', () => {
    expect(jail.toVirtual(path.join(jail.root, 'docs', 'a.txt'))).toBe('/docs/a.txt');
    expect(jail.toVirtual(jail.root)).toBe('/');
  });
});

describe('sandbox seed', () => {
  it('fills an empty sandbox once and leaves an existing one alone', async () => {
    const { seedSandbox } = await import('./seed.ts');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
    await seedSandbox(root);
    expect(fs.readFileSync(path.join(root, 'docs', 'hello.txt'), 'utf8')).toHaveLength(66);
    fs.rmSync(path.join(root, 'README.txt'));
    await seedSandbox(root);
    expect(fs.existsSync(path.join(root, 'README.txt'))).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
