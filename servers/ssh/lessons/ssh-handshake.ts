import type { Lesson } from '../../../lib/lessons/types.ts';

/** The ten steps of an SSH connection, as the handshake timeline shows them, each proven on the wire or by the server. */
export const sshHandshake: Lesson = {
  id: 'ssh-handshake',
  lab: 'ssh',
  title: 'The ten steps of an SSH connection',
  summary: 'Log in with the SSH terminal and follow the connection from the version lines to DISCONNECT: KEXINIT, ECDH, the host-key check, NEWKEYS, authentication, a channel.',
  minutes: 15,
  order: 1,
  goal:
    'Name the ten steps of an SSH connection in order and say what each one does — in particular that both sides compute the same secret by ECDH and that no key is ever sent encrypted with the server\'s key.',
  steps: [
    {
      id: 'version',
      title: '1. Version exchange',
      do:
        'Turn on step mode first (Step mode in the toolbar): the lab then holds each message at the tap until you press Step ▸, so you follow the connection one message at a time, and at step 5 the lesson asks you a question while the server\'s KEX_ECDH_REPLY is held. Then press Enter in the SSH terminal (or type ssh {{user}}@127.0.0.1 -p {{port ssh}}) and open the Handshake tab.\n\nBoth sides first send one line of text, in clear: "SSH-2.0-" and the software\'s name. Both lines are later hashed into the exchange hash H, so a tampered line breaks the handshake.',
      panel: 'handshake',
      try: ['ssh {{user}}@127.0.0.1 -p {{port ssh}}'],
      proof: { all: [{ view: 'wire', kind: 'version', text: '^SSH-2\\.0-' }, { view: 'wire', kind: 'version', text: '^SSH-2\\.0-' }] },
      hints: ['If the terminal shows a $ prompt, just press Enter: it connects to the lab\'s SSH server.', 'Play lets the held messages through at a pace; turning step mode off lets everything through at once.'],
      ref: 'RFC 4253 §4.2',
    },
    {
      id: 'kexinit',
      title: '2. KEXINIT both ways: choosing the algorithms',
      do:
        'Each side sends KEXINIT: its lists of key exchange methods, host key types, ciphers, MACs and compression, best first. For each category the winner is the first algorithm on the CLIENT\'s list that the server also supports. The timeline shows both lists and the choice.',
      panel: 'handshake',
      proof: { all: [{ view: 'wire', key: 'ssh.msg.KEXINIT' }, { view: 'wire', key: 'ssh.msg.KEXINIT' }, { key: 'ssh.kex.negotiated' }] },
      hints: ['Click the KEXINIT rows in the Transcript: kex_algorithms, encryption_algorithms_client_to_server…'],
      ref: 'RFC 4253 §7, §7.1',
    },
    {
      id: 'ecdh',
      title: '3. ECDH: a shared secret that never crosses the wire',
      do:
        'The client sends KEX_ECDH_INIT with a fresh public value Q_C; the server answers KEX_ECDH_REPLY with its public value Q_S, its host key K_S and a signature. Each side combines its own private value with the other\'s public one and gets the same secret K. K itself is never sent — not even encrypted. (Old notes say the client "sends a session key encrypted with the server\'s public key": that is SSH-1 and TLS-RSA, not SSH-2.)',
      panel: 'handshake',
      proof: { all: [{ view: 'wire', dir: 'client', key: 'ssh.msg.KEX_ECDH_INIT' }, { view: 'wire', dir: 'server', key: 'ssh.msg.KEX_ECDH_REPLY' }] },
      hints: ['curve25519-sha256: public values of 32 bytes each; look for Q_C and Q_S in the fields.'],
      ref: 'RFC 5656 §4; RFC 8731 §3; RFC 4253 §8',
    },
    {
      id: 'hostkey',
      title: '4. The host-key check',
      do:
        'The server signed the exchange hash H with its host key. The client checks that the signature is valid and asks: is this key really the server I meant? The terminal compares the key with its known_hosts; on first contact it shows the fingerprint and asks you. Compare it with the server\'s fingerprint in the Keys & known_hosts tab (The server\'s host keys) before you type yes.',
      panel: 'keys',
      proof: { all: [{ view: 'wire', dir: 'server', key: 'ssh.msg.KEX_ECDH_REPLY' }, { key: 'ssh.hostkey.*' }] },
      hints: ['The check happens inside the client; the lab knows of it because its own terminal notes it on the connection.'],
      ref: 'RFC 4251 §4.1; RFC 4253 §8',
    },
    {
      id: 'newkeys',
      title: '5. NEWKEYS both ways: switching to the new keys',
      do:
        'Both sides derive their encryption and MAC keys from K and H and say NEWKEYS; every packet after it uses the new keys. With step mode on (step 1), the lab holds the server\'s KEX_ECDH_REPLY and asks below what the client sends once it has checked it. If you connected without step mode, turn it on and connect again (exit first if you are logged in).',
      panel: 'handshake',
      proof: { all: [{ view: 'wire', dir: 'server', key: 'ssh.msg.NEWKEYS' }, { view: 'wire', dir: 'client', key: 'ssh.msg.NEWKEYS' }] },
      question: {
        prompt: 'The server\'s KEX_ECDH_REPLY is held at the tap. Once the client has checked it, what is the next message the client sends?',
        when: { dir: 'server', text: '^KEX_ECDH_REPLY' },
        choices: ['NEWKEYS', 'SERVICE_REQUEST', 'USERAUTH_REQUEST', 'KEXINIT'],
        answer: { from: { dir: 'client', view: 'wire', kind: 'packet' } },
        explain:
          'NEWKEYS: key exchange ends with each side sending SSH_MSG_NEWKEYS, still under the old (no) keys; everything after it uses the new ones (RFC 4253 §7.3). A client that does not accept the host key never gets that far: it disconnects instead.',
      },
      hints: ['NEWKEYS is the last packet an eavesdropper can read.'],
      ref: 'RFC 4253 §7.2, §7.3',
    },
    {
      id: 'service',
      title: '6. Asking for ssh-userauth',
      do:
        'Inside the encrypted tunnel the client asks for the authentication service: SERVICE_REQUEST "ssh-userauth", answered SERVICE_ACCEPT. From here on, only the endpoint view shows what is said; the wire shows encrypted packets (their lengths too only with AES-GCM or an -etm MAC; chacha20-poly1305 encrypts the length as well).',
      panel: 'handshake',
      proof: { all: [{ dir: 'client', key: 'ssh.msg.SERVICE_REQUEST' }, { dir: 'server', key: 'ssh.msg.SERVICE_ACCEPT' }] },
      hints: ['Switch the transcript to "What an eavesdropper sees" and back.'],
      ref: 'RFC 4253 §10',
    },
    {
      id: 'userauth',
      title: '7. Logging in',
      do:
        'The client asks to log in as {{user}}, typically first with method "none" to learn which methods the server accepts (USERAUTH_FAILURE lists them), then with the password or a key. USERAUTH_SUCCESS ends authentication.',
      panel: 'handshake',
      proof: { all: [{ dir: 'client', key: 'ssh.auth.*' }, { dir: 'server', key: 'ssh.msg.USERAUTH_SUCCESS' }] },
      hints: ['The password prompt does not echo what you type; the lab password is on the page.'],
      ref: 'RFC 4252 §5, §5.1',
    },
    {
      id: 'channel',
      title: '8. Opening a session channel',
      do:
        'One SSH connection carries many channels. The client opens a "session" channel, asks for a pseudo-terminal (pty-req) and a shell — or runs one command (exec) or a subsystem such as sftp.',
      panel: 'handshake',
      proof: { all: [{ dir: 'client', key: 'ssh.msg.CHANNEL_OPEN', text: 'session' }, { dir: 'server', key: 'ssh.msg.CHANNEL_OPEN_CONFIRMATION' }, { dir: 'client', key: 'ssh.channel.*', text: '(shell|exec|subsystem)' }] },
      hints: ['ssh {{user}}@127.0.0.1 -p {{port ssh}} ls runs ls with exec instead of opening a shell.'],
      ref: 'RFC 4254 §5.1, §6.1, §6.5',
    },
    {
      id: 'data',
      title: '9. Data in the channel',
      do:
        'Type a command in the shell, for example ls. Your keystrokes and the output travel as CHANNEL_DATA inside the tunnel; the eavesdropper sees encrypted packets of a few dozen bytes — and, from their sizes and timing, that someone is typing.',
      panel: 'handshake',
      try: ['ls'],
      proof: { all: [{ view: 'wire', key: 'ssh.encrypted*' }, { dir: 'client', key: 'ssh.shell.command' }] },
      hints: ['This lab\'s shell is simulated: no real program runs on the machine.'],
      ref: 'RFC 4254 §5.2, §6.5; RFC 4251 §9.3.9',
    },
    {
      id: 'close',
      title: '10. Closing',
      do:
        'Type exit. The server reports the exit status, both sides send CHANNEL_EOF and CHANNEL_CLOSE, and the client ends the connection (usually with DISCONNECT).',
      panel: 'handshake',
      try: ['exit'],
      proof: { all: [{ dir: 'server', key: 'ssh.channel.exit-status' }, { key: 'ssh.msg.CHANNEL_CLOSE' }, { key: 'ssh.closed' }] },
      hints: ['Closing the channel and closing the connection are two separate steps.'],
      ref: 'RFC 4254 §5.3, §6.10; RFC 4253 §11.1',
    },
  ],
};
