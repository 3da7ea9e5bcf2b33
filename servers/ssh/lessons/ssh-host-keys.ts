import type { Lesson } from '../../../lib/lessons/types.ts';

/** Host keys: the fingerprint question, known_hosts, and what a changed key (a man in the middle, or a reinstall) looks like. */
export const sshHostKeys: Lesson = {
  id: 'ssh-host-keys',
  lab: 'ssh',
  title: 'Host keys and a man in the middle',
  summary: 'Why SSH asks "are you sure?" the first time, what known_hosts remembers, and the warning you get when the server\'s key changes.',
  minutes: 12,
  order: 2,
  goal:
    'Check a host key by its fingerprint, know what known_hosts is for, recognise "REMOTE HOST IDENTIFICATION HAS CHANGED!" as what a man in the middle looks like, and recover only after checking the new key.',
  steps: [
    {
      id: 'first-contact',
      title: 'First contact: check the fingerprint',
      do:
        'Connect in the SSH terminal. A client that has never seen this server cannot know whether the key is really the server\'s: it shows the key\'s fingerprint (SHA256:… — a hash of the public key) and asks. Compare it with the server\'s fingerprint in the Keys & known_hosts tab (The server\'s host keys) — the page is your second, independent channel — then type yes.\n\nIf the terminal does not ask, it knows the key already: remove the line in the Keys & known_hosts tab and connect again.',
      panel: 'keys',
      try: ['ssh {{user}}@127.0.0.1 -p {{port ssh}}', 'yes'],
      proof: { all: [{ view: 'wire', dir: 'server', key: 'ssh.msg.KEX_ECDH_REPLY', field: { name: 'K_S fingerprint', value: '/^SHA256:/' } }, { key: 'ssh.hostkey.accepted' }] },
      hints: ['Typing the fingerprint itself instead of yes also accepts it (OpenSSH allows that).', 'no ends the connection: "Host key verification failed."'],
      ref: 'RFC 4251 §4.1',
    },
    {
      id: 'known-host',
      title: 'known_hosts: the second time, no question',
      do:
        'Log out (exit) and connect again. No question this time: the key matched the line that yes wrote into known_hosts (see the Keys & known_hosts tab: host, key type, key). From now on the client notices if the server ever shows another key.',
      panel: 'keys',
      try: ['exit', 'ssh {{user}}@127.0.0.1 -p {{port ssh}}'],
      proof: { all: [{ view: 'wire', dir: 'server', key: 'ssh.msg.KEX_ECDH_REPLY' }, { key: 'ssh.hostkey.known' }] },
      hints: ['OpenSSH keeps its own file, ~/.ssh/known_hosts, separate from this terminal\'s.'],
      ref: 'RFC 4251 §4.1',
    },
    {
      id: 'changed',
      title: 'The key changes: what a man in the middle looks like',
      do:
        'Press Try it below (or Rotate host key in the Failures tab; in a class the teacher does, as every sandbox shares the server\'s key): the server gets new host keys, as after a reinstall — or as if someone in the middle answered with his own key. Connect again in the SSH terminal. The key no longer matches your known_hosts line, and the terminal refuses with OpenSSH\'s "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@" and "Host key verification failed." It stops before NEWKEYS, before your password.',
      panel: 'faults',
      try: ['ssh {{user}}@127.0.0.1 -p {{port ssh}}'],
      proof: { all: [{ key: 'ssh.hostkey.changed' }] },
      hints: ['The Keys & known_hosts tab now marks your known_hosts line as not the server\'s current key.', 'Until the next step removes the stale line, every connection in this terminal ends the same way.'],
      ref: 'RFC 4251 §9.3.4',
      whatIf: {
        fault: 'ssh.hostkey-change',
        explain:
          'With this fault on, the server gets new host keys before your next connection. The terminal finds a known host with a different key and refuses with OpenSSH\'s "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@" — it cannot tell a reinstalled server from a man in the middle who answers with his own key, so it stops before sending NEWKEYS or your password (RFC 4251 §9.3.4).',
        proof: { all: [{ injectedBy: 'ssh.hostkey-change' }, { key: 'ssh.hostkey.changed' }] },
      },
    },
    {
      id: 'forget',
      title: 'Forget a key, then accept it again — only after checking',
      do:
        'The server really got a new key in the last step (a rotation, by you or in a class by the teacher, not an attacker this time), so the stale line must go: remove it in the Keys & known_hosts tab, as ssh-keygen -R "[127.0.0.1]:{{port ssh}}" does. Connect again: first contact once more. Check the fingerprint against the server\'s host keys in the Keys & known_hosts tab before you type yes — skipping that check is exactly what a man in the middle hopes for.',
      panel: 'keys',
      try: ['ssh {{user}}@127.0.0.1 -p {{port ssh}}', 'yes'],
      // Only a key accepted after the change counts: a first contact alone (step 1) is not a recovery.
      proof: { all: [{ key: 'ssh.hostkey.changed' }, { key: 'ssh.hostkey.accepted' }], anyConnection: true },
      hints: ['The removal is the Remove button beside the line in the Keys & known_hosts tab.'],
      ref: 'RFC 4251 §4.1, §9.3.4',
    },
    {
      id: 'openssh',
      title: 'The same check in OpenSSH',
      do:
        'From a shell on this machine, connect with OpenSSH (the Own client tab has the command). It prints the same question and fingerprint; once you answer yes it writes ~/.ssh/known_hosts and the handshake goes on: the client\'s NEWKEYS in the transcript is the sign that it accepted the key.',
      panel: 'clients',
      shell: ['ssh -p {{port ssh}} {{user}}@{{host}}'],
      proof: { all: [{ view: 'wire', dir: 'client', kind: 'version', text: 'OpenSSH' }, { view: 'wire', dir: 'server', key: 'ssh.msg.KEX_ECDH_REPLY' }, { view: 'wire', dir: 'client', key: 'ssh.msg.NEWKEYS' }] },
      hints: ['ssh-keyscan -p {{port ssh}} {{host}} | ssh-keygen -lf - prints the server\'s fingerprints as OpenSSH computes them.', 'If OpenSSH warns that the remote host identification has changed, it met this server before the rotation: ssh-keygen -R "[{{host}}]:{{port ssh}}" forgets the old key.'],
      ref: 'RFC 4253 §7.3, §8',
    },
  ],
};
