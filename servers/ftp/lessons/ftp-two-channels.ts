import type { Lesson } from '../../../lib/lessons/types.ts';

/** FTP's two channels: commands on one TCP connection, every listing and file on a fresh one; 227's six numbers decoded. */
export const ftpTwoChannels: Lesson = {
  id: 'ftp-two-channels',
  lab: 'ftp',
  title: 'Two channels and the 227 arithmetic',
  summary: 'Log in by hand, ask for passive mode, decode the six numbers of 227 and watch each transfer open its own data connection.',
  minutes: 12,
  order: 1,
  goal:
    'See that FTP keeps two kinds of TCP connection: one control connection for commands and replies, and a new data connection for every listing or file. Learn to read a 227 reply: h1,h2,h3,h4 is the address, p1×256+p2 the port.',
  steps: [
    {
      id: 'login',
      title: 'Log in on the control connection',
      do:
        'The console is a raw TCP connection to the lab\'s FTP server, like telnet to port {{port ftp}}. The server speaks first with 220.\n\nLog in with USER and PASS (the lab password is shown at the top of the page). USER is answered 331 "need password", PASS 230 "logged in". Everything you type here is the control connection: commands one way, three-digit replies the other.',
      panel: 'channels',
      try: ['USER {{user}}', 'PASS {{password}}'],
      proof: { all: [{ dir: 'client', key: 'ftp.cmd.USER' }, { dir: 'server', key: 'ftp.reply.331' }, { dir: 'client', key: 'ftp.cmd.PASS' }, { dir: 'server', key: 'ftp.reply.230.login' }] },
      hints: ['Wait for the 220 greeting before typing.', 'A wrong password gives 530; after 3 wrong ones the server closes the connection with 421.'],
      ref: 'RFC 959 §2.3, §4.1.1, §5.4',
    },
    {
      id: 'pasv',
      title: 'PASV: the server opens a port for you',
      do:
        'A listing or a file never travels on the control connection. Ask the server to open a data port with PASV. It answers 227 with six numbers in brackets: h1,h2,h3,h4,p1,p2.\n\nThe first four are the IPv4 address. The port is p1×256+p2: p1 is the port\'s high byte and p2 its low byte. For (127,0,0,1,117,48) the port is 117×256+48 = 30000.\n\nTurn on step mode before you send PASV: the lab holds the 227 and asks you for the port before the client sees it. The console then connects to that port for you, as curl or FileZilla would, and says so.',
      panel: 'channels',
      try: ['PASV'],
      proof: {
        all: [
          { dir: 'client', key: 'ftp.cmd.PASV' },
          { dir: 'server', key: 'ftp.reply.227', field: { name: 'port' } },
          { dir: 'note', key: 'ftp.data.passive', text: '\\(PASV\\)' },
        ],
      },
      question: {
        prompt: 'The server\'s 227 is held at the tap. Which port will the client connect to?',
        when: { dir: 'server', text: '^227 ' },
        answer: { from: { dir: 'server', key: 'ftp.reply.227' }, field: 'port' },
        explain:
          'p1×256+p2: the fifth number is the port\'s high byte, the sixth its low byte (RFC 959 §4.1.2, the PASV command: "the host and port address this server is listening on"). The client opens its data connection to exactly that port.',
      },
      hints: ['p1 is the fifth number, p2 the sixth.', 'EPSV does the same with only the port, written |||port|: try it too (RFC 2428 §3).'],
      ref: 'RFC 959 §4.1.2, §4.2.2',
    },
    {
      id: 'list',
      title: 'LIST: the listing comes over the data connection',
      do:
        'Now type LIST. On the control connection the server answers 150 (the transfer starts), then the listing arrives on the data connection — open the Channels tab: it is a separate connection, client → server, to the port of the 227.\n\nIn stream mode the end of the data is the server closing the data connection. Only after that does 226 come on the control connection.',
      panel: 'channels',
      try: ['LIST'],
      proof: { all: [{ dir: 'client', key: 'ftp.cmd.LIST' }, { dir: 'server', key: 'ftp.reply.150' }, { dir: 'note', key: 'ftp.data.eof' }, { dir: 'server', key: 'ftp.reply.226' }] },
      hints: ['LIST needs a data connection first: PASV (or EPSV) before each transfer.', 'The Channels tab draws the control and data connections as two lanes.'],
      ref: 'RFC 959 §3.2, §3.4.1, §4.1.3',
    },
    {
      id: 'second-transfer',
      title: 'A new data connection for every transfer',
      do:
        'Fetch a file: PASV again, then RETR README.txt. The 227 names a new port: the last data connection was closed to mark the end of the listing, and a closed connection cannot carry the next file.\n\nBefore you send RETR, turn on step mode: the lab holds your RETR and asks which reply comes first.',
      panel: 'channels',
      try: ['PASV', 'RETR README.txt'],
      proof: {
        all: [
          { dir: 'server', key: 'ftp.reply.226' },
          { dir: 'client', key: 'ftp.cmd.PASV' },
          { dir: 'server', key: 'ftp.reply.227' },
          { dir: 'client', key: 'ftp.cmd.RETR' },
          { dir: 'server', key: 'ftp.reply.150' },
          { dir: 'server', key: 'ftp.reply.226' },
        ],
      },
      question: {
        prompt: 'Your RETR is held at the tap. Which reply will the server send first?',
        when: { dir: 'client', text: '^RETR ' },
        choices: ['150', '226', '227', '250'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '150, "file status okay; about to open data connection": a 1yz preliminary reply. The server promises a second, final reply on the control connection — 226 once the data connection has carried the file and been closed, or 425/426/451 if it failed (RFC 959 §4.2, §4.2.2).',
      },
      hints: ['Step mode is the Step switch above the console; Step releases one message.', 'A 1yz reply is never the last word: wait for the 2yz, 4yz or 5yz after it.'],
      ref: 'RFC 959 §3.3, §4.2',
    },
  ],
};
