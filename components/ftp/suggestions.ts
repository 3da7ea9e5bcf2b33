import type { LabMessage } from '@/lib/wire/event.ts';
import type { Suggestion } from '@/components/lab/quick-insert';

export type { Suggestion };

/** What the friendly client is set to (mirrors `passive on|off`, `secure on|off`). */
export interface ClientSettings {
  passive: boolean;
  secure: boolean;
}

const one = (line: string, hint: string, label = line): Suggestion => ({ label, lines: [line], hint });

/** Where a raw control session stands, read from its transcript (both views). */
export function sessionState(messages: LabMessage[]) {
  const replies = messages.filter((m) => m.dir === 'server' && (m.kind === 'reply' || m.kind === 'reply-end') && /^\d{3}( |$)/.test(m.text));
  const commands = messages.filter((m) => m.dir === 'client' && m.kind === 'command');
  const codes = replies.map((m) => Number(m.text.slice(0, 3)));
  const lastCommand = commands.at(-1)?.text.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  const sent = (verb: string) => commands.some((c) => c.text.trim().toUpperCase().startsWith(verb));
  return {
    greeted: codes.includes(220),
    lastCode: codes.at(-1) ?? null,
    lastCommand,
    loggedIn: codes.includes(230),
    secure: codes.includes(234),
    pbsz: sent('PBSZ'),
    prot: commands.filter((c) => c.text.trim().toUpperCase().startsWith('PROT')).at(-1)?.text.trim().toUpperCase().slice(5) ?? null,
    userSent: sent('USER'),
    closed: codes.includes(221),
  };
}

/** The next sensible lines for the raw console, from the session so far. */
export function rawSuggestions(messages: LabMessage[], user: string, password: string): Suggestion[] {
  const s = sessionState(messages);
  if (!s.greeted || s.closed) return [];
  const ftps: Suggestion[] = [];
  if (!s.secure && !s.userSent) ftps.push(one('AUTH TLS', 'FTPS: encrypt the control connection first (234, then TLS)'));
  if (s.secure && !s.pbsz) ftps.push(one('PBSZ 0', 'FTPS: protection buffer size, must come before PROT'));
  if (s.secure && s.pbsz && s.prot !== 'P') ftps.push(one('PROT P', 'FTPS: encrypt the data connections too'));
  if (s.secure && s.pbsz && s.prot !== 'C') ftps.push(one('PROT C', 'FTPS: leave the data connections in clear'));
  if (!s.loggedIn) {
    if (s.lastCode === 331) return [one(`PASS ${password}`, 'the password — in clear unless AUTH TLS came first', 'PASS …'), ...ftps];
    return [...ftps, one(`USER ${user}`, 'who you are; the server answers 331')];
  }
  const dataReady = (s.lastCode === 227 || s.lastCode === 229 || (s.lastCode === 200 && (s.lastCommand === 'PORT' || s.lastCommand === 'EPRT')));
  if (dataReady) {
    return [
      one('LIST', 'directory listing over the data connection'),
      one('NLST', 'names only'),
      one('RETR docs/hello.txt', 'download a file'),
      one('STOR hello.txt', 'upload: after the 150 the lab sends about 5 KB of sample text'),
    ];
  }
  return [
    one('PASV', 'passive: the server opens a port, the client connects (227)'),
    one('EPSV', 'extended passive: just the port (229)'),
    one('PORT', 'active: the SERVER connects back to the client (the lab fills in the address)'),
    ...ftps,
    one('PWD', 'where am I? (257)'),
    one('FEAT', 'extensions the server supports (211)'),
    one('SYST', 'system type (215)'),
    one('QUIT', 'goodbye (221)'),
  ];
}

/** Friendly-client words, with the toggles showing what they would switch to. */
export function clientSuggestions(settings: ClientSettings): Suggestion[] {
  return [
    one('open', 'connect and log in (USER/PASS; AUTH TLS first when secure is on)'),
    one('ls', 'list the directory over a data connection'),
    one('pwd', 'print the working directory'),
    one('put hello.txt Hello from the FTP lab', 'upload a small text file', 'put hello.txt …'),
    one('get hello.txt', 'download it back'),
    one(`passive ${settings.passive ? 'off' : 'on'}`, settings.passive ? 'switch to active mode (PORT): the server connects back' : 'back to passive mode (EPSV/PASV)'),
    one(`secure ${settings.secure ? 'off' : 'on'}`, settings.secure ? 'plain FTP at the next open' : 'FTPS at the next open: AUTH TLS, PBSZ 0, PROT P'),
    one('close', 'QUIT and disconnect'),
  ];
}
