/**
 * Makes text safe for the client's terminal. File contents may hold escape sequences that
 * another user uploaded (colour bombs, DCS queries): every control character except tab and
 * newline is shown in caret notation; newlines become CR LF when a pty is attached.
 */
import { escapeControls } from '../../../lib/wire/escape.ts';

/** Escapes control characters line by line, keeping line structure. */
export function terminalSafe(text: string, pty: boolean): string {
  const lines = text.split('\n').map((line) => escapeControls(line.endsWith('\r') ? line.slice(0, -1) : line));
  return lines.join(pty ? '\r\n' : '\n');
}
