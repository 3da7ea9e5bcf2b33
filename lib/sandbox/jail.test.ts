import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jail, JailError } from './jail.ts';
import { QuotaExceeded } from './quota.ts';
import { sandboxUsage } from './usage.ts';

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

describe('jail operations every writer shares', () => {
  it('refuses to remove, rename or chmod the root, however it is named', async () => {
    for (const [op, run] of [
      ['rmdir', () => jail.rmdir('docs/..')],
      ['unlink', () => jail.unlink('/')],
      ['removeTree', () => jail.removeTree('.', '/')],
      ['rename', () => jail.rename('/', '/x')],
      ['rename onto', () => jail.rename('docs', '/')],
      ['chmod', () => jail.chmod('/docs/..', 0o777)],
    ] as const) {
      const error = await run().catch((e: unknown) => e);
      expect(error, op).toBeInstanceOf(JailError);
      expect((error as JailError).code, op).toBe('EPERM');
      expect((error as Error).message, op).toMatch(/^\/: Permission denied \(the sandbox root cannot be/);
    }
    expect(fs.statSync(jail.root).isDirectory()).toBe(true);
  });

  it('removes a link itself, never what it points to', async () => {
    fs.writeFileSync(path.join(jail.root, 'target.txt'), 't');
    fs.symlinkSync(path.join(jail.root, 'target.txt'), path.join(jail.root, 'to-target'));
    fs.symlinkSync('.', path.join(jail.root, 'self'));
    await jail.unlink('to-target');
    await jail.unlink('self');
    expect(fs.readFileSync(path.join(jail.root, 'target.txt'), 'utf8')).toBe('t');
    expect(fs.existsSync(path.join(jail.root, 'self'))).toBe(false);
  });

  it('applies a umask of 022 to requested modes', () => {
    expect(jail.modeFor(undefined, 'file')).toBe(0o644);
    expect(jail.modeFor(undefined, 'dir')).toBe(0o755);
    expect(jail.modeFor(0o4777, 'file')).toBe(0o755);
    expect(jail.modeFor(0o600, 'file')).toBe(0o600);
  });

  it('charges growth once across concurrent writers and refuses what does not fit', async () => {
    const quota = await Jail.open(jail.root, { quotaBytes: (await sandboxUsage(jail.root)) + 100 });
    try {
      const a = await quota.openFile('qa.bin', '/', { flags: 'w' });
      const b = await quota.openFile('qb.bin', '/', { flags: 'w' });
      const results = await Promise.allSettled([a.write(Buffer.alloc(60)), b.write(Buffer.alloc(60))]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(QuotaExceeded);
      // Sparse growth counts in full; shrinking frees.
      await expect(a.truncate(10_000)).rejects.toBeInstanceOf(QuotaExceeded);
      await a.truncate(0);
      await b.write(Buffer.alloc(60));
      await a.close();
      await b.close();
    } finally {
      quota.space.limit = undefined;
    }
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
