/**
 * The friendly client's command words (ftp(1)-style), run against a FriendlyClient. Output is
 * escaped before it reaches the terminal; errors are shown, never thrown.
 */
import { escapeControls, bytesToSafeText } from '../../../wire/escape.ts';
import type { FriendlyClient } from './client-mode.ts';
import { PROTECTED_DATA_NOTE } from '../../../protocols/ftp/console-notes.ts';

/** One line of help listing the words. */
export const CLIENT_HELP =
  'Commands: open, ls [path], cd <path>, pwd, get <name>, put <name> <text…>, rename <from> <to>, delete <name>, passive on|off, secure on|off, close.';

const note = (text: string) => `\x1b[2m# ${escapeControls(text)}\x1b[0m\r\n`;

/** Runs one friendly command; `onConn` hears the control connection id after `open`. */
export async function runClientCommand(client: FriendlyClient, line: string, output: (text: string) => void, onConn: (conn: string) => void): Promise<void> {
  const [word = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  try {
    switch (word.toLowerCase()) {
      case '':
        return;
      case 'open':
        output(note(`Connecting (${client.secure ? 'FTPS: AUTH TLS first' : 'plain FTP'}, ${client.passive ? 'passive' : 'active'} mode)…`));
        onConn(await client.open());
        return;
      case 'ls':
      case 'dir':
        for (const entry of await client.list(arg)) output(`${escapeControls(entry.rawModifiedAt && !client.passive ? entry.rawModifiedAt : `${entry.isDirectory ? 'd' : '-'} ${String(entry.size).padStart(10)}  ${entry.name}`)}\r\n`);
        return;
      case 'cd':
        output(`${escapeControls(await client.cd(arg || '/'))}\r\n`);
        return;
      case 'pwd':
        output(`${escapeControls(await client.pwd())}\r\n`);
        return;
      case 'get': {
        const data = await client.get(arg);
        // One chunk, header first: the page hides a protected file's contents from the eavesdropper view.
        const header = `${data.length.toLocaleString('en')} bytes received${client.secure ? `, ${PROTECTED_DATA_NOTE}` : ''}:`;
        output(note(header) + `${bytesToSafeText(data.subarray(0, 600)).replace(/\^M\^J|\^J/g, '\r\n')}\r\n`);
        return;
      }
      case 'put': {
        const [name, ...words] = rest;
        if (!name) throw new Error('put <name> <text…>');
        const data = Buffer.from(`${words.join(' ') || `Uploaded from the Protocol Lab at ${new Date().toISOString()}`}\n`);
        await client.put(name, data);
        output(note(`${data.length} bytes uploaded as ${name}.`));
        return;
      }
      case 'rename':
        await client.rename(rest[0] ?? '', rest[1] ?? '');
        return;
      case 'delete':
        await client.remove(arg);
        return;
      case 'passive':
      case 'secure': {
        const on = arg.toLowerCase() !== 'off';
        if (word === 'passive') client.passive = on;
        else client.secure = on;
        output(note(`${word} ${on ? 'on' : 'off'}${word === 'secure' ? ' — takes effect at the next open' : ''}.`));
        return;
      }
      case 'close':
      case 'quit':
        client.close();
        output(note('Closed.'));
        return;
      default:
        output(note(`Unknown command "${word}". ${CLIENT_HELP}`));
    }
  } catch (err) {
    output(note(`Error: ${(err as Error).message}`));
  }
}
