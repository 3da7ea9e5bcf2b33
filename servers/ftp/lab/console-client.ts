/**
 * The friendly client's command words (ftp(1)-style), run against a FriendlyClient. What they
 * print is told to the console, which records it as a note on the session's control connection
 * (so it sits in seq order with the commands and replies) or, with no session, prints it.
 * Untrusted text is escaped line by line; errors are shown, never thrown.
 */
import { groupDigits } from '../../../lib/text/numbers.ts';
import { escapeControls, bytesToSafeText } from '../../../lib/wire/escape.ts';
import type { View } from '../../../lib/wire/event.ts';
import type { FriendlyClient } from './client-mode.ts';

/** One line of help listing the words. */
export const CLIENT_HELP =
  'Commands: open, ls [path], cd <path>, pwd, get <name>, put <name> <text…>, rename <from> <to>, delete <name>, mkdir <dir>, rmdir <dir>, passive on|off, secure on|off, close.';

/** Says something about the session: lines split at \n; 'endpoint' for what only the client saw (file contents). */
export type Tell = (text: string, view?: View) => void;

/** A download's first bytes as indented lines. */
export function contentLines(data: Uint8Array, max = 600): string[] {
  return bytesToSafeText(data.subarray(0, max))
    .split(/\^M\^J|\^J/)
    .filter(Boolean)
    .map((line) => `  ${line}`);
}

/** Runs one friendly command; `onConn` hears the control connection id after `open`. */
export async function runClientCommand(client: FriendlyClient, line: string, tell: Tell, onConn: (conn: string) => void): Promise<void> {
  const [word = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  try {
    switch (word.toLowerCase()) {
      case '':
        return;
      case 'open':
        tell(`Connecting (${client.secure ? 'FTPS: AUTH TLS first' : 'plain FTP'}, ${client.passive ? 'passive' : 'active'} mode)…`);
        onConn(await client.open());
        return;
      case 'ls':
      case 'dir': {
        const entries = await client.list(arg);
        const lines = entries.map((entry) => `  ${escapeControls(`${entry.isDirectory ? 'd' : '-'} ${String(entry.size).padStart(10)}  ${entry.rawModifiedAt.padEnd(12)}  ${entry.name}`)}`);
        tell([`ls: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`, ...lines].join('\n'), 'endpoint');
        return;
      }
      case 'cd':
        tell(`Now in ${escapeControls(await client.cd(arg || '/'))}`, 'endpoint');
        return;
      case 'pwd':
        tell(`Now in ${escapeControls(await client.pwd())}`, 'endpoint');
        return;
      case 'get': {
        const data = await client.get(arg);
        // Endpoint view only: under PROT P these are decrypted contents an eavesdropper never saw.
        const header = `${groupDigits(data.length)} bytes received${client.secure ? ' and decrypted (PROT P)' : ''}:`;
        tell([header, ...contentLines(data)].join('\n'), 'endpoint');
        return;
      }
      case 'put': {
        const [name, ...words] = rest;
        if (!name) throw new Error('put <name> <text…>');
        const data = Buffer.from(`${words.join(' ') || `Uploaded from the Protocol Lab at ${new Date().toISOString()}`}\n`);
        await client.put(name, data);
        tell(`${data.length} bytes uploaded as ${escapeControls(name)}.`);
        return;
      }
      case 'rename':
        await client.rename(rest[0] ?? '', rest[1] ?? '');
        return;
      case 'delete':
        await client.remove(arg);
        return;
      case 'mkdir':
        await client.mkdir(arg);
        return;
      case 'rmdir':
        await client.rmdir(arg);
        return;
      case 'passive':
      case 'secure': {
        const on = arg.toLowerCase() !== 'off';
        if (word === 'passive') client.passive = on;
        else client.secure = on;
        tell(`${word} ${on ? 'on' : 'off'}${word === 'secure' ? ' — takes effect at the next open' : ''}.`);
        return;
      }
      case 'close':
      case 'quit':
        client.close();
        tell('Closed.');
        return;
      default:
        tell(`Unknown command "${escapeControls(word)}". ${CLIENT_HELP}`);
    }
  } catch (err) {
    tell(`Error: ${escapeControls((err as Error).message)}`);
  }
}
