import type { Lesson } from '../../../lib/lessons/types.ts';

/** Explicit FTPS: AUTH TLS on the control connection, PBSZ 0 and PROT P/C for the data connections, as an eavesdropper sees them. */
export const ftps: Lesson = {
  id: 'ftps',
  lab: 'ftp',
  title: 'FTPS: AUTH TLS, PBSZ 0, PROT P and PROT C',
  summary: 'See your password on the wire in plain FTP, switch the control connection to TLS with AUTH TLS, then choose whether the data connections are encrypted too.',
  minutes: 15,
  order: 3,
  goal:
    'Know what each FTPS command protects: AUTH TLS encrypts the control connection (commands, USER, PASS); PBSZ 0 then PROT P encrypts every later data connection, PROT C leaves file contents readable — two lanes, two decisions.',
  steps: [
    {
      id: 'plain',
      title: 'Plain FTP: what an eavesdropper reads',
      do:
        'Download README.txt over plain FTP (the console, or `curl ftp://{{user}}:{{password}}@{{host}}:{{port ftp}}/README.txt`). Then switch the transcript to "What an eavesdropper sees".\n\nOn the control lane PASS carries the password readable; on the data lane the file\'s bytes are readable too. Nothing in plain FTP is encrypted.',
      panel: 'transcript',
      shell: ['curl ftp://{{user}}:{{password}}@{{host}}:{{port ftp}}/README.txt'],
      proof: {
        all: [
          { dir: 'client', view: 'wire', key: 'ftp.cmd.PASS', field: { name: 'password' } },
          { view: 'wire', key: 'ftp.data.plain' },
        ],
        anyConnection: true,
      },
      hints: ['The eavesdropper switch is above the transcript.', 'RFC 2577 §5 notes that standard FTP sends the password in clear text with PASS, and §6 that all of its data and control information crosses unencrypted; RFC 4217 §15.2.3: with TLS protecting the control session, that is no longer an issue.'],
      ref: 'RFC 2577 §5, §6; RFC 4217 §15.2.3',
    },
    {
      id: 'auth-tls',
      title: 'AUTH TLS: the control connection goes dark',
      do:
        'Open a new session and, before USER, type AUTH TLS. Turn on step mode first: the lab holds AUTH TLS and asks what the server answers.\n\nAfter that reply both sides run a TLS handshake on the same TCP connection (the console does it for you). From then on the wire shows only TLS records; log in with USER and PASS and compare the two views: the endpoint view shows PASS masked by the server, the eavesdropper only record lengths.',
      panel: 'transcript',
      try: ['AUTH TLS', 'USER {{user}}', 'PASS {{password}}'],
      proof: {
        all: [
          { dir: 'client', key: 'ftp.cmd.AUTH' },
          { dir: 'server', key: 'ftp.reply.234' },
          { dir: 'note', key: 'ftp.tls.switch' },
          { view: 'wire', kind: 'tls-record' },
          { view: 'endpoint', key: 'ftp.cmd.PASS.tls' },
        ],
      },
      question: {
        prompt: 'AUTH TLS is held at the tap. What will the server answer if it agrees to TLS?',
        when: { dir: 'client', text: '^AUTH TLS' },
        choices: ['200', '234', '334', '530'],
        answer: { from: { dir: 'server', kind: 'reply' } },
        explain:
          '234: "AUTH TLS accepted, start the TLS handshake". RFC 4217 §4.2 makes 234 the reply to an AUTH TLS the server will honour, and notes that 334 (which would announce an ADAT exchange) is wrong here. After the handshake the client must log in again: AUTH resets the session, almost like REIN.',
      },
      hints: ['AUTH TLS must come before USER, or the password has already crossed in clear.', 'Anything typed on the same line as AUTH TLS before the 234 is discarded by the lab\'s server: its own guard against injected commands, not an RFC 4217 rule.'],
      ref: 'RFC 4217 §4, §4.1, §4.2',
    },
    {
      id: 'prot-p',
      title: 'PBSZ 0, PROT P: the data lane goes dark too',
      do:
        'AUTH TLS protects only the control connection. To encrypt the data connections, send PBSZ 0 (a formality TLS does not need, but required first) and PROT P ("private"). Then download a file.\n\nThe data connection now starts with its own TLS handshake, and the eavesdropper sees only records. In client mode (`:client`, `secure on`) or with basic-ftp this is what "secure" does.',
      panel: 'transcript',
      try: ['PBSZ 0', 'PROT P', 'PASV', 'RETR README.txt'],
      proof: {
        all: [
          { dir: 'client', key: 'ftp.cmd.PBSZ' },
          { dir: 'server', key: 'ftp.reply.200.pbsz' },
          { dir: 'client', key: 'ftp.cmd.PROT', text: '^PROT P' },
          { dir: 'server', key: 'ftp.reply.200.prot' },
          { dir: 'note', key: 'ftp.data.eof', field: { name: 'protection', value: '/PROT P/' } },
        ],
      },
      hints: ['PROT without PBSZ first is answered 503 (bad sequence).', 'The protection level stays until the next PROT (RFC 4217 §9).'],
      ref: 'RFC 4217 §8, §9',
    },
    {
      id: 'prot-c',
      title: 'PROT C: an encrypted control lane over a clear data lane',
      do:
        'PROT C ("clear") is the default: the commands stay encrypted, but files travel in the clear. Upload a file of a few kilobytes and download it again with PROT C: in the console with the lines below (STOR protc.txt sends about 5 KB of sample lines once the server has answered 150), or with a file of your own, for example `lftp -u {{user}} -p {{port ftp}} -e "set ftp:ssl-force true; set ftp:ssl-protect-data false; set ssl:verify-certificate no; put big.txt; get big.txt -o copy.txt; bye" {{host}}`.\n\nThe eavesdropper sees TLS records on the control lane and the file\'s contents on the data lane.',
      panel: 'transcript',
      try: ['PBSZ 0', 'PROT C', 'PASV', 'STOR protc.txt', 'PASV', 'RETR protc.txt'],
      proof: {
        all: [
          { dir: 'client', key: 'ftp.cmd.PROT', text: '^PROT C' },
          { dir: 'server', key: 'ftp.reply.200.prot' },
          { dir: 'note', key: 'ftp.data.eof', field: { name: 'protection', value: 'clear' } },
        ],
      },
      whatIf: {
        fault: 'ftp.data-drop',
        explain:
          'With the fault on, the lab cuts the next data connection after 1,000 bytes. Download your file of a few kilobytes again (PASV, then RETR protc.txt in the console, or lftp\'s get big.txt): it stops short, and nothing on the data lane says "the end" — in stream mode the end of a file IS the close of its data connection, so a cut looks like a short file. The server answers 426 when it notices the reset, but a small file may already be in the kernel\'s buffers and get 226; only counting always shows the loss: SIZE protc.txt before the download says how many bytes to expect (RFC 959 §3.3, §3.4.1; RFC 3659 §4). This lab\'s 150 names no size; some servers add it to the 150 text, but nothing in RFC 959 asks them to.',
        proof: { all: [{ injectedBy: 'ftp.data-drop' }] },
      },
      hints: ['The initial state of the data connection is Clear (RFC 4217 §9): a client that never sends PROT P sends files in the clear.', 'README.txt is smaller than 1,000 bytes: use protc.txt (about 5 KB) or a bigger file of your own for the what-if.'],
      ref: 'RFC 4217 §9',
    },
  ],
};
