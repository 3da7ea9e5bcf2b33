/**
 * The ZeroMQ lab's endpoint view: what the server application saw — whole multipart messages after
 * libzmq has read the frames (and, for CURVE, opened the boxes), and libzmq's socket events.
 * libzmq never tells an application which peer a message came from (a REP, a PULL fair-queue their
 * peers), so an application event is recorded on a tapped connection only when it is the socket's
 * one live connection; with several peers it is not attributed rather than guessed.
 * The exclusive PAIR's extra peers are noted on their own connections (pairNote).
 */
import { EventEmitter } from 'node:events';
import type { Bus } from '../../../lib/bus/bus.ts';
import { showBody } from '../../../lib/protocols/zmtp/body.ts';
import type { DissectedMessage } from '../../../lib/protocols/types.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import type { ZmqAppEvent } from '../server.ts';
import type { ZmqSocketName } from './contracts.ts';

const WHAT: Record<ZmqSocketName, string> = {
  rep: 'REP application',
  pub: 'PUB application',
  push: 'ventilator (PUSH)',
  pull: 'sink (PULL)',
  pair: 'PAIR application',
  curve: 'CURVE REP application',
};

/** The write errors that mean the peer had already closed its end. */
const PEER_GONE = /broken pipe|connection reset|EPIPE|ECONNRESET/i;

/**
 * Why libzmq ended a handshake, from what the client's greeting named (undefined when it never got that
 * far) and libzmq's detail (a failed write: the client had gone).
 */
function handshakeFailure(socket: ZmqSocketName, clientMechanism: string | undefined, detail: string | undefined): { title: string; explain: string; ref: string; level: 'warn' | 'error' } {
  const own = socket === 'curve' ? 'CURVE' : 'NULL';
  if (clientMechanism !== undefined && clientMechanism !== own) {
    return {
      title: 'Security mechanisms differ',
      explain: `The client’s greeting named ${clientMechanism}; this socket uses ${own}. A peer whose mechanism does not exactly match its own must close the connection, so libzmq did, before any handshake command. The client takes the close as a temporary error and reconnects, again and again, until its mechanism is changed.`,
      ref: 'ZMTP RFC 37 §3.5, §3.6',
      level: 'error',
    };
  }
  if (detail && PEER_GONE.test(detail)) {
    return {
      title: 'Handshake ended: the client closed the connection',
      explain: `libzmq at the server was still in the ZMTP handshake when the client went away: its next write failed (${detail}). Nothing failed at the server; the transcript shows how far the client got before it closed. A peer treats an unexpected close as a temporary error.`,
      ref: 'ZMTP RFC 37 §3.6',
      level: 'warn',
    };
  }
  if (socket === 'curve') {
    return {
      title: 'Handshake failed at the server',
      explain: 'The server could not open the client’s HELLO box with its secret key: the client encrypted it for another server key. The server closes the connection without a WELCOME; the client only sees the connection drop and retries.',
      ref: 'ZeroMQ RFC 26 §2.7.1',
      level: 'error',
    };
  }
  return { title: 'Handshake ended at the server', explain: 'libzmq ended the connection during the ZMTP handshake; the application never saw this peer.', ref: 'ZMTP RFC 37 §3.5, §3.6', level: 'error' };
}

/**
 * The application event as an endpoint-view message, or null for events not worth a line.
 * `clientMechanism` is what the connection's client named in its greeting, if it did.
 */
export function endpointMessage(event: ZmqAppEvent, clientMechanism?: string): DissectedMessage | null {
  const who = WHAT[event.socket];
  if (event.type === 'monitor') {
    if (!event.event.startsWith('handshake:error')) return null;
    return {
      dir: 'note',
      kind: 'note',
      bytes: 0,
      text: `${who}: libzmq reports ${event.event}${event.detail ? ` (${event.detail})` : ''}`,
      annotation: handshakeFailure(event.socket, clientMechanism, event.detail),
    };
  }
  const frames = event.frames.map((frame) => showBody(frame.subarray(0, 1024), frame.length));
  const received = event.type === 'received';
  return {
    dir: received ? 'client' : 'server',
    kind: 'message',
    bytes: 0,
    text: `${who} ${received ? 'received' : 'sent'} ${frames.length === 1 ? 'a message' : `a ${frames.length}-part message`}: ${frames.join(' | ')}`,
    fields: frames.map((value, i) => ({ name: `part ${i + 1}`, value })),
    annotation:
      (event.socket === 'rep' || event.socket === 'curve') && received
        ? {
            title: 'The request without its envelope',
            explain:
              'On the wire the request starts with an empty delimiter frame; the REP socket keeps that envelope to route the reply and hands the application only the frames after it.' +
              (event.socket === 'curve' ? ' The wire carried it inside a CURVE MESSAGE box; libzmq opened it with the session keys.' : ''),
            ref: 'ZeroMQ RFC 28 §5; ZMTP RFC 37 §4.1',
          }
        : undefined,
  };
}

