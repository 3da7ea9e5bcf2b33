/**
 * The CURVE REP's endpoint view of the handshake boxes (issue 10): the lab owns the server's long-term
 * key pair, so for each connection on the CURVE port it opens HELLO's signature box (→ C′, the 64 zero
 * octets) and WELCOME's box (→ S′ and the cookie) with lib/protocols/zmtp/curve-open.ts, and says
 * once why INITIATE, READY and MESSAGE stay shut (forward secrecy). The wire view keeps only sizes and
 * nonces.
 *
 * The raw bytes come from the CURVE tap itself: its dissector factory is wrapped so each connection's
 * first octets (greeting + HELLO, greeting + WELCOME) are copied aside before the ZMTP dissector reads
 * them. The tap names the connection it builds a dissector for, so the wrapper binds to that
 * connection's recorder at once (found on the CURVE tap). The opened boxes are recorded after their wire messages,
 * which the bus reports, so the endpoint line follows the wire line even in step mode.
 */
import type { Bus } from '../../../lib/bus/bus.ts';
import { zmtpDissector } from '../../../lib/protocols/zmtp/dissector.ts';
import { openCurveHello, openCurveWelcome, z85Encode, type OpenedHello, type OpenedWelcome } from '../../../lib/protocols/zmtp/curve-open.ts';
import type { DissectedMessage, DissectorFactory, StreamDir } from '../../../lib/protocols/types.ts';
import type { ConnectionRecorder } from '../../../lib/wire/recorder.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { MAX_MESSAGE_BYTES } from '../server.ts';

/** Greeting (64) + short command frame header (2) + HELLO body (200) / WELCOME body (168). */
const GREETING = 64;
const WANTED: Record<StreamDir, number> = { client: GREETING + 2 + 200, server: GREETING + 2 + 168 };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const z85 = (bytes: Uint8Array) => z85Encode(bytes) ?? hex(bytes);

/** One CURVE connection: its first octets each way, what they opened to, and what was already said. */
class CurveConnection {
  private readonly head: Record<StreamDir, Uint8Array> = { client: new Uint8Array(WANTED.client), server: new Uint8Array(WANTED.server) };
  private readonly have: Record<StreamDir, number> = { client: 0, server: 0 };
  hello: OpenedHello | null = null;
  sealedNoted = false;

  constructor(
    readonly recorder: ConnectionRecorder,
    private readonly serverSecretKey: Uint8Array,
  ) {}

  /** Copies what is still missing of this direction's first octets (nothing once they are in). */
  observe(dir: StreamDir, chunk: Uint8Array): void {
    const missing = WANTED[dir] - this.have[dir];
    if (missing <= 0) return;
    const piece = chunk.subarray(0, missing);
    this.head[dir].set(piece, this.have[dir]);
    this.have[dir] += piece.length;
  }

  /** The first command body of a direction, if it arrived whole as a short command frame. */
  private firstCommand(dir: StreamDir): Uint8Array | null {
    const bytes = this.head[dir].subarray(0, this.have[dir]);
    if (bytes.length < GREETING + 2 || bytes[GREETING] !== 0x04 || bytes.length < GREETING + 2 + bytes[GREETING + 1]) return null;
    return bytes.subarray(GREETING + 2, GREETING + 2 + bytes[GREETING + 1]);
  }

  openHello(): OpenedHello | null {
    const body = this.firstCommand('client');
    this.hello = body ? openCurveHello(body, this.serverSecretKey) : null;
    return this.hello;
  }

  openWelcome(): OpenedWelcome | null {
    const body = this.firstCommand('server');
    return body && this.hello?.signatureValid ? openCurveWelcome(body, this.hello.clientShortTermKey, this.serverSecretKey) : null;
  }
}

/** The endpoint line for HELLO: C′ and the verified signature, or why the box did not open. */
export function helloMessage(hello: OpenedHello | null): DissectedMessage {
  if (!hello) {
    return {
      dir: 'client',
      kind: 'curve-open',
      bytes: 0,
      text: 'HELLO not opened: it is not a 200-octet short command frame right after the greeting',
      annotation: { title: 'HELLO not in the expected form', explain: 'libzmq sends HELLO as the first frame after the 64-octet greeting, a short command frame of exactly 200 octets; this one is not, so the lab does not try to open it.', ref: 'ZeroMQ RFC 26 §2.7.1', level: 'warn' },
    };
  }
  if (!hello.signatureValid) {
    return {
      dir: 'client',
      kind: 'curve-open',
      bytes: 0,
      text: "HELLO box could not be opened with the lab's server key",
      fields: [{ name: 'C′ (client short-term public key)', value: z85(hello.clientShortTermKey) }],
      annotation: {
        title: 'The client boxed its HELLO for another server key',
        explain:
          'The signature box of a HELLO opens only with the secret half of the server public key the client was given. It did not open with this server’s secret key, so the client was given a different public key. The server cannot tell the client anything it could trust, so it sends no WELCOME and closes the connection; the client sees only the disconnect and retries.',
        ref: 'ZeroMQ RFC 26 §2.7.1',
        level: 'error',
      },
    };
  }
  const key = z85(hello.clientShortTermKey);
  return {
    dir: 'client',
    kind: 'curve-open',
    bytes: 0,
    text: `HELLO opened with the lab's server key: C′ ${key}, signature = 64 zero octets (verified)`,
    fields: [
      { name: 'C′ (client short-term public key)', value: key, note: `Z85 (hex ${hex(hello.clientShortTermKey.subarray(0, 8))}… as on the wire); new for this connection, thrown away at its end` },
      { name: 'signature box', value: '64 zero octets (verified)', note: 'Box[64 zeros](C′→S)' },
    ],
    annotation: {
      title: 'HELLO opened with the server’s secret key',
      explain:
        'The lab holds the CURVE server’s long-term secret key, so it opens the HELLO’s box the way the server does. It held the 64 zero octets, which proves the client encrypted it for this server’s public key S: the client knows whom it is talking to. C′ also crosses the wire in clear; it is a key made for this connection only.',
      ref: 'ZeroMQ RFC 26 §2.7.1',
    },
  };
}

