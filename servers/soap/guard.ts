/**
 * The service host's front door, applied before any request is parsed or any service runs:
 * - who may connect at all (only the tap in front of the host: no way around the transcript);
 * - how long a connection may take to send its request (a slow client holds a connection slot
 *   that other clients on the same address then lack: RFC 9112 §9.8 lets a server close it);
 * - which Host names a request may carry (DNS rebinding: a foreign name that resolves to
 *   127.0.0.1 must not reach the service, nor be written into the WSDL).
 * The daemon decides the policy (servers/soap/lab.ts); this file only enforces it.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { maxHeaderSize } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { isOwnOrigin } from '../../lib/http/host-guard.ts';
import { PROBLEM_CONTENT_TYPE, problemBody, rawProblemResponse } from '../../lib/http/problem.ts';
import type { Tap } from '../../lib/wire/tap.ts';

/** A connection the host serves: accepted on its port, or the tap's in-memory end (both say who is calling). */
type HostSocket = Duplex & { remotePort?: number };

/** Who is at the other end of an accepted socket; null means "not through the tap": refuse. */
export type ConnectionClass = 'own' | 'external' | null;

/** The policy the host enforces; every member is optional (a bare host admits everyone). */
export interface GuardPolicy {
  /** Classifies a socket by its remote port (the tap's upstream port for tapped clients). */
  classify?(remotePort: number): ConnectionClass;
  /** True when a request's Host header names this lab. */
  isAllowedHost?(hostHeader: string | undefined): boolean;
  /** Words for a refused Host (say which names are accepted). */
  hostRefusal?(hostHeader: string | undefined): string;
  /**
   * How long the tap has held this connection's messages in step mode so far (ms, by its remote
   * port): that time is the student's, not the client's, so no deadline counts it.
   */
  heldMs?(remotePort: number): number;
  /** An external client must finish its request line and headers within this long; default 10 s. */
  headerTimeoutMs?: number;
  /** …and its body within this long after the headers; default 30 s. */
  bodyTimeoutMs?: number;
}

const DEFAULT_HEADER_TIMEOUT = 10_000;
const DEFAULT_BODY_TIMEOUT = 30_000;

/**
 * The policy's questions about the tap in front of the host (set once the tap exists; until then no
 * connection can come from it, so none is admitted): who is calling (the daemon's own labelled
 * clients, the consoles, are told apart from everyone else) and how long step mode has held it.
 */
export function tappedClients(tap: () => Tap | undefined): Required<Pick<GuardPolicy, 'classify' | 'heldMs'>> {
  return {
    classify: (remotePort) => {
      const connection = tap()?.byUpstreamPort(remotePort);
      if (!connection) return null;
      return connection.recorder.info.label ? 'own' : 'external';
    },
    heldMs: (remotePort) => {
      const current = tap();
      const connection = current?.byUpstreamPort(remotePort);
      return current && connection ? current.step.heldMs(connection.recorder.info.id) : 0;
    },
  };
}

/**
 * The front door of `server`: sockets it admits are handed to the HTTP server
 * (`emit('connection')`), refused ones never reach HTTP parsing at all. It takes them from a TCP
 * listener (a bare host) or straight from the tap in process (`accept`). External clients get
 * deadlines; the lab's own clients do not (a student typing HTTP by hand in the lab's raw console
 * takes minutes). Node's own headersTimeout/requestTimeout would apply to every connection alike,
 * so they are replaced by per-connection timers.
 */
