import { bareHost, DEFAULT_HOST } from '@/components/lab/address';
import type { ClientRecipe } from '@/components/lab/own-client';
import type { SshInfo } from './api';

/** The name OpenSSH files the lab's host key under in known_hosts: `[host]:port`, or the bare host on port 22. */
export const knownHostsNameOf = (host: string, port: number): string => (port === 22 ? bareHost(host) : `[${bareHost(host)}]:${port}`);

/**
 * Copy-paste settings for real SSH/SFTP clients against the lab (ports and fingerprints from
 * /api/lab; `user` and `password` are the caller's sandbox login, which puts the client in it;
 * `host` the address clients reach the lab by).
 */
export function sshRecipes(ssh: SshInfo | null, fallbackPort: number, password: string, smtpPort: number, user = ssh?.user ?? 'student', host = DEFAULT_HOST): ClientRecipe[] {
  const port = ssh?.port ?? fallbackPort;
  // ssh and sftp take an IPv6 address bare after `user@`; the tunnel's far end is the server's own loopback.
  const name = bareHost(host);
  const fingerprints = (ssh?.hostKeys ?? []).map((k) => `#   ${k.type.padEnd(20)} ${k.fingerprint}`).join('\n') || '#   (loading…)';
  const tunnelPort = ssh?.forwardPorts.includes(smtpPort) ? smtpPort : (ssh?.forwardPorts[0] ?? smtpPort);
  return [
    {
      name: 'OpenSSH',
      code: `ssh -p ${port} ${user}@${name}\n# password: ${password}\n\n# Compare what ssh shows on first contact with the server's keys:\n${fingerprints}\n\n# One command instead of a shell (an "exec" request):\nssh -p ${port} ${user}@${name} ls -l`,
      note: 'Your connection appears in the Connections tab; pick it to see its handshake timeline.',
    },
    {
      name: 'sftp',
      code: `sftp -P ${port} ${user}@${name}\nsftp> ls\nsftp> put notes.txt\nsftp> get notes.txt copy.txt\nsftp> bye`,
      note: 'Note the capital -P for sftp (lower-case -p means "preserve times"). Every SSH_FXP packet is annotated.',
    },
    {
      name: 'Tunnel (ssh -L)',
      code: `ssh -N -L 8025:127.0.0.1:${tunnelPort} -p ${port} ${user}@${name}\n# then, in another terminal, talk to the lab port through the tunnel\n# (-C: CRLF line ends, as SMTP requires):\nnc -C 127.0.0.1 8025`,
      note: `ssh -L opens a direct-tcpip channel (RFC 4254 §7.2). The server allows only the lab's own ports (${(ssh?.forwardPorts ?? []).join(', ') || '…'}); anything else is refused "administratively prohibited".`,
    },
    {
      name: 'ssh -i (your key)',
      code: `# Generate a key in "Keys & known_hosts", download the private key, then:\nchmod 600 ~/Downloads/id_ed25519\nssh -i ~/Downloads/id_ed25519 -o IdentitiesOnly=yes -p ${port} ${user}@${name}`,
      note: 'The publickey flow shows in the timeline: a query, USERAUTH_PK_OK, then the signed request.',
    },
    {
      name: 'PuTTY',
      code: `Session → Host Name: ${name}   Port: ${port}   Connection type: SSH\nConnection → Data → Auto-login username: ${user}\nPassword: ${password}\n\nPuTTY's "Security Alert" shows the key fingerprint; it should be one of:\n${fingerprints.replace(/#   /g, '  ')}\n\nKey login: PuTTYgen → Load the downloaded id_ed25519 → Save private key (.ppk),\nthen Connection → SSH → Auth → Credentials → Private key file.`,
    },
    {
      name: 'FileZilla / WinSCP',
      code: `Protocol: SFTP - SSH File Transfer Protocol\nHost: ${name}   Port: ${port}\nUser: ${user}   Password: ${password}\n\nFirst connect asks you to trust the host key; compare with:\n${fingerprints.replace(/#   /g, '  ')}`,
      note: 'Both see the same files as the shell and the file panel (your sandbox). SFTP is not FTPS: it runs inside SSH.',
    },
    {
      name: 'Fingerprints',
      code: `ssh-keyscan -p ${port} ${name} | ssh-keygen -lf -\n\n# The server's host keys:\n${fingerprints}\n\n# Forget the lab's key (after "rotate host key"):\nssh-keygen -R "${knownHostsNameOf(host, port)}"`,
    },
  ];
}
