/**
 * File commands of the simulated shell (ls, cd, pwd, cat, mkdir, rm, mv, touch; cp in copy.ts),
 * each going through the sandbox jail: it keeps paths inside, refuses to remove or rename the
 * sandbox root, gives new files the sandbox's mode and charges growth to the sandbox quota.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { longname } from '../../../lib/sandbox/longname.ts';
import { describeError, shownPath, splitFlags, type Command, type ShellContext } from './context.ts';
import { cp, destinationFor } from './copy.ts';
import { eachInput } from './input.ts';

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
      // -a lists . and .. too, as ls does (at the sandbox root, .. is the root itself).
      const entries = stat.isDirectory()
        ? [...(all ? ['.', '..'] : []), ...(await fs.readdir(real)).filter((n) => all || !n.startsWith('.')).sort()]
        : [path.basename(real)];
      const base = stat.isDirectory() ? real : path.dirname(real);
      const parent = async () => ctx.jail.resolve('..', ctx.jail.toVirtual(base));
      // On a terminal a newline inside a name is shown as ^J, as every other control character is (ls -q
      // does the like): raw, it split one name over two rows. Into a pipe names stay as they are.
      const shown = (name: string) => (ctx.toTerminal ? name.replaceAll('\n', '^J') : name);
      if (!long) {
        // Columns on a terminal, one name a line into a pipe or file (so `ls | wc -l` counts files), as ls does.
        if (entries.length) ctx.out(entries.map(shown).join(ctx.toTerminal ? '  ' : '\n') + '\n');
        return;
      }
      const stats = await Promise.all(entries.map(async (n) => fs.lstat(n === '..' && stat.isDirectory() ? await parent() : path.join(base, n))));
      const width = Math.max(1, ...stats.map((s) => String(s.size).length));
      if (stat.isDirectory()) ctx.out(`total ${stats.reduce((sum, s) => sum + Math.ceil(s.size / 1024), 0)}\n`);
      entries.forEach((name, i) => ctx.out(longname(shown(name), stats[i], ctx.user, width) + '\n'));
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
  usage: 'cat [file…]',
  summary: 'print files (or standard input)',
  async run(ctx, args) {
    return eachInput(ctx, 'cat', args, ({ text }) => ctx.out(text));
  },
};

const mkdir: Command = {
  usage: 'mkdir [-p] dir…',
  summary: 'make directories',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    return forEach(ctx, 'mkdir', operands, async (operand) => {
      await ctx.jail.mkdir(operand, ctx.cwd, { recursive: flags.has('p') });
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
        const { real } = await ctx.jail.resolveEntry(operand, ctx.cwd);
        const stat = await fs.lstat(real);
        if (stat.isDirectory() && !recursive) {
          ctx.err(`rm: cannot remove '${shownPath(operand)}': Is a directory\n`);
          status = 1;
          continue;
        }
        if (recursive) await ctx.jail.removeTree(operand, ctx.cwd);
        else await ctx.jail.unlink(operand, ctx.cwd);
      } catch (err) {
        if (flags.has('f') && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        ctx.err(`rm: cannot remove '${shownPath(operand)}': ${describeError(err)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

const mv: Command = {
  usage: 'mv source dest',
  summary: 'move or rename',
  async run(ctx, args) {
    const { operands } = splitFlags(args);
    if (operands.length !== 2) {
      ctx.err('mv: usage: mv source dest\n');
      return 1;
    }
    const [src, dest] = operands;
    try {
      await ctx.jail.rename(src, await destinationFor(ctx, src, dest), ctx.cwd);
      return 0;
    } catch (err) {
      ctx.err(`mv: cannot move '${shownPath(src)}': ${describeError(err)}\n`);
      return 1;
    }
  },
};

const touch: Command = {
  usage: 'touch file…',
  summary: 'create files or update their times',
  async run(ctx, args) {
    return forEach(ctx, 'touch', args, async (operand) => {
      // Opening for append creates a missing file (through the jail: its mode) and leaves an existing one as it is.
      const file = await ctx.jail.openFile(operand, ctx.cwd, { flags: 'a' });
      const now = new Date();
      try {
        await file.handle.utimes(now, now);
      } finally {
        await file.close();
      }
    });
  },
};

/** The file commands by name. */
export const FILE_COMMANDS: Record<string, Command> = { ls, cd, pwd, cat, mkdir, rm, mv, cp, touch };
