/**
 * File commands of the simulated shell (ls, cd, pwd, cat, mkdir, rm, mv, cp, touch, head, wc),
 * each going through the sandbox jail. Output is bounded so a huge file cannot flood a session.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { longname } from '../longname.ts';
import { describeError, shownPath, splitFlags, type Command, type ShellContext } from './context.ts';

/** Most bytes one command prints from files (cat, head); the rest is announced, not printed. */
export const MAX_OUTPUT = 1024 * 1024;

async function readBounded(real: string): Promise<{ text: string; truncated: boolean }> {
  const handle = await fs.open(real, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    const size = Math.min(stat.size, MAX_OUTPUT);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), truncated: stat.size > MAX_OUTPUT };
  } finally {
    await handle.close();
  }
}

/** Runs `each` over operands, printing "cmd: path: error" for failures; exit 1 if any failed. */
async function forEach(ctx: ShellContext, cmd: string, operands: string[], each: (p: string) => Promise<void>): Promise<number> {
  let status = 0;
  for (const operand of operands) {
    try {
      await each(operand);
    } catch (err) {
      ctx.err(`${cmd}: ${shownPath(operand)}: ${describeError(err)}\n`);
      status = 1;
    }
  }
  return status;
}

const ls: Command = {
  usage: 'ls [-l] [-a] [path…]',
  summary: 'list directory contents',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const long = flags.has('l');
    const all = flags.has('a');
    const targets = operands.length ? operands : ['.'];
    return forEach(ctx, 'ls', targets, async (operand) => {
      const real = await ctx.jail.resolve(operand, ctx.cwd);
      const stat = await fs.stat(real);
      if (targets.length > 1 && stat.isDirectory()) ctx.out(`${shownPath(operand)}:\n`);
      const entries = stat.isDirectory()
        ? (await fs.readdir(real)).filter((n) => all || !n.startsWith('.')).sort()
        : [path.basename(real)];
      const base = stat.isDirectory() ? real : path.dirname(real);
      if (!long) {
        if (entries.length) ctx.out(entries.join('  ') + '\n');
        return;
      }
      const stats = await Promise.all(entries.map((n) => fs.lstat(path.join(base, n))));
      const width = Math.max(1, ...stats.map((s) => String(s.size).length));
      if (stat.isDirectory()) ctx.out(`total ${stats.reduce((sum, s) => sum + Math.ceil(s.size / 1024), 0)}\n`);
      entries.forEach((name, i) => ctx.out(longname(name, stats[i], ctx.user, width) + '\n'));
    });
  },
};

const cd: Command = {
  usage: 'cd [dir]',
  summary: 'change the working directory',
  async run(ctx, args) {
    const target = args[0] ?? '/';
    try {
      const real = await ctx.jail.resolve(target, ctx.cwd);
      if (!(await fs.stat(real)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      ctx.setCwd(ctx.jail.toVirtual(real));
      return 0;
    } catch (err) {
      ctx.err(`cd: ${shownPath(target)}: ${describeError(err)}\n`);
      return 1;
    }
  },
};

const pwd: Command = {
  usage: 'pwd',
  summary: 'print the working directory',
  async run(ctx) {
    ctx.out(ctx.cwd + '\n');
    return 0;
  },
};

const cat: Command = {
  usage: 'cat file…',
  summary: 'print files',
  async run(ctx, args) {
    return forEach(ctx, 'cat', args, async (operand) => {
      const { text, truncated } = await readBounded(await ctx.jail.resolve(operand, ctx.cwd));
      ctx.out(text);
      if (truncated) ctx.err(`\ncat: ${shownPath(operand)}: output cut at ${MAX_OUTPUT} bytes\n`);
    });
  },
};

const head: Command = {
  usage: 'head [-n N] file…',
  summary: 'print the first lines of files',
  async run(ctx, args) {
    let count = 10;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-n' && args[i + 1] !== undefined) count = Number(args[++i]);
      else if (/^-\d+$/.test(args[i])) count = Number(args[i].slice(1));
      else if (/^-n\d+$/.test(args[i])) count = Number(args[i].slice(2));
      else rest.push(args[i]);
    }
    if (!Number.isInteger(count) || count < 0) {
      ctx.err('head: invalid number of lines\n');
      return 1;
    }
    return forEach(ctx, 'head', rest, async (operand) => {
      const { text } = await readBounded(await ctx.jail.resolve(operand, ctx.cwd));
      const lines = text.split('\n');
      const shown = lines.slice(0, count).join('\n');
      ctx.out(shown + (lines.length > count || text.endsWith('\n') ? '\n' : ''));
    });
  },
};

const wc: Command = {
  usage: 'wc [-l] [-w] [-c] file…',
  summary: 'count lines, words and bytes',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const pick = flags.size ? flags : new Set(['l', 'w', 'c']);
    return forEach(ctx, 'wc', operands, async (operand) => {
      const real = await ctx.jail.resolve(operand, ctx.cwd);
      const stat = await fs.stat(real);
      const { text } = await readBounded(real);
      const counts: number[] = [];
      if (pick.has('l')) counts.push((text.match(/\n/g) ?? []).length);
      if (pick.has('w')) counts.push(text.split(/\s+/).filter(Boolean).length);
      if (pick.has('c')) counts.push(stat.size);
      ctx.out(`${counts.map((n) => String(n).padStart(7)).join(' ')} ${operand}\n`);
    });
  },
};

