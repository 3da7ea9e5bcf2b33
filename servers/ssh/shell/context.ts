/**
 * What a simulated-shell command can see and do. Commands never touch the real file system
 * except through the sandbox jail, and never print a real path: errors name the virtual path.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import { JailError, type Jail } from '../../../lib/sandbox/jail.ts';
import { QuotaExceeded } from '../../../lib/sandbox/quota.ts';

/** The environment one command runs in. */
export interface ShellContext {
  jail: Jail;
  /** Current directory, as a virtual path ("/" is the sandbox root). */
  cwd: string;
  setCwd(path: string): void;
  user: string;
  hostname: string;
  history: readonly string[];
  /** Standard input: what the previous command of a pipeline printed, or `< file`; null when there is none. */
  stdin: string | null;
  /** Standard output (raw text; the shell makes it terminal-safe). */
  out(text: string): void;
  /** Output goes to the terminal (not a pipe or a file): `ls` prints columns there, one name a line elsewhere. */
  toTerminal: boolean;
  /** Standard error. */
  err(text: string): void;
  clear(): void;
  /** The status of the command before this one (`$?`): what a bare `exit` leaves with. */
  lastStatus: number;
  exit(code: number): void;
}

/** One shell command: its name is the table key; `run` resolves to the exit status. */
export interface Command {
  usage: string;
  summary: string;
  run(ctx: ShellContext, args: string[]): Promise<number>;
}

/** coreutils-style wording of a file error, naming only the virtual path; the jail's reason follows in parentheses. */
export function describeError(err: unknown): string {
  const base = describeCode(err);
  if (err instanceof QuotaExceeded) return `${base} (${err.detail})`;
  return err instanceof JailError && err.reason ? `${base} (${err.reason})` : base;
}

function describeCode(err: unknown): string {
  const code = err instanceof JailError ? err.code : ((err as NodeJS.ErrnoException | undefined)?.code ?? '');
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied';
    case 'EINVAL':
      return 'Invalid file name';
    case 'ENAMETOOLONG':
      return 'File name too long';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EEXIST':
      return 'File exists';
    case 'ENOTEMPTY':
      return 'Directory not empty';
    case 'EFBIG':
      return 'File too large';
    case 'ENOSPC':
      return 'No space left on device';
    default:
      return 'Input/output error';
  }
}

/** Shows a user-typed path in an error without flooding the terminal (5000-character paths). */
export function shownPath(path: string): string {
  return path.length > 80 ? `${path.slice(0, 77)}...` : path;
}

/** Splits leading `-xyz` flags from operands; `--` ends flags. */
export function splitFlags(args: string[]): { flags: Set<string>; operands: string[]; values: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  const values: string[] = [];
  let done = false;
  for (const arg of args) {
    if (!done && arg === '--') done = true;
    else if (!done && arg.startsWith('-') && arg.length > 1 && !/^-\d+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f);
    else if (!done && /^-\d+$/.test(arg)) values.push(arg.slice(1));
    else operands.push(arg);
  }
  return { flags, operands, values };
}

/** A sandbox directory's entries, through the jail; none when it cannot be read (Tab completion and wildcards fail quietly). */
export async function sandboxEntries(jail: Jail, dir: string, cwd: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(await jail.resolve(dir, cwd), { withFileTypes: true });
  } catch {
    return [];
  }
}