/** The endpoint line for WELCOME: S′ and the cookie. */
export function welcomeMessage(welcome: OpenedWelcome | null): DissectedMessage {
  if (!welcome) {
    return {
      dir: 'server',
      kind: 'curve-open',
      bytes: 0,
      text: "WELCOME box could not be opened with C′ and the lab's server key",
      annotation: { title: 'WELCOME not opened', explain: 'The WELCOME box did not open with the client’s short-term key from the HELLO and the server’s secret key.', ref: 'ZeroMQ RFC 26 §2.7.2', level: 'warn' },
    };
  }
  const key = z85(welcome.serverShortTermKey);
  return {
    dir: 'server',
    kind: 'curve-open',
    bytes: 0,
    text: `WELCOME opened: S′ ${key}, cookie ${welcome.cookie.length} octets`,
    fields: [
      { name: 'S′ (server short-term public key)', value: key, note: 'Z85; new for this connection' },
      { name: 'cookie nonce', value: hex(welcome.cookie.subarray(0, 16)), note: 'after "COOKIE--"' },
      { name: 'cookie box', value: `${welcome.cookie.length - 16} octets`, note: 'Box[C′ + s′](K)' },
    ],
    annotation: {
      title: 'WELCOME opened: the server’s short-term key and its cookie',
      explain:
        'The box from S to C′ opens with the server’s secret key and C′. Inside: S′, the server’s public key for this connection only, and a 96-octet cookie. The cookie holds C′ and the short-term secret key s′, sealed under a key K that lives only in the server process and changes per connection; the server keeps no state until the client returns the cookie in INITIATE. The lab cannot open the cookie, so it never learns s′.',
      ref: 'ZeroMQ RFC 26 §2.7.2',
    },
  };
}

/** The one note on the boxes the lab cannot open. */
export const SEALED_NOTE: DissectedMessage = {
  dir: 'note',
  kind: 'note',
  bytes: 0,
  text: 'INITIATE (vouch, metadata), READY and every MESSAGE are boxes between the short-term keys C′ and S′: the lab does not open them',
  annotation: {
    title: 'Forward secrecy: the rest stays sealed',
    explain:
      'From INITIATE on, every box is between the short-term keys C′ and S′. Their secret halves c′ and s′ never leave libzmq in the two peers and are discarded when the connection closes, so not even the server’s long-term secret key opens INITIATE (with the client’s long-term key C, its vouch and metadata), READY or the messages — today or after a later theft of that key. What the REP application received, below, is the plaintext libzmq produced after opening the MESSAGE boxes inside the server. The heartbeats (PING and PONG) travel in MESSAGE boxes too, and libzmq’s socket events name none of them: a peer the server drops for missing its heartbeats shows here only as the connection’s end.',
    ref: 'ZeroMQ RFC 26 §2.7.3–2.7.5; ZMTP RFC 37 §5',
  },
};

/**
 * The CURVE tap's dissector factory (the ZMTP dissector, its bytes observed) and the bus watcher
 * that records the opened boxes. `tap()` is the CURVE tap once it is open.
 */
export function curveEndpointView(bus: Bus, serverSecretKey: Uint8Array, tap: () => Tap | undefined): { dissector: DissectorFactory; stop(): void } {
  const connections = new Map<string, CurveConnection>();
  const record = (connection: CurveConnection, message: DissectedMessage) => {
    // After the wire message's publish has reached every subscriber: the endpoint line follows it.
    queueMicrotask(() => {
      if (!connection.recorder.closed) connection.recorder.record(message, 'endpoint');
    });
  };
  const stop = bus.subscribe((event) => {
    if (event.type === 'connection.close') connections.delete(event.connection.id);
    if (event.type !== 'message' || event.message.view !== 'wire') return;
    const connection = connections.get(event.message.conn);
    const key = event.message.annotation?.key;
    if (!connection || !key?.startsWith('zmtp.curve.')) return;
    if (key === 'zmtp.curve.HELLO' && event.message.dir === 'client') record(connection, helloMessage(connection.openHello()));
    else if (key === 'zmtp.curve.WELCOME' && event.message.dir === 'server') record(connection, welcomeMessage(connection.openWelcome()));
    else if (key === 'zmtp.curve.INITIATE' && !connection.sealedNoted) {
      connection.sealedNoted = true;
      record(connection, SEALED_NOTE);
    }
  });
  const dissector: DissectorFactory = ({ conn }) => {
    const inner = zmtpDissector({ maxMessageBytes: MAX_MESSAGE_BYTES });
    const tapped = tap()?.byId(conn);
    if (!tapped) return inner;
    const connection = new CurveConnection(tapped.recorder, serverSecretKey);
    connections.set(conn, connection);
    return {
      push: (dir, chunk) => {
        connection.observe(dir, chunk);
        return inner.push(dir, chunk);
      },
      end: () => inner.end(),
    };
  };
  return { dissector, stop };
}
