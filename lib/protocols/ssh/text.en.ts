/**
 * Teaching prose for every SSH and SFTP annotation key (English). Facts and references live in
 * the tables (messages.ts, algorithms.ts, sftp.ts); this file only says what things mean.
 * Seed correction (PROTOCOL-FACTS.md): SSH-2 never sends a session key; both sides derive it by (EC)DH.
 */

import type { Prose } from '../kit/prose.ts';

export type { Prose };

/** Prose by annotation key. */
export const TEXT: Readonly<Record<string, Prose>> = {
  // Version exchange
  'ssh.version.client': {
    title: 'Client version line (V_C)',
    explain:
      'The first thing the client sends, in clear text: "SSH-2.0-" + software name, ended by CR LF. It is kept as V_C and later hashed into the exchange hash H, so tampering with it breaks the handshake.',
  },
  'ssh.version.server': {
    title: 'Server version line (V_S)',
    explain:
      'The server identifies itself in clear text the same way. Both version lines go into the exchange hash H: a man in the middle who downgrades them is detected when the host key signature over H fails.',
  },
  'ssh.version.prelude': {
    title: 'Text before the version line',
    explain: 'A server may send other lines before its "SSH-" line; clients must be able to handle them, and may ignore them or show them to the user (RFC 4253 §4.2).',
  },
  'ssh.version.bad': {
    title: 'Not an SSH version line',
    explain:
      'An SSH peer identifies itself with "SSH-protoversion-softwareversion". This line does not start with "SSH-": the peer is talking another protocol or sending garbage, and the server disconnects.',
  },
  'ssh.version.unsupported': {
    title: 'Unknown SSH protocol version',
    explain: 'The line starts with "SSH-" but announces a protoversion other than "2.0", "1.99" (2.0 with 1.x compatibility) or "1.x". This server speaks only 2.0, so the connection ends.',
  },
  'ssh.version.ssh1': {
    title: 'SSH-1 identification',
    explain:
      'A protoversion of "1.x" (other than "1.99") announces the old SSH-1 protocol, which was never standardised and has known weaknesses. It is SSH, but not a version this server speaks ("SSH-1.99" would mean "2.0 and 1.x"), so the connection ends; a new client meeting an old server should reconnect with the old protocol (RFC 4253 §5.2).',
  },
  'ssh.version.too-long': {
    title: 'Version line too long',
    explain: 'The version line is limited to 255 characters including CR LF. A longer one is refused; the lab stops decoding this direction.',
  },
  // Another protocol's client on the SSH port: its first message says which
  'ssh.other.http': {
    title: 'An HTTP request on the SSH port',
    explain:
      'curl or a browser was pointed at the SSH port. An SSH client must open with its version line, "SSH-2.0-" and its software name (RFC 4253 §4.2); this is an HTTP request line instead. The server disconnects. curl gets the server\'s "SSH-2.0-…" line where a status line belongs and says "Received HTTP/0.9 when not allowed".',
  },
  'ssh.other.tls': {
    title: 'A TLS ClientHello on the SSH port',
    explain:
      'A TLS client (an https:// URL, openssl s_client) was pointed at the SSH port and opened with a TLS record holding its ClientHello. SSH is not TLS: it has its own transport, which starts with a version line, "SSH-2.0-…" (RFC 4253 §4.2), and agrees on its own keys. The server disconnects; the TLS client reads the server\'s version line as a TLS record and fails ("wrong version number").',
  },
  'ssh.other.smtp': {
    title: 'An SMTP client on the SSH port',
    explain:
      'EHLO or HELO, sent by a mail script or typed into a raw TCP client, reached the SSH port. SMTP starts with the server\'s "220" greeting and the client\'s EHLO or HELO; an SSH server instead sends its version line, "SSH-2.0-…", and expects one back (RFC 4253 §4.2). The server disconnects.',
  },
  'ssh.other.ftp': {
    title: 'An FTP client on the SSH port',
    explain:
      'An FTP command (USER, FEAT, AUTH TLS…) reached the SSH port, from an FTP client or typed into a raw TCP client. FTP starts with the server\'s "220" greeting; an SSH server instead sends its version line, "SSH-2.0-…", and expects one back (RFC 4253 §4.2). The server disconnects. To move files over SSH, use sftp or scp.',
  },
  'ssh.other.smtp-or-ftp': {
    title: 'A mail or FTP client gave up on the SSH port',
    explain:
      'A line-based client (SMTP or FTP, such as swaks) was pointed at the SSH port. It waits for the server\'s "220" greeting; an SSH server sends its version line, "SSH-2.0-…" (RFC 4253 §4.2), which is no such greeting, so the client gave up with a command both protocols know (QUIT). The server disconnects.',
  },
  'ssh.other.zmtp': {
    title: 'A ZeroMQ peer on the SSH port',
    explain:
      'A ZeroMQ socket connected to the SSH port and sent the 10-octet ZMTP signature, 0xFF … 0x7F. It waits for the same signature back; the SSH server sends its version line, "SSH-2.0-…", and waits for one too (RFC 4253 §4.2). Neither gets what it waits for, and the connection closes when one of them gives up.',
  },
  // Transport messages
  'ssh.msg.DISCONNECT': {
    title: 'DISCONNECT',
    explain: 'Ends the connection with a numeric reason code and a human-readable description. After it, nothing more is sent.',
  },
  'ssh.msg.IGNORE': { title: 'IGNORE', explain: 'Padding traffic that the receiver must ignore; it can hide the size of real messages.' },
  'ssh.msg.UNIMPLEMENTED': { title: 'UNIMPLEMENTED', explain: 'The peer received a message number it does not know and names its sequence number.' },
  'ssh.msg.DEBUG': { title: 'DEBUG', explain: 'Diagnostic text the receiver may show.' },
  'ssh.msg.SERVICE_REQUEST': {
    title: 'SERVICE_REQUEST ssh-userauth',
    explain: 'Now that the channel is encrypted, the client asks to start user authentication. The server answers SERVICE_ACCEPT.',
  },
  'ssh.msg.SERVICE_ACCEPT': { title: 'SERVICE_ACCEPT', explain: 'The server agrees: user authentication may begin.' },
  'ssh.msg.EXT_INFO': {
    title: 'EXT_INFO',
    explain:
      'Sent right after the first NEWKEYS (or just before USERAUTH_SUCCESS, RFC 8308 §2.4) when the client offered "ext-info-c": the server lists extensions by name and value. server-sig-algs must enumerate every public key algorithm the server accepts in a publickey login (RFC 8308 §3.1), so the client can pick, say, rsa-sha2-512 rather than the SHA-1 ssh-rsa.',
  },
  'ssh.msg.KEXINIT': {
    title: 'KEXINIT — algorithm lists',
    explain:
      'Each side lists, in order of preference, the algorithms it supports for key exchange, host key, cipher, MAC and compression (each direction separately), plus a 16-byte random cookie. Both KEXINITs are sent in clear and both go into the exchange hash H.',
  },
  'ssh.msg.NEWKEYS': {
    title: 'NEWKEYS — switch to the new keys',
    explain:
      'From the next packet on, this direction is encrypted and authenticated with keys derived from the shared secret K and the exchange hash H. An eavesdropper sees only ciphertext from here.',
  },
  'ssh.msg.KEX_ECDH_INIT': {
    title: 'KEX_ECDH_INIT — client ephemeral public key Q_C',
    explain:
      'The client sends a fresh (ephemeral) public key Q_C. Its private half never leaves the client. This is NOT a session key encrypted to the server: SSH-2 derives keys by Diffie-Hellman.',
  },
  'ssh.msg.KEXDH_INIT': {
    title: 'KEXDH_INIT — client Diffie-Hellman value e',
    explain:
      'Classic finite-field Diffie-Hellman (RFC 4253 §8): the client picks a fresh secret x and sends e = g^x mod p. x never leaves the client. This is NOT a session key encrypted to the server: both sides derive the keys from the shared secret.',
  },
  'ssh.msg.KEXDH_REPLY': {
    title: 'KEXDH_REPLY — host key K_S, server value f, signature over H',
    explain:
      'The server picks its own secret y and sends f = g^y mod p, its host key K_S and a signature over the exchange hash H. Each side computes the same K = g^(xy) mod p (the client as f^x, the server as e^y); K is never sent. The client checks the signature with K_S, and K_S against known_hosts.',
  },
  'ssh.msg.KEX_ECDH_REPLY': {
    title: 'KEX_ECDH_REPLY — host key K_S, server ephemeral key Q_S, signature over H',
    explain:
      'The server sends its long-term host key K_S, its own ephemeral public key Q_S, and a signature over the exchange hash H. Each side now combines its private ephemeral key with the other\'s public one and gets the same shared secret K — which is never sent. The client checks the signature with K_S and K_S against known_hosts: that is what proves it talks to the right server.',
  },
  'ssh.msg.USERAUTH_REQUEST': {
    title: 'USERAUTH_REQUEST',
    explain: 'The client asks to log in as a user with one method (none, password, publickey…). It travels encrypted.',
  },
  'ssh.msg.USERAUTH_FAILURE': {
    title: 'USERAUTH_FAILURE — methods that can continue',
    explain:
      'Authentication failed (or "none" was just a probe). The reply lists the methods that may still succeed; "partial success" is false unless a multi-factor step passed.',
  },
  'ssh.msg.USERAUTH_SUCCESS': { title: 'USERAUTH_SUCCESS', explain: 'The user is logged in. From now on the client may open channels.' },
  'ssh.msg.USERAUTH_BANNER': { title: 'USERAUTH_BANNER', explain: 'Text the server wants shown before login (legal notices).' },
  'ssh.msg.USERAUTH_PK_OK': {
    title: 'USERAUTH_PK_OK — this key would be accepted',
    explain:
      'Answer to a publickey query without signature: the key is in authorized_keys. The client now proves it holds the private key by signing the session identifier together with this request (user name, service, algorithm, public key).',
  },
  'ssh.msg.USERAUTH_INFO_RESPONSE': { title: 'USERAUTH_INFO_RESPONSE', explain: 'Answers to keyboard-interactive prompts.' },
  'ssh.msg.GLOBAL_REQUEST': { title: 'GLOBAL_REQUEST', explain: 'A request for the whole connection, not one channel: e.g. tcpip-forward (ssh -R) or a keepalive.' },
  'ssh.msg.REQUEST_SUCCESS': { title: 'REQUEST_SUCCESS', explain: 'The global request was granted.' },
  'ssh.msg.REQUEST_FAILURE': { title: 'REQUEST_FAILURE', explain: 'The global request was refused.' },
  'ssh.msg.CHANNEL_OPEN': {
    title: 'CHANNEL_OPEN',
    explain: 'Opens a channel inside the one encrypted connection: "session" for a shell/exec/sftp, "direct-tcpip" for ssh -L forwarding. Many channels share one TCP connection.',
  },
  'ssh.msg.CHANNEL_OPEN_CONFIRMATION': { title: 'CHANNEL_OPEN_CONFIRMATION', explain: 'The channel is open; each side names its channel number and window size.' },
  'ssh.msg.CHANNEL_OPEN_FAILURE': { title: 'CHANNEL_OPEN_FAILURE', explain: 'The server refused to open the channel, with a reason code.' },
  'ssh.msg.CHANNEL_WINDOW_ADJUST': { title: 'CHANNEL_WINDOW_ADJUST', explain: 'Flow control: the receiver allows the sender this many more bytes.' },
  'ssh.msg.CHANNEL_DATA': { title: 'CHANNEL_DATA', explain: 'Bytes of a channel (keystrokes, output, SFTP packets). On the wire this is ciphertext.' },
  'ssh.msg.CHANNEL_EXTENDED_DATA': { title: 'CHANNEL_EXTENDED_DATA', explain: 'Out-of-band channel data, in practice stderr.' },
  'ssh.msg.CHANNEL_EOF': { title: 'CHANNEL_EOF', explain: 'This side will send no more data on the channel.' },
  'ssh.msg.CHANNEL_CLOSE': { title: 'CHANNEL_CLOSE', explain: 'The channel is closed; both sides must send CLOSE.' },
  'ssh.msg.CHANNEL_REQUEST': { title: 'CHANNEL_REQUEST', explain: 'A request on a channel: pty-req, shell, exec, subsystem, window-change, exit-status…' },
  'ssh.msg.CHANNEL_SUCCESS': { title: 'CHANNEL_SUCCESS', explain: 'The channel request was granted.' },
  'ssh.msg.CHANNEL_FAILURE': { title: 'CHANNEL_FAILURE', explain: 'The channel request was refused.' },
  // Key exchange outcome
  'ssh.kex.negotiated': {
    title: 'Algorithms chosen',
    explain:
      'For each category the FIRST algorithm on the CLIENT\'s list that the server also supports wins. The client\'s order decides; the server only says what it can do.',
  },
  'ssh.kex.failed': {
    title: 'Negotiation failed',
    explain: 'No algorithm of this category appears on both lists, so no secure channel can be built. OpenSSH reports "Unable to negotiate … no matching … found" and the connection ends.',
  },
  'ssh.kex.strict': {
    title: 'Strict KEX (Terrapin mitigation)',
    explain:
      'Both sides offered kex-strict-*. Sequence numbers are reset at each NEWKEYS and any unexpected message during the handshake aborts it, which defeats the Terrapin prefix-truncation attack (CVE-2023-48795).',
  },
  'ssh.kex.hostkey': {
    title: 'Host key check',
    explain: 'The client compares the host key K_S with its known_hosts. A match means the signature over H came from the server it knew before.',
  },
  'ssh.kex.done': {
    title: 'Handshake complete — encrypted from here',
    explain: 'Both NEWKEYS have passed. Everything below (login, password, commands, files) travels encrypted; the lab shows what the server decrypted.',
  },
  // Wire view after NEWKEYS
  'ssh.encrypted': {
    title: 'Encrypted packets',
    explain: 'After NEWKEYS an eavesdropper sees ciphertext. The lab does not know the negotiated cipher, so it cannot tell whether packet lengths are readable; total bytes and timing always are.',
  },
  'ssh.encrypted.length-hidden': {
    title: 'Encrypted bytes (even the length)',
    explain:
      'With chacha20-poly1305@openssh.com the 4-byte packet length is encrypted with a key of its own and the rest of the packet with a second key; Poly1305 authenticates both. An eavesdropper cannot even tell where one packet ends: only total bytes and timing are visible.',
  },
  'ssh.encrypted.whole': {
    title: 'Encrypted packets, length included',
    explain:
      'With a plain cipher such as aes128-ctr and an ordinary MAC, the whole packet — packet_length, padding_length, payload and padding — is encrypted (RFC 4253 §6). The MAC is computed over the sequence number and the cleartext packet and sent in clear after it. An eavesdropper cannot read packet lengths directly; total bytes and timing still show.',
  },
  'ssh.encrypted.etm': {
    title: 'Encrypted packets, length in clear (encrypt-then-MAC)',
    explain:
      'With an -etm MAC the packet_length is sent unencrypted so the receiver can check the MAC before decrypting anything; the MAC covers the length and the ciphertext. The length cannot be altered, but an eavesdropper reads every packet size (one small packet per keystroke in a shell).',
  },
  'ssh.encrypted.gcm': {
    title: 'Encrypted packets, length in clear (AES-GCM)',
    explain:
      'AES-GCM leaves the 4-byte packet_length unencrypted and authenticates it as additional data; the rest of the packet is encrypted and the 16-byte tag follows. The length cannot be altered, but an eavesdropper reads every packet size (one small packet per keystroke in a shell).',
  },
  'ssh.packet.bad-length': {
    title: 'Impossible packet length',
    explain:
      'Every implementation must be able to handle packets of up to 35000 bytes (RFC 4253 §6.1); bigger ones are allowed where needed, but no key exchange message comes near that, and a packet is at least 16 bytes. This length is not plausible for a cleartext packet, so the lab stops decoding this direction.',
  },
  'ssh.packet.unknown': { title: 'Unknown message', explain: 'A message number the lab does not name; shown as hex.' },
  'ssh.undecoded': { title: 'Undecoded bytes', explain: 'Bytes the lab does not decode any more (after a protocol error). They are still relayed unchanged.' },
  // Authentication
  'ssh.auth.none': {
    title: 'USERAUTH_REQUEST (none)',
    explain: 'Clients start with the "none" method: unless no authentication is needed, the server answers USERAUTH_FAILURE with the methods that can continue.',
  },
  'ssh.auth.password': {
    title: 'USERAUTH_REQUEST (password)',
    explain: 'The password travels inside the encrypted channel, so the eavesdropper cannot read it — but the server sees it in clear. The lab never shows it.',
  },
  'ssh.auth.publickey.query': {
    title: 'USERAUTH_REQUEST (publickey, no signature)',
    explain: 'The client asks "would you accept this public key?" without proving anything yet. The server looks it up in authorized_keys.',
  },
  'ssh.auth.publickey.signed': {
    title: 'USERAUTH_REQUEST (publickey, signed)',
    explain: 'The client signs the session identifier (H of the first key exchange) together with this request (user name, service, algorithm, public key) with its private key. The server verifies with the public key: the private key itself never leaves the client.',
  },
  'ssh.auth.limit': { title: 'Too many authentication failures', explain: 'Like OpenSSH (MaxAuthTries 6), the server disconnects after too many failed attempts.' },
  'ssh.auth.grace': { title: 'Login grace time over', explain: 'Like OpenSSH (LoginGraceTime 2m), a connection that has not logged in within the grace time is closed.' },
  // Channels
  'ssh.channel.pty-req': { title: 'pty-req — a terminal', explain: 'The client asks for a pseudo-terminal of this type and size, so full-screen programs and line editing work.' },
  'ssh.channel.shell': { title: 'shell', explain: 'Start the user\'s login shell on this channel. Here it is a simulated shell over the sandbox files — never a real process.' },
  'ssh.channel.exec': { title: 'exec — run one command', explain: 'Run a single command (ssh host cmd); the channel closes with its exit status.' },
  'ssh.channel.subsystem': { title: 'subsystem', explain: 'Start a named subsystem; "sftp" turns the channel into an SFTP session.' },
  'ssh.channel.window-change': { title: 'window-change', explain: 'The terminal was resized; the server adapts line wrapping.' },
  'ssh.channel.exit-status': { title: 'exit-status', explain: 'The command\'s exit code (0 = success), sent before the channel is closed (CLOSE).' },
  'ssh.channel.env': { title: 'env', explain: 'The client offers an environment variable (LANG…). Servers accept only a safe list.' },
  'ssh.channel.signal': { title: 'signal', explain: 'The client delivers a signal to the remote process.' },
  'ssh.channel.x11-req': {
    title: 'x11-req — X11 forwarding (ssh -X)',
    explain: 'The client asks the server to accept X11 connections for it, so remote graphical programs draw on this screen: it sends a fake, random cookie and swaps in the real one only on its own side, when an X11 connection comes back (RFC 4254 §6.3.1 recommends this). The lab has no X programs and refuses (CHANNEL_FAILURE); ssh prints "X11 forwarding request failed on channel 0" and goes on without it.',
  },
  'ssh.channel.auth-agent-req@openssh.com': {
    title: 'auth-agent-req — agent forwarding (ssh -A)',
    explain: 'The client offers its ssh-agent to the server, so logins from there can use your keys without copying them. Whoever controls the server can then use your agent while you are connected, which is why it is off by default. The lab refuses it.',
  },
  'ssh.channel.exit-signal': { title: 'exit-signal', explain: 'The remote process was ended by a signal; sent instead of exit-status, before EOF and CLOSE.' },
  'ssh.channel.xon-xoff': { title: 'xon-xoff', explain: 'The server tells the client whether it may handle ^S/^Q (flow control) locally.' },
  'ssh.channel.keepalive@openssh.com': {
    title: 'keepalive — are you there?',
    explain: 'OpenSSH\'s ServerAliveInterval/ClientAliveInterval probe: a request no one implements, sent with want-reply. Any answer, even CHANNEL_FAILURE, proves the peer is alive.',
  },
  'ssh.channel.eow@openssh.com': { title: 'eow — end of writing', explain: 'OpenSSH\'s way of closing only the remote command\'s standard input while its output keeps coming.' },
  'ssh.channel.limit': { title: 'Too many sessions', explain: 'Like OpenSSH (MaxSessions 10), each connection may have at most 10 session channels.' },
  'ssh.channel.flood': { title: 'Channel-open flood', explain: 'The client kept opening channels the server refuses. After too many refusals the server drops the connection so one client cannot tie it up; other connections are unaffected.' },
  'ssh.shell.command': { title: 'Shell command', explain: 'What the simulated shell ran, as the server decrypted it. The eavesdropper only saw short encrypted packets.' },
  // Forwarding
  'ssh.forward.allowed': { title: 'direct-tcpip allowed (ssh -L)', explain: 'Local forwarding: the server connects to the destination on the client\'s behalf. The lab allows only its own ports on 127.0.0.1.' },
  'ssh.forward.prohibited': {
    title: 'direct-tcpip refused: administratively prohibited',
    explain: 'The destination is not on the lab\'s allow-list. Allowing any destination would make the lab an open proxy into your network.',
  },
  'ssh.forward.remote-refused': { title: 'tcpip-forward refused (ssh -R)', explain: 'Remote forwarding would open a listening port on this machine; the lab refuses it politely (REQUEST_FAILURE).' },
  // Disconnect reasons
  'ssh.disconnect.HOST_NOT_ALLOWED_TO_CONNECT': { title: 'Host not allowed to connect', explain: 'The server refuses this client.' },
  'ssh.disconnect.PROTOCOL_ERROR': { title: 'Protocol error', explain: 'A message arrived that is not allowed at this point.' },
  'ssh.disconnect.KEY_EXCHANGE_FAILED': { title: 'Key exchange failed', explain: 'The sides could not agree on algorithms or the key exchange broke.' },
  'ssh.disconnect.RESERVED': { title: 'Reserved', explain: 'Formerly HOST_AUTHENTICATION_FAILED.' },
  'ssh.disconnect.MAC_ERROR': { title: 'MAC error', explain: 'A packet failed its integrity check: corruption or tampering.' },
  'ssh.disconnect.COMPRESSION_ERROR': { title: 'Compression error', explain: 'Decompression failed.' },
  'ssh.disconnect.SERVICE_NOT_AVAILABLE': { title: 'Service not available', explain: 'The requested service is not offered.' },
  'ssh.disconnect.PROTOCOL_VERSION_NOT_SUPPORTED': { title: 'Protocol version not supported', explain: 'The peer does not speak SSH-2.' },
  'ssh.disconnect.HOST_KEY_NOT_VERIFIABLE': { title: 'Host key not verifiable', explain: 'The client could not verify the server\'s host key.' },
  'ssh.disconnect.CONNECTION_LOST': { title: 'Connection lost', explain: 'The connection broke.' },
  'ssh.disconnect.BY_APPLICATION': { title: 'Disconnected by application', explain: 'A normal, deliberate end of the connection.' },
  'ssh.disconnect.TOO_MANY_CONNECTIONS': { title: 'Too many connections', explain: 'A connection limit was reached.' },
  'ssh.disconnect.AUTH_CANCELLED_BY_USER': { title: 'Authentication cancelled', explain: 'The user gave up logging in.' },
  'ssh.disconnect.NO_MORE_AUTH_METHODS_AVAILABLE': { title: 'No more authentication methods', explain: 'Every method failed or too many attempts were made.' },
  'ssh.disconnect.ILLEGAL_USER_NAME': { title: 'Illegal user name', explain: 'The user name is not acceptable.' },
  'ssh.open-failure.ADMINISTRATIVELY_PROHIBITED': { title: 'Administratively prohibited', explain: 'Policy forbids this channel (here: a forwarding destination not on the allow-list).' },
  'ssh.open-failure.CONNECT_FAILED': { title: 'Connect failed', explain: 'The server could not reach the forwarding destination.' },
  'ssh.open-failure.UNKNOWN_CHANNEL_TYPE': { title: 'Unknown channel type', explain: 'The server does not support this channel type.' },
  'ssh.open-failure.RESOURCE_SHORTAGE': { title: 'Resource shortage', explain: 'The server has no room for another channel (session limit).' },
  'ssh.closed': { title: 'Connection closed', explain: 'The TCP connection ended.' },
  // SFTP
  'sftp.pkt.INIT': { title: 'SSH_FXP_INIT', explain: 'The client starts SFTP and names the highest protocol version it speaks (3 here).' },
  'sftp.pkt.VERSION': { title: 'SSH_FXP_VERSION', explain: 'The server answers with the version both will use, and any extensions.' },
  'sftp.pkt.OPEN': { title: 'SSH_FXP_OPEN', explain: 'Open a file with flags (READ, WRITE, CREAT, TRUNC…); the answer is a HANDLE or a STATUS error.' },
  'sftp.pkt.CLOSE': { title: 'SSH_FXP_CLOSE', explain: 'Release a file or directory handle.' },
  'sftp.pkt.READ': { title: 'SSH_FXP_READ', explain: 'Read up to len bytes at an offset. Clients pipeline many READs to fill the channel.' },
  'sftp.pkt.WRITE': { title: 'SSH_FXP_WRITE', explain: 'Write bytes at an offset; each WRITE is answered by a STATUS.' },
  'sftp.pkt.LSTAT': { title: 'SSH_FXP_LSTAT', explain: 'Attributes of a path without following a final symlink.' },
  'sftp.pkt.FSTAT': { title: 'SSH_FXP_FSTAT', explain: 'Attributes of an open handle.' },
  'sftp.pkt.SETSTAT': { title: 'SSH_FXP_SETSTAT', explain: 'Change attributes (permissions, times) of a path.' },
  'sftp.pkt.FSETSTAT': { title: 'SSH_FXP_FSETSTAT', explain: 'Change attributes of an open handle.' },
  'sftp.pkt.OPENDIR': { title: 'SSH_FXP_OPENDIR', explain: 'Open a directory for listing; returns a handle.' },
  'sftp.pkt.READDIR': { title: 'SSH_FXP_READDIR', explain: 'Next batch of directory entries (NAME), or STATUS EOF when done.' },
  'sftp.pkt.REMOVE': { title: 'SSH_FXP_REMOVE', explain: 'Delete a file.' },
  'sftp.pkt.MKDIR': { title: 'SSH_FXP_MKDIR', explain: 'Create a directory.' },
  'sftp.pkt.RMDIR': { title: 'SSH_FXP_RMDIR', explain: 'Remove an empty directory.' },
  'sftp.pkt.REALPATH': { title: 'SSH_FXP_REALPATH', explain: 'Canonicalise a path; "." gives the starting directory. Here "/" is the root of your sandbox.' },
  'sftp.pkt.STAT': { title: 'SSH_FXP_STAT', explain: 'Attributes of a path, following symlinks.' },
  'sftp.pkt.RENAME': { title: 'SSH_FXP_RENAME', explain: 'Rename or move a file; v3 fails if the target exists.' },
  'sftp.pkt.READLINK': { title: 'SSH_FXP_READLINK', explain: 'Read a symlink\'s target.' },
  'sftp.pkt.SYMLINK': { title: 'SSH_FXP_SYMLINK', explain: 'Create a symlink (refused in the lab: links could point out of the sandbox).' },
  'sftp.pkt.STATUS': { title: 'SSH_FXP_STATUS', explain: 'The result of a request that returns no data.' },
  'sftp.pkt.HANDLE': { title: 'SSH_FXP_HANDLE', explain: 'An opaque handle naming the open file or directory in later requests.' },
  'sftp.pkt.DATA': { title: 'SSH_FXP_DATA', explain: 'File bytes answering a READ (summarised here, never stored whole).' },
  'sftp.pkt.NAME': { title: 'SSH_FXP_NAME', explain: 'File names with a longname (like ls -l) and attributes.' },
  'sftp.pkt.ATTRS': { title: 'SSH_FXP_ATTRS', explain: 'Size, owner, permissions and times.' },
  'sftp.pkt.EXTENDED': { title: 'SSH_FXP_EXTENDED', explain: 'A vendor extension request.' },
  'sftp.pkt.EXTENDED_REPLY': { title: 'SSH_FXP_EXTENDED_REPLY', explain: 'The answer to a vendor extension.' },
  'sftp.status.OK': { title: 'SSH_FX_OK', explain: 'Success.' },
  'sftp.status.EOF': { title: 'SSH_FX_EOF', explain: 'End of file, or no more directory entries.' },
  'sftp.status.NO_SUCH_FILE': { title: 'SSH_FX_NO_SUCH_FILE', explain: 'The path does not exist (in your sandbox).' },
  'sftp.status.PERMISSION_DENIED': { title: 'SSH_FX_PERMISSION_DENIED', explain: 'Not allowed — e.g. a path that would leave the sandbox.' },
  'sftp.status.FAILURE': { title: 'SSH_FX_FAILURE', explain: 'The operation failed (target exists, directory not empty, invalid or too long path…).' },
  'sftp.status.BAD_MESSAGE': { title: 'SSH_FX_BAD_MESSAGE', explain: 'The request packet was malformed.' },
  'sftp.status.NO_CONNECTION': { title: 'SSH_FX_NO_CONNECTION', explain: 'Client-side pseudo-status: no connection.' },
  'sftp.status.CONNECTION_LOST': { title: 'SSH_FX_CONNECTION_LOST', explain: 'Client-side pseudo-status: connection lost.' },
  'sftp.status.OP_UNSUPPORTED': { title: 'SSH_FX_OP_UNSUPPORTED', explain: 'The server does not implement this operation.' },
  'sftp.transfer': { title: 'File transfer summary', explain: 'Bulk READ/WRITE traffic summarised: total bytes and time, not every packet.' },
};
