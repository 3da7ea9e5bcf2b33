import type { Lesson } from '../../../lib/lessons/types.ts';

/** ZeroMQ's core socket patterns as ZMTP shows them: REQ/REP, PUB/SUB, PUSH/PULL, PAIR, and an illegal pair. */
export const zmqPatterns: Lesson = {
  id: 'zmq-patterns',
  lab: 'zmq',
  title: 'Four socket patterns on the wire',
  summary: 'Talk to the lab\'s REP, PUB, PUSH and PAIR sockets and see how ZMTP announces each socket type, frames messages, and refuses a pair that does not fit.',
  minutes: 15,
  order: 1,
  goal:
    'Know the four core patterns by what crosses the wire: every connection starts with a 64-octet greeting and a READY naming the socket type; REQ/REP adds an empty delimiter frame, SUB tells the PUB what to send with SUBSCRIBE, PUSH hands each task to one worker, PAIR talks to exactly one peer. Socket types that do not belong together never get past the handshake.',
  steps: [
    {
      id: 'req-rep',
      title: 'REQ/REP: the seed\'s Hello, World',
      do:
        'In the REQ/REP tab type `hello 3`, or run the seed\'s client (Own client tab: python3 with zmq.REQ connected to tcp://{{host}}:{{port zmq}}). Each side sends its greeting, then READY with Socket-Type REQ or REP (the NULL handshake). Every request is two frames: an empty delimiter, then "Hello". The REP answers with the same envelope and "World from {{port zmq}}".',
      panel: 'req',
      try: ['hello 3'],
      proof: {
        all: [
          { key: 'zmtp.greeting.rest', field: { name: 'mechanism', value: 'NULL' } },
          { dir: 'client', key: 'zmtp.cmd.READY', field: { name: 'Socket-Type', value: '"REQ"' } },
          { dir: 'client', key: 'zmtp.frame.delimiter' },
          { dir: 'client', key: 'zmtp.frame.message' },
          { dir: 'server', key: 'zmtp.frame.message', text: 'World' },
        ],
      },
      hints: ['A REQ must wait for each reply before it sends the next request: strict lock-step.', 'The REP waits its think time (1 s by default) before answering.'],
      ref: 'ZMTP RFC 37 §3.8, §3.9.1, §4.1; ZeroMQ RFC 28 §4, §5',
    },
    {
      id: 'pub-sub',
      title: 'PUB/SUB: the subscriber says what it wants',
      do:
        'In the PUB/SUB tab type `subscribe weather.` (or connect a zmq.SUB to port {{port zmq-pub}} and set SUBSCRIBE). The SUB sends a SUBSCRIBE command with the prefix; the PUB then sends only matching messages on this connection: a topic frame (MORE set), then the body.\n\nFiltering happens at the publisher, so unwanted topics never cross the wire.',
      panel: 'sub',
      try: ['subscribe weather.'],
      proof: {
        all: [
          { dir: 'client', key: 'zmtp.cmd.READY', field: { name: 'Socket-Type', value: '"SUB"' } },
          { dir: 'client', key: 'zmtp.cmd.SUBSCRIBE' },
          { dir: 'server', key: 'zmtp.frame.part' },
          { dir: 'server', key: 'zmtp.frame.message' },
        ],
      },
      hints: ['An empty prefix subscribes to everything.', 'ZMTP 3.0 peers subscribe with a message starting 0x01 instead of the SUBSCRIBE command (ZMTP RFC 23 §5.2; RFC 37 §4.2).'],
      ref: 'ZMTP RFC 37 §4.2',
    },
    {
      id: 'push-pull',
      title: 'PUSH/PULL: tasks to workers, results to a sink',
      do:
        'In the PUSH/PULL tab start workers, or connect your own: a zmq.PULL to the ventilator on port {{port zmq-push}} receives tasks, a zmq.PUSH to the sink on port {{port zmq-pull}} returns results. Each task goes to one worker (round robin); nothing comes back on the same socket.',
      panel: 'workers',
      try: ['start 3'],
      proof: {
        all: [
          { dir: 'client', key: 'zmtp.cmd.READY', field: { name: 'Socket-Type', value: '"PULL"' } },
          { dir: 'server', key: 'zmtp.frame.message', text: 'task' },
        ],
      },
      hints: ['With three workers, count the tasks each one gets.'],
      ref: 'ZMTP RFC 37 §4.3',
    },
    {
      id: 'pair',
      title: 'PAIR: one peer, both directions',
      do:
        'In the PAIR tab send a line, or connect a zmq.PAIR to port {{port zmq-pair}} and send "ping". PAIR is an exclusive connection to one peer: both sides may send at any time, no envelope, no filtering. A second PAIR peer completes its handshake and is then ignored.\n\nThe lab\'s PAIR takes one peer, and the PAIR tab\'s console is that peer while it is connected: to use your own client instead, type `disconnect` in the PAIR tab first, or your client is the ignored second peer (the console tells you when one connects).',
      panel: 'pair',
      try: ['ping'],
      proof: {
        all: [
          { dir: 'client', key: 'zmtp.cmd.READY', field: { name: 'Socket-Type', value: '"PAIR"' } },
          { dir: 'client', key: 'zmtp.frame.message' },
          { dir: 'server', key: 'zmtp.frame.message', text: 'PAIR heard' },
        ],
      },
      hints: ['PAIR is meant for two threads of one program (inproc), not for a network of peers.', 'Your own PAIR got no reply (zmq.error.Again)? The page\'s PAIR console held the one place: `disconnect` there, then run your client again; the connection already ignored stays ignored.'],
      ref: 'ZMTP RFC 37 §4.4; ZeroMQ RFC 31 §4',
    },
    {
      id: 'illegal-pair',
      title: 'A REQ at the PUB: no handshake',
      do:
        'Connect a zmq.REQ to the PUB\'s port {{port zmq-pub}} and send "Hello". The PUB\'s READY says Socket-Type PUB; REQ may only talk to REP or ROUTER, so the connection is closed during the handshake. Your request never leaves the client: to the application it looks like silence (set a receive timeout).',
      panel: 'clients',
      proof: { all: [{ dir: 'server', key: 'zmtp.cmd.READY', field: { name: 'Socket-Type', value: '"PUB"' } }, { dir: 'note', key: 'zmtp.handshake.closed' }] },
      hints: ['The transcript lists the legal partners of each socket type.', 'The spec lets a peer answer with ERROR; libzmq just closes.'],
      ref: 'ZMTP RFC 37 §3.9.1',
    },
  ],
};
