import type { Lesson } from '../../../lib/lessons/types.ts';

/** FTPS and SFTP compared on the wire: connections, what is encrypted, how the server proves who it is. */
export const ftpsVsSftp: Lesson = {
  id: 'ftps-vs-sftp',
  lab: 'ftp',
  title: 'FTPS vs SFTP',
  summary: 'Move the same file with FTPS and with SFTP and compare what the wire shows: TCP connections, encryption, and how each server proves who it is.',
  minutes: 10,
  order: 4,
  goal:
    'Tell FTPS and SFTP apart: FTPS is FTP inside TLS, with a control connection and one more TCP connection per transfer, the server proven by an X.509 certificate; SFTP is a file protocol inside one SSH connection, the server proven by its host key.',
  steps: [
    {
      id: 'ftps-connections',
      title: 'FTPS: a TLS session per connection',
      do:
        'Open the "FTPS vs SFTP" tab and press Run comparison: the lab uploads and downloads the same file with FTPS (PROT P) and with SFTP, through the taps, and fills the table from the real sessions. That one run records everything this lesson looks at, so all three steps tick when it ends: read the table row by row as the steps go.\n\nLook at the FTPS row: one control connection, plus one data connection for the upload and one for the download, each with its own TLS handshake.',
      panel: 'compare',
      proof: { all: [{ dir: 'server', key: 'ftp.reply.234' }, { key: 'ftp.data.tls' }], anyConnection: true },
      hints: ['Each TCP connection of the table is a row in the Connections list; click one to see its transcript.'],
      ref: 'RFC 4217 §7, §9',
    },
    {
      id: 'sftp-one-connection',
      title: 'SFTP: one SSH connection carries everything',
      do:
        'Now the SFTP row of the same run: a single TCP connection to the SSH server. After the SSH handshake the client opens a channel and asks for the "sftp" subsystem; every request (OPEN, WRITE, READ, CLOSE) and its reply travel inside that one encrypted channel — no second port, nothing for a firewall to open.\n\nUse the SSH lab\'s file panel or `sftp -P {{port ssh}} {{user}}@{{host}}` to see it again.',
      panel: 'compare',
      proof: {
        all: [
          { protocol: 'ssh', key: 'ssh.channel.subsystem' },
          { protocol: 'ssh', key: 'sftp.pkt.INIT' },
          { protocol: 'ssh', key: 'sftp.pkt.WRITE' },
          { protocol: 'ssh', key: 'sftp.pkt.READ' },
        ],
      },
      hints: ['SFTP is not FTP over SSH: it is its own binary protocol (SSH_FXP_* packets).'],
      ref: 'RFC 4254 §6.5; draft-ietf-secsh-filexfer-02 §3',
    },
    {
      id: 'server-identity',
      title: 'How each server proves who it is',
      do:
        'The table\'s "How auth works" column, from the same run. SSH: in KEX_ECDH_REPLY the server sends its host key and signs the exchange with it; the client compares the key\'s fingerprint with what it knows (known_hosts). The fingerprint is in the SSH transcript, on the wire.\n\nFTPS: the server sends an X.509 certificate in the TLS handshake. With TLS 1.3 the Certificate message is already encrypted, so the eavesdropper sees only an Application Data record; the client checks it against a trusted CA (here it is self-signed, so clients are told to skip the check — compare its fingerprint with the one in the Own client tab, under FileZilla).',
      panel: 'compare',
      proof: { all: [{ protocol: 'ssh', view: 'wire', key: 'ssh.msg.KEX_ECDH_REPLY', field: { name: 'K_S fingerprint' } }] },
      hints: ['The SSH lab page shows the same fingerprint as `ssh-keygen -lf`.', 'Skipping certificate verification (curl -k) lets a man in the middle in: only do it in a lab.'],
      ref: 'RFC 4253 §8; RFC 5656 §4; RFC 8446 §4.4.2',
    },
  ],
};
