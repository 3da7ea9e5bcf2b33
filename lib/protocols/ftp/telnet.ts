/**
 * The Telnet layer under the FTP control connection: clients send IAC IP and the Synch (IAC DM,
 * urgent) before ABOR, the order RFC 959 §4.1.3 recommends. Both the dissector and the lab's server
 * read commands without them.
 */
const IAC = 0xff;
/** WILL, WONT, DO, DONT: each names an option in the byte after it (Telnet option negotiation). */
const NEGOTIATION_FIRST = 251;
const NAMES: Readonly<Record<number, string>> = { 241: 'NOP', 242: 'DM', 243: 'BRK', 244: 'IP', 245: 'AO', 246: 'AYT', 247: 'EC', 248: 'EL', 249: 'GA' };

/** A command line without its Telnet commands, and their names; IAC IAC stands for a data byte 255. */
export function withoutTelnetCommands(line: Uint8Array): { content: Uint8Array; commands: string[] } {
  if (line.indexOf(IAC) === -1) return { content: line, commands: [] };
  const out: number[] = [];
  const commands: string[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== IAC) out.push(line[i]);
    else if (line[i + 1] === IAC) out.push(line[++i]);
    else if (line[i + 1] >= NEGOTIATION_FIRST) {
      commands.push(`option ${line[i + 2] ?? '?'}`);
      i += 2;
    } else {
      commands.push(NAMES[line[i + 1]] ?? String(line[i + 1] ?? '?'));
      i += 1;
    }
  }
  return { content: Uint8Array.from(out), commands };
}

/**
 * Python's ftplib sends "ABOR\r\n" as urgent data (MSG_OOB): the kernel takes its last byte, the
 * LF, out of the stream (on a socket without SO_OOBINLINE, which Node cannot set), so "ABOR\r" is
 * all that arrives. True when a pending, unterminated line is exactly that: it is ABOR, not the
 * start of a longer line.
 */
export function isAbortWithoutLineFeed(pending: Uint8Array): boolean {
  if (pending.length === 0 || pending.length > 64 || pending[pending.length - 1] !== 0x0d) return false;
  const text = String.fromCharCode(...withoutTelnetCommands(pending).content);
  return /^\s*ABOR\r$/i.test(text);
}