/**
 * The note on a PAIR connection that is not the PAIR's peer (what libzmq 4.3 does, observed in
 * tests/integration/zmq-pair.test.ts): the handshake completes, then the socket drops the queue it
 * made for the newcomer and keeps the connection open.
 */
export function pairNote(peerClient: string): DissectedMessage {
  return {
    dir: 'note',
    kind: 'note',
    bytes: 0,
    text: `PAIR application: not its peer — the PAIR already has one (${peerClient}); nothing this connection sends is delivered`,
    annotation: {
      title: 'A second peer on an exclusive pair',
      explain:
        'A PAIR socket talks to at most one peer. libzmq completed this connection’s handshake (READY both ways), then dropped the message queue it had made for it: what this peer sends is never delivered to the application, and the application’s messages go only to the first peer. The connection is not closed, and it stays ignored even after the first peer leaves: only a new connection can become the peer.',
      ref: 'ZeroMQ RFC 31 §4',
      level: 'warn',
    },
  };
}

/** A PAIR connection the PAIR ignores, and the connection that is its peer (the PAIR console tells its student). */
export interface PairIgnored {
  peer: string;
  ignored: string;
  /** The ignored connection's client address, or the lab's label for its own. */
  client: string;
}

/**
 * Records application events on the one live tapped connection of the socket's tap, tracking which
 * ZeroMQ connections are open from the bus, and which PAIR connection is the PAIR's one peer.
 */
export function recordEndpointView(
  bus: Bus,
  taps: Record<ZmqSocketName, Tap>,
): { record(event: ZmqAppEvent): void; stop(): void; pairIgnored: EventEmitter<{ ignored: [PairIgnored] }> } {
  const pairIgnored = new EventEmitter<{ ignored: [PairIgnored] }>();
  const open = new Set<string>();
  /** The security mechanism each open connection's client named in its greeting (its wire view). */
  const mechanisms = new Map<string, string>();
  /** The PAIR's peer: the first connection whose handshake completed (its READY) while it had none. */
  let pairPeer: { id: string; client: string } | null = null;
  const stop = bus.subscribe((event) => {
    if (event.type === 'connection.open' && event.connection.protocol === 'zmq') open.add(event.connection.id);
    if (event.type === 'connection.close' && event.connection.protocol === 'zmq') {
      open.delete(event.connection.id);
      mechanisms.delete(event.connection.id);
      if (pairPeer?.id === event.connection.id) pairPeer = null;
    }
    if (event.type !== 'message' || event.message.protocol !== 'zmq' || event.message.view !== 'wire' || event.message.dir !== 'client') return;
    // Read until the greeting named it (one lookup per message after that).
    const conn = event.message.conn;
    if (!mechanisms.has(conn) && open.has(conn)) {
      const mechanism = event.message.fields?.find((f) => f.name === 'mechanism')?.value;
      if (mechanism !== undefined) mechanisms.set(conn, mechanism);
    }
    if (event.message.annotation?.key !== 'zmtp.cmd.READY') return;
    const connection = taps.pair.byId(event.message.conn);
    if (!connection || !event.message.fields?.some((f) => f.name === 'Socket-Type' && f.value === '"PAIR"')) return;
    if (pairPeer === null) pairPeer = { id: event.message.conn, client: connection.recorder.info.label ?? connection.recorder.info.client };
    else if (pairPeer.id !== event.message.conn) {
      const note = pairNote(pairPeer.client);
      const ignored = { peer: pairPeer.id, ignored: event.message.conn, client: connection.recorder.info.label ?? connection.recorder.info.client };
      // After the READY's publish has reached every subscriber: the note follows it.
      queueMicrotask(() => {
        if (connection.recorder.closed) return;
        connection.recorder.record(note, 'endpoint');
        pairIgnored.emit('ignored', ignored);
      });
    }
  });
  return {
    record(event) {
      const tap = taps[event.socket];
      const live = [...open].flatMap((id) => tap.byId(id) ?? []);
      if (live.length !== 1) return;
      const message = endpointMessage(event, mechanisms.get(live[0].recorder.info.id));
      if (message) live[0].recorder.record(message, 'endpoint');
    },
    stop,
    pairIgnored,
  };
}
