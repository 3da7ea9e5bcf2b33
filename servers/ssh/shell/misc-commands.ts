/**
 * The simulated shell's non-file commands: echo, whoami, hostname, uname, date, true, false,
 * clear, history, help, exit. `help` lists the whole table, so it can never drift from it.
 */
import { FILE_COMMANDS } from './fs-commands.ts';
import { TEXT_COMMANDS } from './text-commands.ts';
import type { Command } from './context.ts';

const echo: Command = {
  usage: 'echo [-n] text…',
  summary: 'print text (use > file or >> file to write it)',
  async run(ctx, args) {
    const noNewline = args[0] === '-n';
    ctx.out((noNewline ? args.slice(1) : args).join(' ') + (noNewline ? '' : '\n'));
    return 0;
  },
};

const constant = (line: string, text: (ctx: Parameters<Command['run']>[0]) => string): Command => ({
  usage: line.split(' — ')[0],
  summary: line.split(' — ')[1] ?? '',
  async run(ctx) {
    ctx.out(text(ctx) + '\n');
    return 0;
  },
});

/** `true` and `false`: scripts run over `ssh host '…'` use them to chain with && and ||. */
const status = (code: number, summary: string): Command => ({
  usage: code === 0 ? 'true' : 'false',
  summary,
  async run() {
    return code;
  },
});

const uname: Command = {
  usage: 'uname [-a]',
  summary: 'print system information',
  async run(ctx, args) {
    ctx.out(args.includes('-a') ? `ProtocolLab ${ctx.hostname} 1.0 simulated-shell ssh2 node\n` : 'ProtocolLab\n');
    return 0;
  },
};

const clear: Command = {
  usage: 'clear',
  summary: 'clear the screen',
  async run(ctx) {
    ctx.clear();
    return 0;
  },
};

const history: Command = {
  usage: 'history',
  summary: 'list the commands typed in this session',
  async run(ctx) {
    ctx.history.forEach((line, i) => ctx.out(`${String(i + 1).padStart(5)}  ${line}\n`));
    return 0;
  },
};

const exit: Command = {
  usage: 'exit [status]',
  summary: 'leave the shell',
  async run(ctx, args) {
    // As sh: a bare exit leaves with the last status, a status that is no number is an error (status 2).
    if (args[0] !== undefined && !/^\d+$/.test(args[0])) {
      ctx.err(`-sh: exit: Illegal number: ${args[0]}\n`);
      ctx.exit(2);
      return 2;
    }
    const code = args[0] === undefined ? ctx.lastStatus : Number(args[0]) & 0xff;
    ctx.exit(code);
    return code;
  },
};

const help: Command = {
  usage: 'help',
  summary: 'list the commands',
  async run(ctx) {
    ctx.out('This is a simulated shell over your sandbox files (no real programs run). Commands:\n');
    for (const command of Object.values(COMMANDS).sort((a, b) => a.usage.localeCompare(b.usage))) {
      ctx.out(`  ${command.usage.padEnd(26)} ${command.summary}\n`);
    }
    ctx.out('Words: $HOME $USER $LOGNAME $HOSTNAME $PWD $? and ~ expand; * ? [abc] match file names; quote them to keep them as text.\n');
    ctx.out('Keys (in a terminal): Tab completes a command or file name, ↑/↓ recall earlier commands, Ctrl-C drops the line, Ctrl-L clears, Ctrl-D logs out.\n');
    return 0;
  },
};

/** Every command the simulated shell knows, by name. */
export const COMMANDS: Record<string, Command> = {
  ...FILE_COMMANDS,
  ...TEXT_COMMANDS,
  echo,
  whoami: constant('whoami — print the user name', (ctx) => ctx.user),
  hostname: constant('hostname — print the host name', (ctx) => ctx.hostname),
  date: constant('date — print the date and time', () => new Date().toString()),
  uname,
  true: status(0, 'do nothing, successfully (exit status 0)'),
  false: status(1, 'do nothing, unsuccessfully (exit status 1)'),
  clear,
  history,
  help,
  exit,
};
