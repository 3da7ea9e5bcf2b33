/**
 * Tab completion for the simulated shell, as a login shell's line editor does it: the first word
 * of a command completes to a command name, every other word to a path in the sandbox (through the
 * jail, so nothing outside the sandbox is listed). A single match is completed with a space after
 * it (a slash after a directory); several matches are completed as far as they agree, and once
 * they agree no further the editor lists them.
 */
import type { Jail } from '../../../lib/sandbox/jail.ts';
import { sandboxEntries } from './context.ts';

/** What Tab does to a line: text to append, and the matches when there is more than one. */
export interface Completion {
  insert: string;
  candidates: string[];
}

/** The word under the cursor: after the last unescaped space or shell operator. */
const LAST_WORD = /(?:\\.|[^\s|;&<>\\'"])*$/;
/** What the shell's parser reads as part of a word only when escaped. */
const SPECIAL = /[\s|;&<>\\'"#$`*?]/g;
/** A word in command position follows nothing, or an operator that starts a new command. */
const COMMAND_POSITION = /(?:^|[|;&])\s*$/;
export async function complete(line: string, context: { commands: readonly string[]; jail: Jail; cwd: string }): Promise<Completion> {
  const typedWord = LAST_WORD.exec(line)?.[0] ?? '';
  const before = line.slice(0, line.length - typedWord.length);
  const word = typedWord.replace(/\\(.)/g, '$1');
  const matches = COMMAND_POSITION.test(before) && !word.includes('/') ? context.commands.filter((c) => c.startsWith(word)).map((c) => `${c} `) : await pathMatches(word.startsWith('~/') ? word.slice(1) : word, context);
  if (matches.length === 0) return { insert: '', candidates: [] };
  const typed = word.slice(word.lastIndexOf('/') + 1);
  const chosen = matches.length === 1 ? matches[0] : commonPrefix(matches);
  // The name as the parser must read it: special characters escaped, the space or slash after it not.
  const end = chosen.endsWith(' ') || chosen.endsWith('/') ? chosen.length - 1 : chosen.length;
  const insert = escape(chosen.slice(typed.length, end)) + chosen.slice(end);
  return { insert, candidates: matches.length === 1 ? [] : matches.map((m) => m.trimEnd()) };
}

/** The names in the word's directory that start with its last part; directories end in "/", files in " ". */
async function pathMatches(word: string, context: { jail: Jail; cwd: string }): Promise<string[]> {
  const slash = word.lastIndexOf('/');
  const dir = slash === -1 ? '.' : word.slice(0, slash + 1);
  const prefix = word.slice(slash + 1);
  return (await sandboxEntries(context.jail, dir, context.cwd))
    .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => (e.isDirectory() ? `${e.name}/` : `${e.name} `))
    .sort();
}

function escape(text: string): string {
  return text.replace(SPECIAL, (ch) => `\\${ch}`);
}

function commonPrefix(words: readonly string[]): string {
  let shared = words[0] ?? '';
  for (const w of words) while (!w.startsWith(shared)) shared = shared.slice(0, -1);
  return shared;
}
