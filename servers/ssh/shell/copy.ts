/**
 * `cp` and `cp -r` of the simulated shell. Every copy is written through the jail, so the copy
 * gets the sandbox's file mode and is charged to the sandbox quota before its bytes are written;
 * a copy that does not fit is refused and leaves no partial file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Jail } from '../../../lib/sandbox/jail.ts';
import { describeError, shownPath, splitFlags, type Command, type ShellContext } from './context.ts';

const CHUNK = 1024 * 1024;
/** Most entries one `cp -r` creates (empty files cost no quota, but do cost inodes). */
const MAX_ENTRIES = 10_000;

/** Copies one regular file to `destVirtual`. */
export async function copyFile(jail: Jail, srcReal: string, destVirtual: string): Promise<void> {
  const source = await fs.open(srcReal, 'r');
  try {
    const size = (await source.stat()).size;
    const dest = await jail.openFile(destVirtual, '/', { flags: 'w' });
    try {
      // Charged up front: a copy that cannot fit fails before any byte is written.
      await dest.truncate(size);
      const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(1, size)));
      for (let position = 0; position < size; ) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        await dest.write(buffer.subarray(0, bytesRead), position);
        position += bytesRead;
      }
      await dest.close();
    } catch (err) {
      await dest.discard();
      throw err;
    }
  } finally {
    await source.close();
  }
}

/** Where `src` lands for `cp src dest` / `mv src dest`: inside `dest` if it is an existing directory. */
export async function destinationFor(ctx: ShellContext, src: string, dest: string): Promise<string> {
  const virtual = ctx.jail.normalize(dest, ctx.cwd);
  const isDir = await ctx.jail.resolve(virtual).then((real) => fs.stat(real)).then((s) => s.isDirectory(), () => false);
  return isDir ? path.posix.join(virtual, path.posix.basename(ctx.jail.normalize(src, ctx.cwd))) : virtual;
}

class CopyRefused extends Error {}

/** Copies a tree (cp -r): directories recreated, regular files copied, symbolic links skipped with a note. */
async function copyTree(ctx: ShellContext, srcVirtual: string, destVirtual: string, budget: { entries: number }): Promise<number> {
  const srcReal = await ctx.jail.resolve(srcVirtual);
  const stat = await fs.lstat(srcReal);
  if (--budget.entries < 0) throw new CopyRefused(`more than ${MAX_ENTRIES} entries in one copy`);
  if (!stat.isDirectory()) {
    await copyFile(ctx.jail, srcReal, destVirtual);
    return 0;
  }
  await ctx.jail.mkdir(destVirtual).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  let status = 0;
  for (const name of (await fs.readdir(srcReal)).sort()) {
    const child = path.posix.join(srcVirtual, name);
    if ((await fs.lstat(path.join(srcReal, name))).isSymbolicLink()) {
      ctx.err(`cp: skipping symbolic link '${shownPath(child)}'\n`);
      status = 1;
      continue;
    }
    status |= await copyTree(ctx, child, path.posix.join(destVirtual, name), budget);
  }
  return status;
}

/** Copies one operand; resolves to its exit status. */
async function copyOne(ctx: ShellContext, src: string, dest: string, recursive: boolean): Promise<number> {
  const srcVirtual = ctx.jail.normalize(src, ctx.cwd);
  const srcReal = await ctx.jail.resolve(srcVirtual);
  const stat = await fs.stat(srcReal);
  const target = await destinationFor(ctx, src, dest);
  const targetReal = await ctx.jail.resolve(target);
  if (targetReal === srcReal) throw new CopyRefused(`'${shownPath(src)}' and '${shownPath(dest)}' are the same file`);
  if (!stat.isDirectory()) {
    await copyFile(ctx.jail, srcReal, target);
    return 0;
  }
  if (!recursive) throw new CopyRefused(`-r not specified; omitting directory '${shownPath(src)}'`);
  if (targetReal.startsWith(srcReal + path.sep)) throw new CopyRefused(`cannot copy a directory, '${shownPath(src)}', into itself, '${shownPath(dest)}'`);
  return copyTree(ctx, srcVirtual, target, { entries: MAX_ENTRIES });
}

export const cp: Command = {
  usage: 'cp [-r] source… dest',
  summary: 'copy files (and directories with -r)',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    if (operands.length < 2) {
      ctx.err(`cp: usage: ${cp.usage}\n`);
      return 1;
    }
    const dest = operands[operands.length - 1];
    const sources = operands.slice(0, -1);
    if (sources.length > 1 && (await destinationFor(ctx, 'x', dest)) === ctx.jail.normalize(dest, ctx.cwd)) {
      ctx.err(`cp: target '${shownPath(dest)}' is not a directory\n`);
      return 1;
    }
    let status = 0;
    for (const src of sources) {
      try {
        status |= await copyOne(ctx, src, dest, flags.has('r') || flags.has('R'));
      } catch (err) {
        ctx.err(err instanceof CopyRefused ? `cp: ${err.message}\n` : `cp: cannot copy '${shownPath(src)}': ${describeError(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
