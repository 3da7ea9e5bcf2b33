import type { Lesson } from '../../../lib/lessons/types.ts';

/** A tunnel: ssh -L opens a direct-tcpip channel per connection, only to the lab's own ports. */
export const sshTunnel: Lesson = {
  id: 'ssh-tunnel',
  lab: 'ssh',
  title: 'A tunnel through SSH',
  summary: 'Forward a local port to the lab\'s SMTP server with ssh -L, speak SMTP through it, and see what the server refuses to forward.',
  minutes: 10,
  order: 4,
  goal:
    'Explain what ssh -L does on the wire (a direct-tcpip channel inside the SSH connection, one per TCP connection), what it protects (the path to the SSH server) and what it does not (the hop after it), and why a server limits where it forwards.',
  steps: [
    {
      id: 'forward',
      title: 'Open the tunnel and use it',
      do:
        'In a shell: ssh -N -L 8025:127.0.0.1:{{port smtp}} -p {{port ssh}} {{user}}@{{host}}. Nothing happens yet: ssh only listens on port 8025. Now connect to it (nc -C 127.0.0.1 8025): the client opens a direct-tcpip channel to 127.0.0.1:{{port smtp}}, the server decides whether to allow it, and connects there itself.',
      panel: 'clients',
      shell: ['ssh -N -L 8025:127.0.0.1:{{port smtp}} -p {{port ssh}} {{user}}@{{host}}', 'nc -C 127.0.0.1 8025'],
      proof: { all: [{ dir: 'client', key: 'ssh.msg.CHANNEL_OPEN', text: 'direct-tcpip' }, { key: 'ssh.forward.allowed' }, { dir: 'server', key: 'ssh.msg.CHANNEL_OPEN_CONFIRMATION' }] },
      hints: ['-N: no shell, only the forward. The Own client tab has the command with this lab\'s ports.'],
      ref: 'RFC 4254 §7.2',
    },
    {
      id: 'through',
      title: 'SMTP through the tunnel',
      do:
        'Through port 8025 you get the SMTP greeting. In nc (not in the shell), type the SMTP lines `EHLO tunnel.example` and then `QUIT`.\n\nThe SMTP lab\'s Connections tab (on the SMTP page, not this one) shows this connection, labelled "through an SSH tunnel", in clear — the hop from the SSH server to the SMTP server is not encrypted. On this page the Connections tab shows only the SSH connection that carries it: on the network between you and the SSH server, the eavesdropper sees only encrypted SSH packets.',
      panel: 'connections',
      proof: { all: [{ key: 'ssh.forward.allowed' }, { protocol: 'smtp', dir: 'server', key: 'smtp.reply.220.greeting' }, { protocol: 'smtp', dir: 'client', key: 'smtp.cmd.EHLO' }], anyConnection: true },
      hints: ['nc -C ends each line with CRLF, as SMTP requires (RFC 5321 §2.3.8); plain nc sends a bare LF.', 'Open the SMTP lab\'s Connections tab to see the tunnelled connection and its parent SSH connection.'],
      ref: 'RFC 4254 §7.2; RFC 4251 §9.5.2',
    },
    {
      id: 'prohibited',
      title: 'Where the server will not go',
      do:
        'Forward to a port that is not one of the lab\'s: ssh -N -L 8009:127.0.0.1:9 … and connect to 8009. The server refuses the channel: CHANNEL_OPEN_FAILURE "administratively prohibited". A server that forwarded anywhere would be an open proxy into its network.',
      panel: 'handshake',
      shell: ['ssh -N -L 8009:127.0.0.1:9 -p {{port ssh}} {{user}}@{{host}}', 'nc -C 127.0.0.1 8009'],
      proof: { all: [{ dir: 'client', key: 'ssh.msg.CHANNEL_OPEN', text: 'direct-tcpip' }, { dir: 'server', key: 'ssh.open-failure.ADMINISTRATIVELY_PROHIBITED' }] },
      hints: ['OpenSSH prints "channel N: open failed: administratively prohibited" and keeps the connection: other channels still work.'],
      ref: 'RFC 4254 §5.1, §7.2',
    },
  ],
};
