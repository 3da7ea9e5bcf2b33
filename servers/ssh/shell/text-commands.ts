/**
 * Text filters of the simulated shell (grep, sort, uniq, tail), the ends of pipelines such as
 * `ls | grep txt | sort -r`. Each reads files or standard input; none starts a real process.
 */
import { splitFlags, type Command, type ShellContext } from './context.ts';
import { countFile, countText, type Counts } from './count.ts';
import { eachInput, eachOperand, linesOf } from './input.ts';
import { compilePattern, PatternBudgetExceeded } from './pattern.ts';

/** Reads every input into one list of lines (sort, uniq read everything before printing). */
async function allLines(ctx: ShellContext, cmd: string, operands: string[]): Promise<{ lines: string[]; status: number }> {
  const lines: string[] = [];
  const status = await eachInput(ctx, cmd, operands, (input) => lines.push(...linesOf(input.text)));
  return { lines, status };
}

/** `-n N`, `-nN` or `-N` among args; the rest are operands. */
function countOption(args: string[], fallback: number): { count: number; rest: string[] } | null {
  let count = fallback;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-n' && args[i + 1] !== undefined) count = Number(args[++i]);
    else if (/^-\d+$/.test(args[i])) count = Number(args[i].slice(1));
    else if (/^-n\d+$/.test(args[i])) count = Number(args[i].slice(2));
    else rest.push(args[i]);
  }
  return Number.isInteger(count) && count >= 0 ? { count, rest } : null;
}

export const head: Command = {
  usage: 'head [-n N] [file…]',
  summary: 'print the first lines',
  async run(ctx, args) {
    const parsed = countOption(args, 10);
    if (!parsed) {
      ctx.err('head: invalid number of lines\n');
      return 1;
    }
    return eachInput(ctx, 'head', parsed.rest, ({ text }) => {
      const lines = linesOf(text).slice(0, parsed.count);
      if (lines.length) ctx.out(lines.join('\n') + '\n');
    });
  },
};

export const tail: Command = {
  usage: 'tail [-n N] [file…]',
  summary: 'print the last lines',
  async run(ctx, args) {
    const parsed = countOption(args, 10);
    if (!parsed) {
      ctx.err('tail: invalid number of lines\n');
      return 1;
    }
    return eachInput(ctx, 'tail', parsed.rest, ({ text }) => {
      const lines = parsed.count === 0 ? [] : linesOf(text).slice(-parsed.count);
      if (lines.length) ctx.out(lines.join('\n') + '\n');
    });
  },
};

export const wc: Command = {
  usage: 'wc [-l] [-w] [-c] [file…]',
  summary: 'count lines, words and bytes',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const pick = flags.size ? flags : new Set(['l', 'w', 'c']);
    const bytesOnly = !pick.has('l') && !pick.has('w');
    // Whole files, not the first MiB that cat and grep read: a count of part of a file is a wrong count.
    const read = { fromStdin: countText, fromFile: (real: string) => countFile(real, bytesOnly) };
    return eachOperand(ctx, 'wc', operands, read, (name, counted: Counts) => {
      const counts: number[] = [];
      if (pick.has('l')) counts.push(counted.lines);
      if (pick.has('w')) counts.push(counted.words);
      if (pick.has('c')) counts.push(counted.bytes);
      // Like coreutils: one count from standard input is printed bare.
      ctx.out(name === null && counts.length === 1 ? `${counts[0]}\n` : `${counts.map((n) => String(n).padStart(7)).join(' ')}${name === null ? '' : ` ${name}`}\n`);
    });
  },
};

export const grep: Command = {
  usage: 'grep [-i] [-v] [-n] [-c] [-F] pattern [file…]',
  summary: 'print lines matching a pattern (basic regex: . * [ ] ^ $)',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const unknown = [...flags].filter((f) => !'ivncF'.includes(f));
    if (unknown.length || operands.length === 0) {
      ctx.err(`grep: ${unknown.length ? `unknown option -${unknown[0]}; ` : ''}usage: ${grep.usage}\n`);
      return 2;
    }
    const [source, ...files] = operands;
    const pattern = compilePattern(source, { ignoreCase: flags.has('i'), fixed: flags.has('F') });
    if ('error' in pattern) {
      ctx.err(`grep: ${pattern.error}\n`);
      return 2;
    }
    let matched = 0;
    try {
      const status = await eachInput(ctx, 'grep', files, ({ name, text }) => {
        let count = 0;
        const prefix = files.length > 1 && name !== null ? `${name}:` : '';
        linesOf(text).forEach((line, i) => {
          if (pattern.test(line) === flags.has('v')) return;
          count++;
          if (!flags.has('c')) ctx.out(`${prefix}${flags.has('n') ? `${i + 1}:` : ''}${line}\n`);
        });
        if (flags.has('c')) ctx.out(`${prefix}${count}\n`);
        matched += count;
      });
      // grep's exit status: 0 a line matched, 1 none did, 2 an error.
      return status !== 0 ? 2 : matched > 0 ? 0 : 1;
    } catch (err) {
      if (!(err instanceof PatternBudgetExceeded)) throw err;
      ctx.err(`grep: ${err.message}\n`);
      return 2;
    }
  },
};

export const sort: Command = {
  usage: 'sort [-r] [-n] [-u] [file…]',
  summary: 'sort lines',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const { lines, status } = await allLines(ctx, 'sort', operands);
    const numeric = (line: string) => Number.parseFloat(line.trim()) || 0;
    lines.sort(flags.has('n') ? (a, b) => numeric(a) - numeric(b) || (a < b ? -1 : a > b ? 1 : 0) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (flags.has('r')) lines.reverse();
    const shown = flags.has('u') ? lines.filter((line, i) => i === 0 || line !== lines[i - 1]) : lines;
    if (shown.length) ctx.out(shown.join('\n') + '\n');
    return status;
  },
};

export const uniq: Command = {
  usage: 'uniq [-c] [-d] [file]',
  summary: 'collapse repeated adjacent lines',
  async run(ctx, args) {
    const { flags, operands } = splitFlags(args);
    const { lines, status } = await allLines(ctx, 'uniq', operands.slice(0, 1));
    const runs: { line: string; count: number }[] = [];
    for (const line of lines) {
      const last = runs.at(-1);
      if (last && last.line === line) last.count++;
      else runs.push({ line, count: 1 });
    }
    for (const { line, count } of runs) {
      if (flags.has('d') && count < 2) continue;
      ctx.out(flags.has('c') ? `${String(count).padStart(7)} ${line}\n` : `${line}\n`);
    }
    return status;
  },
};

/** The text filters by name. */
export const TEXT_COMMANDS: Record<string, Command> = { head, tail, wc, grep, sort, uniq };
