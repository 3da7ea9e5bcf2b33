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
export async function readBounded(real: string): Promise<{ text: string; size: number; truncated: boolean }> {
  const handle = await fs.open(real, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    const size = Math.min(stat.size, MAX_OUTPUT);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), size: stat.size, truncated: stat.size > MAX_OUTPUT };
  } finally {
    await handle.close();
  }
}

/** One input of a command: a file's text, or standard input (`name` null). */
export interface Input {
  name: string | null;
  text: string;
  /** Bytes in the whole input (a file may be longer than what was read). */
  size: number;
  truncated: boolean;
}

/**
 * Runs `each` over the operands' contents (`-` or no operand = standard input), printing
 * "cmd: path: error" for failures; resolves to exit status 1 if any failed.
 */
export async function eachInput(ctx: ShellContext, cmd: string, operands: string[], each: (input: Input) => void): Promise<number> {
  let status = 0;
  for (const operand of operands.length ? operands : ['-']) {
    if (operand === '-') {
      if (ctx.stdin === null) {
        ctx.err(`${cmd}: no input: name a file or pipe into it (this simulated shell has no terminal input)\n`);
        status = 1;
        continue;
      }
      each({ name: null, text: ctx.stdin, size: Buffer.byteLength(ctx.stdin), truncated: false });
      continue;
    }
    let read: Awaited<ReturnType<typeof readBounded>>;
    try {
      read = await readBounded(await ctx.jail.resolve(operand, ctx.cwd));
    } catch (err) {
      ctx.err(`${cmd}: ${shownPath(operand)}: ${describeError(err)}\n`);
      status = 1;
      continue;
    }
    each({ name: operand, ...read });
    if (read.truncated) ctx.err(`${cmd}: ${shownPath(operand)}: read only the first ${MAX_OUTPUT} bytes\n`);
  }
  return status;
}

/** The lines of a text, without the empty string after a final newline. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
