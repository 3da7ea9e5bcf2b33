/**
 * Where a shell command's text comes from: named files (through the jail) or standard input
 * (the previous command of a pipeline, or `< file`). Reads are bounded so a huge file cannot
 * flood a session.
 */
import fs from 'node:fs/promises';
import { describeError, shownPath, type ShellContext } from './context.ts';

/** Most bytes one command prints or reads from one file; the rest is announced, not printed. */
export const MAX_OUTPUT = 1024 * 1024;

/** Reads at most MAX_OUTPUT bytes of a real file. */
export async function readBounded(real: string): Promise<{ text: string; truncated: boolean }> {
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

/** One input of a command: a file's text, or standard input (`name` null). */
export interface Input {
  name: string | null;
  text: string;
  /** A file longer than MAX_OUTPUT: `text` is its start only. */
  truncated: boolean;
}

/**
 * Runs `each` over what `read` makes of each operand (`-` or no operand = standard input, given to
 * `fromStdin`), printing "cmd: path: error" for failures; resolves to exit status 1 if any failed.
 */
export async function eachOperand<T>(
  ctx: ShellContext,
  cmd: string,
  operands: string[],
  read: { fromStdin(text: string): T; fromFile(real: string): Promise<T> },
  each: (name: string | null, value: T) => void,
): Promise<number> {
  let status = 0;
  for (const operand of operands.length ? operands : ['-']) {
    if (operand === '-') {
      if (ctx.stdin === null) {
        ctx.err(`${cmd}: no input: name a file or pipe into it (this simulated shell has no terminal input)\n`);
        status = 1;
        continue;
      }
      each(null, read.fromStdin(ctx.stdin));
      continue;
    }
    let value: T;
    try {
      value = await read.fromFile(await ctx.jail.resolve(operand, ctx.cwd));
    } catch (err) {
      ctx.err(`${cmd}: ${shownPath(operand)}: ${describeError(err)}\n`);
      status = 1;
      continue;
    }
    each(operand, value);
  }
  return status;
}

/** eachOperand over the operands' texts, a file's read up to MAX_OUTPUT bytes and a cut one announced. */
export function eachInput(ctx: ShellContext, cmd: string, operands: string[], each: (input: Input) => void): Promise<number> {
  const read = {
    fromStdin: (text: string) => ({ text, truncated: false }),
    fromFile: readBounded,
  };
  return eachOperand(ctx, cmd, operands, read, (name, input) => {
    each({ name, ...input });
    if (name !== null && input.truncated) ctx.err(`${cmd}: ${shownPath(name)}: read only the first ${MAX_OUTPUT} bytes\n`);
  });
}

/** The lines of a text, without the empty string after a final newline. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
