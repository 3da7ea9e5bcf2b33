import type { Lesson } from '../../../lib/lessons/types.ts';

/** Passwords and keys: what each method sends, what the server learns, and how a key login proves itself. */
export const sshPasswordsKeys: Lesson = {
  id: 'ssh-passwords-keys',
  lab: 'ssh',
  title: 'Passwords vs keys',
  summary: 'Log in with the password, fail with a wrong one, then with a key pair: the server checks a signature and never sees your private key.',
  minutes: 12,
  order: 3,
  goal:
    'Tell what travels in a password login (the password itself, inside the encrypted tunnel) from what travels in a key login (a public key and a signature), and read USERAUTH_FAILURE\'s list of methods that can continue.',
  steps: [
    {
      id: 'password',
      title: 'Log in with the password',
      do:
        'Connect in the SSH terminal and give the lab password. The USERAUTH_REQUEST carries the password itself: the tunnel hides it from the network, but the server — and anyone pretending to be the server — gets it in clear. That is why the host-key check comes first.',
      panel: 'handshake',
      try: ['ssh {{user}}@127.0.0.1 -p {{port ssh}}'],
      proof: { all: [{ dir: 'client', key: 'ssh.auth.password' }, { dir: 'server', key: 'ssh.msg.USERAUTH_SUCCESS' }] },
      hints: ['The lab masks the password in the transcript; the server still received it.'],
      ref: 'RFC 4252 §8; RFC 4251 §9.4.5',
    },
    {
      id: 'wrong-password',
      title: 'A wrong password',
      do:
        'Leave the session with exit, connect again and type a wrong password. The server answers USERAUTH_FAILURE with the methods that can still continue (publickey,password) and "partial success: false"; the client may try again. After a few failures the server ends the connection.',
      panel: 'handshake',
      try: ['exit', 'ssh {{user}}@127.0.0.1 -p {{port ssh}}'],
      proof: { all: [{ dir: 'client', key: 'ssh.auth.password' }, { dir: 'server', key: 'ssh.msg.USERAUTH_FAILURE', field: { name: 'partial success', value: 'false' } }] },
      hints: ['The terminal gives three tries, as OpenSSH does; the server allows six per connection.'],
      ref: 'RFC 4252 §5.1, §8',
    },
    {
      id: 'key-login',
      title: 'Log in with a key',
      do:
        'In the Keys & known_hosts tab generate a key pair; its public half goes into authorized_keys. Download the private key (id_ed25519 unless you named it), make it readable by you alone (chmod 600: OpenSSH refuses a key others may read) and log in with OpenSSH: ssh -i id_ed25519 -p {{port ssh}} {{user}}@{{host}}.\n\nOpenSSH first asks whether the server would accept this public key (a request without signature, answered USERAUTH_PK_OK), then sends the request again with a signature over the session identifier and the request itself. The server verifies it with the public key. The private key never leaves your machine.',
      panel: 'keys',
      shell: ['chmod 600 id_ed25519', 'ssh -i id_ed25519 -p {{port ssh}} {{user}}@{{host}}'],
      proof: {
        all: [
          { dir: 'client', key: 'ssh.auth.publickey.query' },
          { dir: 'server', key: 'ssh.msg.USERAUTH_PK_OK' },
          { dir: 'client', key: 'ssh.auth.publickey.signed' },
          { dir: 'server', key: 'ssh.msg.USERAUTH_SUCCESS' },
        ],
      },
      hints: ['OpenSSH refuses a private key file that others may read: chmod 600 it.', 'The terminal can use the key too: Log in with this key, or ssh -i NAME.'],
      ref: 'RFC 4252 §7',
    },
    {
      id: 'unknown-key',
      title: 'A key the server does not know',
      do:
        'Make a key pair of your own (ssh-keygen -t ed25519 -f other) and offer it: ssh -i other -o IdentitiesOnly=yes -p {{port ssh}} {{user}}@{{host}}. It is not in authorized_keys, so the server answers the first, unsigned request with USERAUTH_FAILURE: nothing secret was sent, and the client goes on to the next method.',
      panel: 'clients',
      shell: ['ssh-keygen -t ed25519 -f other', 'ssh -i other -o IdentitiesOnly=yes -p {{port ssh}} {{user}}@{{host}}'],
      proof: { all: [{ dir: 'client', key: 'ssh.auth.publickey.query' }, { dir: 'server', key: 'ssh.msg.USERAUTH_FAILURE' }] },
      hints: ['With -o BatchMode=yes OpenSSH gives up instead of asking for the password: "Permission denied (publickey,password)".'],
      ref: 'RFC 4252 §5.1, §7',
    },
  ],
};
