import type { Lesson } from '../../../lib/lessons/types.ts';

/** NULL vs an SSH tunnel vs CURVE: who can read a ZeroMQ conversation. */
export const zmqSecurity: Lesson = {
  id: 'zmq-security',
  lab: 'zmq',
  title: 'NULL vs tunnel vs CURVE',
  summary: 'Read a NULL conversation on the wire, hide it in an SSH tunnel, then encrypt it inside ZMTP itself with CURVE.',
  minutes: 15,
  order: 3,
  goal:
    'Know three ways to run ZeroMQ: NULL (no authentication, no encryption — anyone on the path reads every frame), the same through an SSH tunnel (SSH encrypts, the server needs an SSH account), and CURVE (CurveZMQ inside ZMTP: the client must know the server\'s public key, every message is a box between short-term keys).',
  steps: [
    {
      id: 'null',
      title: 'NULL: everything in clear',
      do:
        'Send `hello 1` in the REQ/REP tab and switch to "What an eavesdropper sees". The greeting says mechanism NULL, and the frames carry "Hello" and "World" readable. NULL should not be used on a network you do not trust: the specification asks for transport-level security (a VPN, an SSH tunnel) around it.',
      panel: 'req',
      try: ['hello 1'],
      proof: {
        all: [
          { view: 'wire', key: 'zmtp.greeting.rest', field: { name: 'mechanism', value: 'NULL' } },
          { view: 'wire', dir: 'client', key: 'zmtp.frame.message', text: 'Hello' },
          { view: 'wire', dir: 'server', key: 'zmtp.frame.message', text: 'World' },
        ],
      },
      hints: ['The seed binds its REP to 127.0.0.1 for this reason and reaches it through SSH.'],
      ref: 'ZMTP RFC 37 §3.8, §9',
    },
    {
      id: 'tunnel',
      title: 'The same through an SSH tunnel',
      do:
        'In the SSH tunnel tab send `hello 1`, or run `ssh -N -L 127.0.0.1:15557:127.0.0.1:{{port zmq}} -p {{port ssh}} {{user}}@{{host}}` and point the seed\'s client at tcp://127.0.0.1:15557. The client opens a direct-tcpip channel; the lab\'s SSH server connects to the REP for it. On the SSH connection an eavesdropper sees only encrypted packets; the ZeroMQ connection appears as a child of the SSH one.',
      panel: 'tunnel',
      try: ['hello 1'],
      proof: {
        all: [
          { protocol: 'ssh', key: 'ssh.msg.CHANNEL_OPEN', text: 'direct-tcpip' },
          { protocol: 'ssh', key: 'ssh.forward.allowed' },
          { protocol: 'zmq', dir: 'client', key: 'zmtp.frame.message', text: 'Hello' },
        ],
        anyConnection: true,
      },
      hints: ['The seed\'s tunnel listens on 5557, which is the PUSH port of a lab with the default ZMQ_BASE_PORT, so the tunnel\'s local end moves to 15557.', 'The tunnel needs an SSH account on the server; CURVE does not.'],
      ref: 'RFC 4254 §7.2',
    },
    {
      id: 'curve',
      title: 'CURVE: encryption inside ZMTP',
      do:
        'In the CURVE tab send `hello 1` (or give a zmq.REQ curve_serverkey = the lab\'s public key from the page, and your own curve_keypair). The greetings say mechanism CURVE. HELLO carries the client\'s short-term key and proves it knows the server\'s key; WELCOME returns the server\'s short-term key in a box; INITIATE and READY finish; then each message is a MESSAGE box. The eavesdropper sees sizes and nonces, never "Hello".',
      panel: 'curve',
      try: ['hello 1'],
      proof: {
        all: [
          { key: 'zmtp.greeting.rest', field: { name: 'mechanism', value: 'CURVE' } },
          { dir: 'client', key: 'zmtp.curve.HELLO' },
          { dir: 'server', key: 'zmtp.curve.WELCOME' },
          { dir: 'client', key: 'zmtp.curve.INITIATE' },
          { dir: 'client', key: 'zmtp.curve.MESSAGE' },
        ],
      },
      hints: ['`wrongkey` in the CURVE console tries a client with the wrong server key: the server cannot open its HELLO and the handshake ends there.'],
      ref: 'ZeroMQ RFC 26 §2.7.1, §2.7.2, §2.7.3, §2.7.5',
    },
  ],
};
