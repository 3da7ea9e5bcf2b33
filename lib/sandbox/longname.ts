/**
 * `ls -l` style lines, shared by the SSH shell's `ls -l`, SFTP's NAME `longname` (draft-02 §7
 * recommends ls -l output; ssh2-sftp-client reads the file type from its first character) and FTP's
 * LIST, so one sandbox's files read the same in every lab.
 */
import type { Stats } from 'node:fs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

/** 'drwxr-xr-x' from a mode. */
export function modeString(mode: number): string {
  const type = (mode & 0o170000) === 0o040000 ? 'd' : (mode & 0o170000) === 0o120000 ? 'l' : '-';
  const bits = 'rwxrwxrwx'
    .split('')
    .map((ch, i) => ((mode >> (8 - i)) & 1 ? ch : '-'))
    .join('');
  return type + bits;
}

/** 'Jan 05 14:03' for recent dates, 'Jan 05  2023' for older ones, like ls. */
export function lsDate(mtimeMs: number, now = Date.now()): string {
  const d = new Date(mtimeMs);
  const month = MONTHS[d.getMonth()];
  const day = String(d.getDate()).padStart(2, ' ');
  if (Math.abs(now - mtimeMs) < SIX_MONTHS_MS) {
    return `${month} ${day} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }
  return `${month} ${day}  ${d.getFullYear()}`;
}

/** One ls -l line; the owner is always the lab user (the sandbox has one owner). */
export function longname(name: string, stats: Pick<Stats, 'mode' | 'nlink' | 'size' | 'mtimeMs'>, user: string, sizeWidth = 8): string {
  return `${modeString(stats.mode)} ${String(stats.nlink).padStart(2)} ${user} ${user} ${String(stats.size).padStart(sizeWidth)} ${lsDate(stats.mtimeMs)} ${name}`;
}
