/**
 * SFTP version 3 (draft-ietf-secsh-filexfer-02) as data: packet types, status codes and open
 * flags, each with its annotation key. SFTP runs inside an SSH channel, so the wire view never
 * sees it; these rows annotate the server's endpoint view.
 */

/** One SFTP packet type. */
export interface SftpPacketRow {
  type: number;
  name: string;
  key: string;
  /** Request (client→server) or response (server→client). */
  dir: 'client' | 'server';
  ref: string;
}

const p = (type: number, name: string, dir: SftpPacketRow['dir'], ref: string): SftpPacketRow => ({
  type,
  name,
  key: `sftp.pkt.${name}`,
  dir,
  ref,
});

/** SSH_FXP_* packet types (draft-02 §3). */
export const SFTP_PACKETS: readonly SftpPacketRow[] = [
  p(1, 'INIT', 'client', 'draft-ietf-secsh-filexfer-02 §4'),
  p(2, 'VERSION', 'server', 'draft-ietf-secsh-filexfer-02 §4'),
  p(3, 'OPEN', 'client', 'draft-ietf-secsh-filexfer-02 §6.3'),
  p(4, 'CLOSE', 'client', 'draft-ietf-secsh-filexfer-02 §6.3'),
  p(5, 'READ', 'client', 'draft-ietf-secsh-filexfer-02 §6.4'),
  p(6, 'WRITE', 'client', 'draft-ietf-secsh-filexfer-02 §6.4'),
  p(7, 'LSTAT', 'client', 'draft-ietf-secsh-filexfer-02 §6.8'),
  p(8, 'FSTAT', 'client', 'draft-ietf-secsh-filexfer-02 §6.8'),
  p(9, 'SETSTAT', 'client', 'draft-ietf-secsh-filexfer-02 §6.9'),
  p(10, 'FSETSTAT', 'client', 'draft-ietf-secsh-filexfer-02 §6.9'),
  p(11, 'OPENDIR', 'client', 'draft-ietf-secsh-filexfer-02 §6.7'),
  p(12, 'READDIR', 'client', 'draft-ietf-secsh-filexfer-02 §6.7'),
  p(13, 'REMOVE', 'client', 'draft-ietf-secsh-filexfer-02 §6.5'),
  p(14, 'MKDIR', 'client', 'draft-ietf-secsh-filexfer-02 §6.6'),
  p(15, 'RMDIR', 'client', 'draft-ietf-secsh-filexfer-02 §6.6'),
  p(16, 'REALPATH', 'client', 'draft-ietf-secsh-filexfer-02 §6.11'),
  p(17, 'STAT', 'client', 'draft-ietf-secsh-filexfer-02 §6.8'),
  p(18, 'RENAME', 'client', 'draft-ietf-secsh-filexfer-02 §6.5'),
  p(19, 'READLINK', 'client', 'draft-ietf-secsh-filexfer-02 §6.10'),
  p(20, 'SYMLINK', 'client', 'draft-ietf-secsh-filexfer-02 §6.10'),
  p(101, 'STATUS', 'server', 'draft-ietf-secsh-filexfer-02 §7'),
  p(102, 'HANDLE', 'server', 'draft-ietf-secsh-filexfer-02 §7'),
  p(103, 'DATA', 'server', 'draft-ietf-secsh-filexfer-02 §7'),
  p(104, 'NAME', 'server', 'draft-ietf-secsh-filexfer-02 §7'),
  p(105, 'ATTRS', 'server', 'draft-ietf-secsh-filexfer-02 §7'),
  p(200, 'EXTENDED', 'client', 'draft-ietf-secsh-filexfer-02 §8'),
  p(201, 'EXTENDED_REPLY', 'server', 'draft-ietf-secsh-filexfer-02 §8'),
];

/** Packet rows by wire name. */
export const SFTP_PACKET_BY_NAME: ReadonlyMap<string, SftpPacketRow> = new Map(SFTP_PACKETS.map((row) => [row.name, row]));

/** One SSH_FX_* status code. */
export interface SftpStatusRow {
  code: number;
  name: string;
  key: string;
  ref: string;
  level: 'info' | 'warn' | 'error';
}

/** SSH_FX_* status codes (draft-02 §7). */
export const SFTP_STATUS: readonly SftpStatusRow[] = (
  [
    [0, 'OK', 'info'],
    [1, 'EOF', 'info'],
    [2, 'NO_SUCH_FILE', 'warn'],
    [3, 'PERMISSION_DENIED', 'error'],
    [4, 'FAILURE', 'error'],
    [5, 'BAD_MESSAGE', 'error'],
    [6, 'NO_CONNECTION', 'error'],
    [7, 'CONNECTION_LOST', 'error'],
    [8, 'OP_UNSUPPORTED', 'warn'],
  ] as const
).map(([code, name, level]) => ({ code, name, key: `sftp.status.${name}`, ref: 'draft-ietf-secsh-filexfer-02 §7', level }));

/** Status rows by code. */
export const SFTP_STATUS_BY_CODE: ReadonlyMap<number, SftpStatusRow> = new Map(SFTP_STATUS.map((row) => [row.code, row]));

/** SSH_FXF_* open flags (draft-02 §6.3), bit → name. */
export const SFTP_OPEN_FLAGS: readonly [number, string][] = [
  [0x01, 'READ'],
  [0x02, 'WRITE'],
  [0x04, 'APPEND'],
  [0x08, 'CREAT'],
  [0x10, 'TRUNC'],
  [0x20, 'EXCL'],
];

/** Names the set open flags: 0x1a → 'WRITE|CREAT|TRUNC'. */
export function describeOpenFlags(flags: number): string {
  const names = SFTP_OPEN_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  return names.length > 0 ? names.join('|') : 'none';
}
