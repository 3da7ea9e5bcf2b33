/**
 * The TCP ports this process listens on (Linux: /proc/net/tcp{,6} sockets in state LISTEN whose
 * inode is one of this process's open file descriptors). Tests use it to show that a lab's real
 * server has no port of its own that a client could reach around the tap.
 */
import fs from 'node:fs';

const LISTEN = '0A';

function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // The fd closed while we looked.
    }
  }
  return inodes;
}

/** Sorted, without duplicates (a port listened on over IPv4 and IPv6 counts once). */
export function listeningPorts(): number[] {
  const own = ownSocketInodes();
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== LISTEN || !own.has(fields[9])) continue;
      ports.add(parseInt(fields[1].split(':')[1], 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