const mkdir: Command = {
  usage: 'mkdir [-p] dir…',
  summary: 'make directories',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    return forEach(ctx, 'mkdir', operands, async (operand) => {
      await fs.mkdir(await ctx.jail.resolve(operand, ctx.cwd), { recursive: flags.has('p') });
    });
  },
};

const rm: Command = {
  usage: 'rm [-r] [-f] path…',
  summary: 'remove files (and directories with -r)',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const recursive = flags.has('r') || flags.has('R');
    let status = 0;
    for (const operand of operands) {
      try {
        if (ctx.jail.normalize(operand, ctx.cwd) === '/') {
          ctx.err(`rm: refusing to remove '/'\n`);
          status = 1;
          continue;
        }
        const real = await ctx.jail.resolve(operand, ctx.cwd);
        const stat = await fs.lstat(real);
        if (stat.isDirectory() && !recursive) {
          ctx.err(`rm: cannot remove '${shownPath(operand)}': Is a directory\n`);
          status = 1;
          continue;
        }
        await fs.rm(real, { recursive });
      } catch (err) {
        if (flags.has('f') && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        ctx.err(`rm: cannot remove '${shownPath(operand)}': ${describeError(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

/** The destination of mv/cp: inside `dest` if it is an existing directory. */
async function destinationFor(ctx: ShellContext, src: string, dest: string): Promise<string> {
  const real = await ctx.jail.resolve(dest, ctx.cwd);
  const isDir = await fs.stat(real).then((s) => s.isDirectory(), () => false);
  return isDir ? ctx.jail.resolve(path.posix.join(ctx.jail.normalize(dest, ctx.cwd), path.posix.basename(ctx.jail.normalize(src, ctx.cwd)))) : real;
}

function twoOperands(name: string, run: (ctx: ShellContext, src: string, dest: string) => Promise<void>): Command['run'] {
  return async (ctx, args) => {
    const { operands } = splitFlags(args);
    if (operands.length !== 2) {
      ctx.err(`${name}: usage: ${name} source dest\n`);
      return 1;
    }
    const [src, dest] = operands;
    try {
      await run(ctx, src, dest);
      return 0;
    } catch (err) {
      ctx.err(`${name}: cannot ${name === 'mv' ? 'move' : 'copy'} '${shownPath(src)}': ${describeError(err)}\n`);
      return 1;
    }
  };
}

const mv: Command = {
  usage: 'mv source dest',
  summary: 'move or rename',
  run: twoOperands('mv', async (ctx, src, dest) => {
    if (ctx.jail.normalize(src, ctx.cwd) === '/') throw Object.assign(new Error(), { code: 'EACCES' });
    const from = await ctx.jail.resolve(src, ctx.cwd);
    await fs.lstat(from);
    await fs.rename(from, await destinationFor(ctx, src, dest));
  }),
};

const cp: Command = {
  usage: 'cp source dest',
  summary: 'copy a file',
  run: twoOperands('cp', async (ctx, src, dest) => {
    const from = await ctx.jail.resolve(src, ctx.cwd);
    if ((await fs.stat(from)).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    await fs.copyFile(from, await destinationFor(ctx, src, dest));
  }),
};

const touch: Command = {
  usage: 'touch file…',
  summary: 'create files or update their times',
  async run(ctx, args) {
    return forEach(ctx, 'touch', args, async (operand) => {
      const real = await ctx.jail.resolve(operand, ctx.cwd);
      const now = new Date();
      await fs.utimes(real, now, now).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        await (await fs.open(real, 'a')).close();
      });
    });
  },
};

/** The file commands by name. */
export const FILE_COMMANDS: Record<string, Command> = { ls, cd, pwd, cat, head, wc, mkdir, rm, mv, cp, touch };
