import type { Lesson } from '../../../lib/lessons/types.ts';

/** Who connects to whom: active mode (PORT, the server connects back) fails behind a client firewall; passive works. */
export const ftpActivePassive: Lesson = {
  id: 'ftp-active-passive',
  lab: 'ftp',
  title: 'Active vs passive behind a firewall',
  summary: 'Let the server connect back to you (PORT), switch on the client firewall and get 425, then see why passive mode gets through.',
  minutes: 12,
  order: 2,
  goal:
    'Know which side opens the data connection in each mode: in active mode (PORT/EPRT) the server connects to the client, which a client firewall or NAT router blocks; in passive mode (PASV/EPSV) the client connects to the server, which gets through.',
  steps: [
    {
      id: 'active',
      title: 'Active mode: the server connects to you',
      do:
        'Log in, then type a bare PORT: the console opens a port on your side and sends PORT h1,h2,h3,h4,p1,p2 with your address filled in. The server answers 200 and, when you type LIST, it connects to THAT address — the Channels tab shows the data connection going server → client.\n\nWith curl, `curl -P - ftp://{{user}}:{{password}}@{{host}}:{{port ftp}}/` does the same with EPRT.',
      panel: 'channels',
      try: ['USER {{user}}', 'PASS {{password}}', 'PORT', 'LIST'],
      proof: {
        all: [
          { dir: 'client', kind: 'command', text: '^(PORT|EPRT) ' },
          { dir: 'server', key: 'ftp.reply.200.port' },
          { dir: 'client', kind: 'command', text: '^(LIST|NLST|RETR)\\b' },
          { dir: 'note', key: 'ftp.data.active' },
          { dir: 'server', key: 'ftp.reply.150' },
          { dir: 'server', key: 'ftp.reply.226' },
        ],
      },
      hints: ['PORT only names the port; the connection is opened by the server when a transfer command comes.', 'Servers today refuse a PORT naming someone else\'s address: that stops the bounce attack (RFC 2577 §3 suggests refusing ports below 1024, or PORT altogether).'],
      ref: 'RFC 959 §3.2, §4.1.2',
    },
    {
      id: 'firewall',
      title: 'Switch on the client firewall: 425',
      do:
        'Turn on the "Firewall/NAT" switch at the top of the page. It simulates a firewall in front of the client and drops connections made TO the client, as a home router does. Now repeat active mode: PORT, then LIST.\n\nTurn on step mode before LIST: the lab holds it and asks what the server will answer.',
      panel: 'channels',
      try: ['PORT', 'LIST'],
      proof: {
        all: [
          { dir: 'client', kind: 'command', text: '^(PORT|EPRT) ' },
          { dir: 'server', key: 'ftp.reply.200.port' },
          { dir: 'client', kind: 'command', text: '^(LIST|NLST|RETR)\\b' },
          { dir: 'note', key: 'ftp.data.firewall' },
          { dir: 'server', key: 'ftp.reply.425' },
        ],
      },
      question: {
        prompt: 'The firewall is on and your LIST is held. What will the server answer?',
        when: { dir: 'client', text: '^LIST\\b' },
        choices: ['150', '226', '425', '530'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '425, "can\'t open data connection": the server tried to connect back to the address of your PORT and the firewall dropped it. PORT itself was accepted (200) because nothing is connected at that point; the failure shows only when a transfer needs the connection (RFC 959 §4.2.2; RFC 4217 §7 calls passive mode the "firewall-friendly" exchange).',
      },
      hints: ['The switch is at the top of the page: "Firewall/NAT: off" becomes "on".', 'The server cannot tell a firewall from a dead client: either way its connect fails.'],
      ref: 'RFC 959 §4.2.2; RFC 4217 §7',
    },
    {
      id: 'passive',
      title: 'Passive mode gets through',
      do:
        'Leave the firewall on and use passive mode: PASV (or EPSV), then LIST. This time the client opens the data connection to the server, an outgoing connection the firewall lets through, and the listing arrives.\n\nThat is why browsers, curl and FileZilla use passive mode by default. Switch the firewall off again when you are done.',
      panel: 'channels',
      try: ['PASV', 'LIST'],
      proof: {
        all: [{ dir: 'client', kind: 'command', text: '^(PASV|EPSV)' }, { dir: 'note', key: 'ftp.data.passive' }, { dir: 'server', key: 'ftp.reply.150' }, { dir: 'server', key: 'ftp.reply.226' }],
      },
      whatIf: {
        fault: 'ftp.pasv-unreachable',
        explain:
          'Now the lab rewrites the server\'s 227 (or 229) to a port where nothing listens, as a server behind NAT does when it advertises an address you cannot reach. Try `curl --disable-epsv` or PASV + LIST again: the rewritten reply is marked as injected, and the client\'s connection to it fails — passive mode only works if the announced address is reachable (RFC 959 §4.1.2; RFC 2428 §3).',
        proof: { all: [{ dir: 'server', injectedBy: 'ftp.pasv-unreachable' }] },
      },
      hints: ['Passive: the client connects. Active: the server connects.', 'The Own client tab shows curl and lftp commands in both modes.'],
      ref: 'RFC 959 §3.2, §4.1.2; RFC 2428 §3',
    },
  ],
};