export function guardedListener(server: Server, policy: GuardPolicy): { listener: net.Server; accept(socket: HostSocket): void; destroyAll(): void } {
  const headerMs = policy.headerTimeoutMs ?? DEFAULT_HEADER_TIMEOUT;
  const bodyMs = policy.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  const timers = new WeakMap<Duplex, NodeJS.Timeout>();
  // The response of the request a socket is in, while its body may still be arriving.
  const inRequest = new WeakMap<Duplex, ServerResponse>();
  const heldMs = (socket: HostSocket): number => policy.heldMs?.(socket.remotePort ?? 0) ?? 0;

  /**
   * Gives the client `ms` from now, not counting time step mode holds its connection at the tap
   * (a held request has not reached us yet, and its answer cannot go out: neither is the client's
   * doing). On expiry the held time since arming is checked and the deadline moved by it; a client
   * that is merely slow is not held, so it still gets its 408 on time.
   */
  const arm = (socket: HostSocket, ms: number) => {
    clearTimeout(timers.get(socket));
    const since = performance.now();
    const heldBefore = heldMs(socket);
    const expire = () => {
      if (socket.destroyed) return;
      const spent = performance.now() - since - (heldMs(socket) - heldBefore);
      if (spent < ms) return wait(ms - spent);
      // Mid-request, once the response is under way, just close; before that, the body never came in full
      // (a Content-Length larger than what was sent): say so (RFC 9110 §15.5.9). Otherwise say why.
      const res = inRequest.get(socket);
      const seconds = Math.round(ms / 1000);
      if (res?.headersSent) socket.destroy();
      else if (res) socket.end(rawProblemResponse(408, `The request body did not arrive in full within ${seconds} s (its Content-Length: ${res.req.headers['content-length'] ?? 'none'}); closing the connection.`));
      else socket.end(rawProblemResponse(408, `No complete request within ${seconds} s; closing the connection.`));
    };
    const wait = (delay: number) => {
      const timer = setTimeout(expire, Math.max(1, delay));
      timer.unref();
      timers.set(socket, timer);
    };
    wait(ms);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (!timers.has(socket)) return; // the lab's own client
    inRequest.set(socket, res);
    arm(socket, bodyMs);
    req.once('end', () => clearTimeout(timers.get(socket)));
    res.once('finish', () => {
      inRequest.delete(socket);
      // The next request on a kept-alive connection gets the same deadline.
      if (!socket.destroyed) arm(socket, headerMs);
    });
  });

  // The HTTP server never listens itself, so its closeAllConnections() knows no sockets: track them here.
  const open = new Set<Duplex>();
  const accept = (socket: HostSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const kind = policy.classify ? policy.classify(socket.remotePort ?? 0) : 'external';
    if (kind === null) {
      socket.on('error', () => {});
      socket.end(rawProblemResponse(403, "This connection did not come through the lab's tap. Connect to the lab's public SOAP port (SERVICE_PORT), where every exchange is recorded."));
      socket.resume(); // discard whatever the client sends
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    if (kind === 'external') {
      arm(socket, headerMs);
      socket.once('close', () => clearTimeout(timers.get(socket)));
    }
    server.emit('connection', socket);
  };
  const listener = net.createServer(accept);
  return { listener, accept, destroyAll: () => open.forEach((socket) => socket.destroy()) };
}

/**
 * Refuses a request whose Host is not one of the lab's names with 421 Misdirected Request
 * (RFC 9110 §15.5.20). Returns true when it answered (the caller must do nothing more).
 */
export function refuseForeignHost(req: IncomingMessage, res: ServerResponse, policy: GuardPolicy): boolean {
  if (!policy.isAllowedHost || policy.isAllowedHost(req.headers.host)) return refuseCrossSite(req, res);
  return refuse(req, res, 421, policy.hostRefusal?.(req.headers.host) ?? 'This service does not answer to that Host name.');
}

/**
 * A browser page of another site may send a simple POST to a loopback service (CSRF). Real clients
 * (curl, zeep, SoapUI) send no Origin, and none of this host's own pages posts to it, so a foreign
 * Origin or cross-site fetch metadata on anything but GET/HEAD is refused before any service runs.
 */
function refuseCrossSite(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const origin = req.headers.origin;
  const foreign = (origin !== undefined && !isOwnOrigin(origin, req.headers.host)) || req.headers['sec-fetch-site'] === 'cross-site';
  if (!foreign) return false;
  return refuse(req, res, 403, `Refused a request from another site (Origin ${JSON.stringify(origin ?? 'none')}): web pages of other sites may not call this service.`);
}

/** Refused before any service runs: problem details (RFC 9457), as the lab's own API and the access-control services answer. */
function refuse(req: IncomingMessage, res: ServerResponse, status: 421 | 403, text: string): true {
  const body = problemBody(status, text);
  req.resume();
  res.writeHead(status, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' });
  res.end(body);
  return true;
}

/**
 * What a host answers a request Node's HTTP parser refused (garbage from a raw console, nc without -C):
 * what went wrong in words, with `example` as the start a request should have, instead of Node's bare 400.
 */
export function answerClientErrors(server: Server, example: string): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const raw = err.rawPacket?.toString('latin1') ?? '';
    // A line ended in LF alone: RFC 9112 §2.2 lets a server accept it; Node's parser does not, and says "invalid version".
    const bareLf = /(^|[^\r])\n/.test(raw);
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      return void socket.end(rawProblemResponse(431, `This request's header is too large: together its fields may take ${maxHeaderSize} bytes here (431 Request Header Fields Too Large).`));
    }
    // A request line that is well formed but for its method (FOO /x HTTP/1.1), rather than garbage.
    const method = err.code === 'HPE_INVALID_METHOD' ? /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) \S+ HTTP\/\d\.\d\r?\n/.exec(raw)?.[1] : undefined;
    if (method) return void socket.end(rawProblemResponse(501, `This host does not know the method "${method}" (501 Not Implemented, RFC 9110 §15.6.2). A request starts like: ${example}`));
    const detail = bareLf
      ? `This request's lines end in a bare LF; HTTP lines end in CR LF (RFC 9112 §2.2), and this server accepts no other (nc: use -C). A request starts like: ${example}`
      : `This is not a valid HTTP/1.1 request (${err.code ?? 'parse error'}). A request starts like: ${example}`;
    socket.end(rawProblemResponse(400, detail));
  });
  // Node closes a CONNECT without a word when nothing listens for it.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(rawProblemResponse(501, 'This host is not a proxy: CONNECT opens a tunnel through a proxy (RFC 9110 §9.3.6), and nothing here tunnels. Send the request itself, e.g. ' + example));
  });
}
