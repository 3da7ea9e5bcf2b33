/**
 * Parses what the student types in the browser SSH terminal before connecting: an OpenSSH
 * command line (`ssh -p 2222 student@127.0.0.1 ls`), `ssh-keygen -R host`, or a few helpers.
 * Only the options that matter here are understood; forwarding (-L -R -D -W) is refused in
 * words, the rest are accepted and ignored.
 */

/** A parsed local command. */
export type LocalCommand =
  | { kind: 'ssh'; user: string | undefined; host: string; port: number | undefined; command: string | undefined; identity: string | undefined }
  | { kind: 'keygen-remove'; host: string }
  | { kind: 'show-known-hosts' }
  | { kind: 'clear' }
  | { kind: 'help' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string };

/** ssh options that take a value (OpenSSH `ssh` synopsis). */
const WITH_VALUE = new Set(['-p', '-l', '-i', '-o', '-F', '-J', '-L', '-R', '-D', '-b', '-c', '-m', '-E', '-e', '-W', '-Q', '-S', '-w', '-B', '-O', '-I']);

/** Forwarding options: they listen or connect on the machine ssh runs on, which for this terminal is the lab. */
const FORWARDING = new Set(['-L', '-R', '-D', '-W']);

/** A port as OpenSSH takes it (1–65535), or undefined for "Bad port". */
function portOf(value: string): number | undefined {
  const port = Number(value);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

function words(line: string): string[] {
  return (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));
}

/** Parses one typed line. */
export function parseLocalCommand(line: string): LocalCommand {
  const argv = words(line.trim());
  if (argv.length === 0) return { kind: 'empty' };
  const [name, ...args] = argv;
  if (name === 'clear') return { kind: 'clear' };
  if (name === 'help') return { kind: 'help' };
  if (name === 'cat' && args[0] && /known_hosts$/.test(args[0])) return { kind: 'show-known-hosts' };
  if (name === 'ssh-keygen') {
    const r = args.indexOf('-R');
    if (r !== -1 && args[r + 1]) return { kind: 'keygen-remove', host: args[r + 1] };
    return { kind: 'error', message: 'Only `ssh-keygen -R host` works in this terminal.' };
  }
  if (name !== 'ssh') return { kind: 'error', message: `${name}: command not found (type help)` };

  let user: string | undefined;
  let port: number | undefined;
  let identity: string | undefined;
  let destination: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (destination === undefined && arg.startsWith('-')) {
      const flag = arg.slice(0, 2);
      const inline = arg.length > 2 ? arg.slice(2) : undefined;
      if (WITH_VALUE.has(flag)) {
        const value = inline ?? args[++i];
        if (value === undefined) return { kind: 'error', message: `option requires an argument -- ${flag.slice(1)}` };
        // Ignoring it would open a shell as if the tunnel were there.
        if (FORWARDING.has(flag)) {
          return { kind: 'error', message: `ssh: ${flag} forwards ports on the machine ssh runs on, and this terminal's ssh runs inside the lab: nothing of yours would reach them. Run the command in your own terminal (recipes on the Own client tab).` };
        }
        if (flag === '-p') {
          port = portOf(value);
          if (port === undefined) return { kind: 'error', message: `Bad port '${value}'` };
        }
        if (flag === '-l') user = value;
        if (flag === '-i') identity = value;
      }
      continue;
    }
    destination = arg;
    i++;
    break;
  }
  if (!destination) return { kind: 'error', message: 'usage: ssh [-p port] [-l login_name] [-i identity_file] destination [command]' };
  // Options after the destination are allowed by OpenSSH too (ssh host -p 2222).
  const rest: string[] = [];
  for (; i < args.length; i++) {
    if (rest.length === 0 && args[i] === '-p' && args[i + 1]) {
      const value = args[++i];
      port = portOf(value);
      if (port === undefined) return { kind: 'error', message: `Bad port '${value}'` };
    } else if (rest.length === 0 && args[i] === '-l' && args[i + 1]) user = args[++i];
    else rest.push(args[i]);
  }
  const uri = destination.startsWith('ssh://');
  if (uri) destination = destination.slice(6);
  const at = destination.lastIndexOf('@');
  if (at !== -1) {
    user = destination.slice(0, at);
    destination = destination.slice(at + 1);
  }
  const colon = /^(.*):(\d+)$/.exec(destination);
  if (colon && uri && port === undefined) {
    destination = colon[1];
    port = portOf(colon[2]);
    if (port === undefined) return { kind: 'error', message: `Bad port '${colon[2]}'` };
  }
  // Host names are case-insensitive, as DNS compares them; OpenSSH lowercases them too, known_hosts included.
  return { kind: 'ssh', user, host: destination.toLowerCase(), port, command: rest.length ? rest.join(' ') : undefined, identity };
}
