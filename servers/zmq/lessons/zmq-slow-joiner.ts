import type { Lesson } from '../../../lib/lessons/types.ts';

/** The slow joiner: a PUB drops what it publishes before a subscription reaches it. */
export const zmqSlowJoiner: Lesson = {
  id: 'zmq-slow-joiner',
  lab: 'zmq',
  title: 'The slow joiner',
  summary: 'Subscribe late to a publisher that numbers its messages and count what you missed; cancel and subscribe again and count the gap.',
  minutes: 8,
  order: 2,
  goal:
    'Know that a PUB sends each message only to the subscriptions it holds at that moment and drops it for everyone else: a subscriber misses whatever was published before its SUBSCRIBE arrived, and while it is unsubscribed. PUB/SUB is fire-and-forget; a protocol that must not lose messages needs its own sync or numbering.',
  steps: [
    {
      id: 'late-subscribe',
      title: 'Subscribe late, count what you missed',
      do:
        'The PUB publishes clock #1, #2, … every second, numbered per topic, since the lab started. In the PUB/SUB tab type `subscribe clock`. Your first clock message is not #1: everything before your SUBSCRIBE reached the PUB went to nobody here. The console says how many you missed.',
      panel: 'sub',
      try: ['subscribe clock'],
      proof: {
        all: [
          { dir: 'client', key: 'zmtp.cmd.SUBSCRIBE', text: 'clock' },
          { dir: 'server', key: 'zmtp.frame.part', text: 'clock' },
          { dir: 'server', key: 'zmtp.frame.message', text: '"#(?!1 )\\d+ ' },
        ],
      },
      hints: ['Even a subscriber that connects before the PUB starts misses the first messages: connecting and subscribing take a few milliseconds.'],
      ref: 'ZMTP RFC 37 §4.2',
    },
    {
      id: 'cancel',
      title: 'Cancel, and the gap',
      do:
        'Type `unsubscribe clock`: the SUB sends CANCEL and the PUB stops sending clock here. Wait a few seconds and subscribe again: the numbers jump — the messages published meanwhile were dropped for you.',
      panel: 'sub',
      try: ['unsubscribe clock', 'subscribe clock'],
      proof: { all: [{ dir: 'client', key: 'zmtp.cmd.CANCEL', text: 'clock' }, { dir: 'client', key: 'zmtp.cmd.SUBSCRIBE', text: 'clock' }, { dir: 'server', key: 'zmtp.frame.part', text: 'clock' }] },
      hints: ['A subscription counts: two SUBSCRIBEs need two CANCELs.'],
      ref: 'ZMTP RFC 37 §4.2',
    },
  ],
};
