/**
 * Filters what the SSH server sends before it reaches the browser's xterm. A real terminal
 * would obey every escape sequence; the lab keeps only what a shell needs (printable text, CR,
 * LF, tab, backspace, bell, and CSI cursor/erase/colour/mode sequences) and drops the rest —
 * OSC, DCS (`ESC P $q … ESC \`), APC/PM/SOS, C1 bytes, and CSI queries whose answers the
 * terminal would type back (DSR `ESC[6n`, DA `ESC[c`, window reports `ESC[…t`).
 */

/** CSI final bytes the lab lets through: cursor movement, erase, insert/delete, SGR, modes, scroll region. */
const SAFE_CSI_FINAL = new Set('ABCDEFGHJKLMPSTX@dfmhlr'.split(''));
const MAX_SEQUENCE = 64;

/** A streaming filter: feed chunks, get safe text; sequences split across chunks are handled. */
export class TerminalFilter {
  private pending = '';

  write(chunk: string): string {
    const text = this.pending + chunk;
    this.pending = '';
    let out = '';
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      const code = ch.charCodeAt(0);
      if (code === 0x1b) {
        const rest = text.slice(i);
        if (rest.length === 1) {
          this.pending = rest;
          break;
        }
        if (rest[1] === '[') {
          const m = /^\x1b\[[\x30-\x3f]*[\x20-\x2f]*([\x40-\x7e])/.exec(rest.slice(0, MAX_SEQUENCE));
          if (!m) {
            if (rest.length < MAX_SEQUENCE && /^\x1b\[[\x20-\x3f]*$/.test(rest)) {
              this.pending = rest;
              break;
            }
            i += 2;
            continue;
          }
          // Private-mode queries (ESC[?…$p) and anything with intermediates are dropped too.
          if (SAFE_CSI_FINAL.has(m[1]) && !/[\x20-\x2f]/.test(m[0].slice(2, -1))) out += m[0];
          i += m[0].length;
          continue;
        }
        if ('P]X^_'.includes(rest[1])) {
          // String sequences run to ST (ESC \) or BEL: skip them whole.
          const end = rest.search(/\x07|\x1b\\/);
          if (end === -1) {
            this.pending = rest.length < 4096 ? rest : '';
            break;
          }
          i += end + (rest[end] === '\x07' ? 1 : 2);
          continue;
        }
        i += 2;
        continue;
      }
      if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f)) out += ch;
      else if (code === 0x0a || code === 0x0d || code === 0x09 || code === 0x08 || code === 0x07) out += ch;
      i++;
    }
    return out;
  }
}
