/**
 * FTP commands as data (ftp-srv's idea: the command *is* a table row). Prose for each row lives in
 * text.en.ts under the row's key. Verbs are case-insensitive on the wire (RFC 959 §5.3).
 */
import { OTHER_PROTOCOL_REFS, type OtherProtocol } from '../kit/other-client.ts';
import type { Fact } from '../kit/prose.ts';

/** Where in a session a command belongs; the UI groups and colours by it. */
export type FtpPhase = 'auth' | 'tls' | 'session' | 'navigation' | 'data-setup' | 'transfer' | 'files';

/** One FTP command: wire verb, syntax as the RFC writes it, annotation key, source and phase. */
export interface FtpCommandRow {
  verb: string;
  syntax: string;
  key: string;
  ref: string;
  phase: FtpPhase;
  /** True for commands that move bytes over a data connection (LIST, RETR…). */
  transfer?: boolean;
}

const row = (verb: string, syntax: string, ref: string, phase: FtpPhase, transfer = false): FtpCommandRow =>
  transfer ? { verb, syntax, key: `ftp.cmd.${verb}`, ref, phase, transfer } : { verb, syntax, key: `ftp.cmd.${verb}`, ref, phase };

/** Every command the lab explains, keyed by upper-case verb. */
export const FTP_COMMANDS: Readonly<Record<string, FtpCommandRow>> = {
  USER: row('USER', 'USER <SP> <username> <CRLF>', 'RFC 959 §4.1.1', 'auth'),
  PASS: row('PASS', 'PASS <SP> <password> <CRLF>', 'RFC 959 §4.1.1', 'auth'),
  ACCT: row('ACCT', 'ACCT <SP> <account-information> <CRLF>', 'RFC 959 §4.1.1', 'auth'),
  CWD: row('CWD', 'CWD <SP> <pathname> <CRLF>', 'RFC 959 §4.1.1', 'navigation'),
  CDUP: row('CDUP', 'CDUP <CRLF>', 'RFC 959 §4.1.1', 'navigation'),
  REIN: row('REIN', 'REIN <CRLF>', 'RFC 959 §4.1.1', 'session'),
  QUIT: row('QUIT', 'QUIT <CRLF>', 'RFC 959 §4.1.1', 'session'),
  PORT: row('PORT', 'PORT <SP> h1,h2,h3,h4,p1,p2 <CRLF>', 'RFC 959 §4.1.2; RFC 2577 §3', 'data-setup'),
  PASV: row('PASV', 'PASV <CRLF>', 'RFC 959 §4.1.2, §3.2', 'data-setup'),
  EPRT: row('EPRT', 'EPRT <SP> |<net-prt>|<net-addr>|<tcp-port>| <CRLF>', 'RFC 2428 §2', 'data-setup'),
  EPSV: row('EPSV', 'EPSV [<SP> <net-prt> | ALL] <CRLF>', 'RFC 2428 §3', 'data-setup'),
  TYPE: row('TYPE', 'TYPE <SP> <type-code> <CRLF>', 'RFC 959 §4.1.2, §3.1.1', 'session'),
  STRU: row('STRU', 'STRU <SP> <structure-code> <CRLF>', 'RFC 959 §4.1.2', 'session'),
  MODE: row('MODE', 'MODE <SP> <mode-code> <CRLF>', 'RFC 959 §4.1.2', 'session'),
  RETR: row('RETR', 'RETR <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'transfer', true),
  STOR: row('STOR', 'STOR <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'transfer', true),
  STOU: row('STOU', 'STOU <CRLF>', 'RFC 959 §4.1.3', 'transfer', true),
  APPE: row('APPE', 'APPE <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'transfer', true),
  LIST: row('LIST', 'LIST [<SP> <pathname>] <CRLF>', 'RFC 959 §4.1.3', 'transfer', true),
  NLST: row('NLST', 'NLST [<SP> <pathname>] <CRLF>', 'RFC 959 §4.1.3', 'transfer', true),
  MLSD: row('MLSD', 'MLSD [<SP> <pathname>] <CRLF>', 'RFC 3659 §7', 'transfer', true),
  ALLO: row('ALLO', 'ALLO <SP> <decimal-integer> <CRLF>', 'RFC 959 §4.1.3', 'session'),
  REST: row('REST', 'REST <SP> <marker> <CRLF>', 'RFC 959 §4.1.3; RFC 3659 §5', 'transfer'),
  RNFR: row('RNFR', 'RNFR <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'files'),
  RNTO: row('RNTO', 'RNTO <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'files'),
  ABOR: row('ABOR', 'ABOR <CRLF>', 'RFC 959 §4.1.3', 'transfer'),
  DELE: row('DELE', 'DELE <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'files'),
  RMD: row('RMD', 'RMD <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'files'),
  MKD: row('MKD', 'MKD <SP> <pathname> <CRLF>', 'RFC 959 §4.1.3', 'files'),
  PWD: row('PWD', 'PWD <CRLF>', 'RFC 959 §4.1.3', 'navigation'),
  SITE: row('SITE', 'SITE <SP> <string> <CRLF>', 'RFC 959 §4.1.3', 'session'),
  SYST: row('SYST', 'SYST <CRLF>', 'RFC 959 §4.1.3', 'session'),
  STAT: row('STAT', 'STAT [<SP> <pathname>] <CRLF>', 'RFC 959 §4.1.3', 'session'),
  HELP: row('HELP', 'HELP [<SP> <string>] <CRLF>', 'RFC 959 §4.1.3', 'session'),
  NOOP: row('NOOP', 'NOOP <CRLF>', 'RFC 959 §4.1.3', 'session'),
  FEAT: row('FEAT', 'FEAT <CRLF>', 'RFC 2389 §3', 'session'),
  OPTS: row('OPTS', 'OPTS <SP> <command> [<SP> <options>] <CRLF>', 'RFC 2389 §4', 'session'),
  SIZE: row('SIZE', 'SIZE <SP> <pathname> <CRLF>', 'RFC 3659 §4', 'files'),
  MDTM: row('MDTM', 'MDTM <SP> <pathname> <CRLF>', 'RFC 3659 §3', 'files'),
  AUTH: row('AUTH', 'AUTH <SP> <mechanism-name> <CRLF>', 'RFC 2228 §3; RFC 4217 §4', 'tls'),
  PBSZ: row('PBSZ', 'PBSZ <SP> <decimal-integer> <CRLF>', 'RFC 2228 §3; RFC 4217 §9', 'tls'),
  PROT: row('PROT', 'PROT <SP> C | S | E | P <CRLF>', 'RFC 2228 §3; RFC 4217 §9', 'tls'),
  CCC: row('CCC', 'CCC <CRLF>', 'RFC 2228 §3; RFC 4217 §5', 'tls'),
};

/** Any verb not in the table: servers answer 500 (unrecognised) or 502 (not implemented). */
export const UNKNOWN_FTP_COMMAND: FtpCommandRow = {
  verb: '',
  syntax: '<verb> [<SP> <arguments>] <CRLF>',
  key: 'ftp.cmd.unknown',
  ref: 'RFC 959 §4.2.1',
  phase: 'session',
};

/** Finds a command's row by verb in any case. */
export function lookupFtpCommand(verb: string): FtpCommandRow {
  const upper = verb.toUpperCase();
  return Object.hasOwn(FTP_COMMANDS, upper) ? FTP_COMMANDS[upper] : UNKNOWN_FTP_COMMAND;
}

/** Splits a command line (without CRLF) into verb and argument, as RFC 959 §5.3 frames it. */
export function splitCommand(line: string): { verb: string; arg: string } {
  const space = line.indexOf(' ');
  if (space < 0) return { verb: line.trim().toUpperCase(), arg: '' };
  return { verb: line.slice(0, space).trim().toUpperCase(), arg: line.slice(space + 1) };
}

/**
 * Another protocol's client that opened the connection (curl, ssh, swaks pointed at the FTP port),
 * told by its first command (kit/other-client.ts). FTP's own openings have no row; a TLS record keeps
 * ftp.cmd.tls-without-auth.
 */
export const FTP_OTHER_CLIENTS: Readonly<Partial<Record<OtherProtocol, Fact>>> = {
  http: { key: 'ftp.other.http', ref: `${OTHER_PROTOCOL_REFS.http}; RFC 959 §4.2.1`, level: 'warn' },
  ssh: { key: 'ftp.other.ssh', ref: `${OTHER_PROTOCOL_REFS.ssh}; RFC 959 §5.4`, level: 'warn' },
  smtp: { key: 'ftp.other.smtp', ref: `${OTHER_PROTOCOL_REFS.smtp}; RFC 959 §5.4`, level: 'warn' },
};

/** The header lines of an HTTP request that opened the connection, up to its empty line. */
export const FTP_HTTP_MORE: Fact = { key: 'ftp.other.http-more', ref: 'RFC 9112 §2.1', level: 'info' };
