/**
 * The lab's web-service host: a plain Node HTTP server behind the tap, which hands it each
 * connection in process (`accept`; a bare host for comparisons listens on a loopback port
 * instead), serving the Calendar service — WSDL at GET /soap/calendar?wsdl, envelopes at
 * POST /soap/calendar, SOAP 1.1 and 1.2. Bodies are read with a hard size limit and go through
 * the pre-check before the soap package sees them. It knows nothing of the UI: it reports what
 * happened as typed events and the daemon decides what to do with them.
 */
import { EventEmitter, once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { MAX_XML_BYTES } from '../../lib/protocols/soap/xml.ts';
import { CalendarDispatcher, type SoapAnswer, type SoapRequest } from './dispatch.ts';
import { faultEnvelope, faultStatus, type FaultSpec } from './faults.ts';
import { decodeXmlBody } from '../../lib/protocols/soap/charset.ts';
import { answerClientErrors, guardedListener, refuseForeignHost, type GuardPolicy } from './guard.ts';
import { CALENDAR_PATH } from './wsdl.ts';

export interface SoapServerOptions {
  host: string;
  /**
   * Internal port (0 picks a free one), or null for none: connections then arrive only through
   * `accept`, so there is no port anyone could reach the host on around the tap.
   */
  port: number | null;
  /** Largest accepted body; default 1 MiB. */
  maxBodyBytes?: number;
  /** Who may connect, which Host names are accepted, request deadlines (guard.ts); default: anyone. */
  guard?: GuardPolicy;
  /** The port clients reach the service on (the tap's), written into the WSDL; default the listening one. */
  publicPort?: () => number;
  /** Asked before each call is dispatched: an answer of the lab's own (a scripted fault), or null to run the service. */
  beforeDispatch?: (remotePort: number, request: SoapRequest) => SoapAnswer | null;
}

/**
 * Another service mounted on the host (the WS-Policy lab's Orders service): it gets every request for its
 * path after the Host check, with the client port as the host saw it (the tap's upstream port).
 */
export type MountedService = (req: IncomingMessage, res: ServerResponse, remotePort: number) => void;

/** What the host reports; `remotePort` is the client port as the server saw it (the tap's upstream port). */
export interface SoapServerEvents {
  /** One POST answered (by the pre-check or the service). */
  exchange: [{ remotePort: number; answer: Omit<SoapAnswer, 'body'> }];
  /** The WSDL was served. */
  wsdl: [{ remotePort: number; location: string }];
  /** A line from the soap package's server.log, or the host's own diagnostics. */
  log: [{ type: string; text: string }];
}

export interface RunningSoapServer {
  /** The listening port; 0 without one. */
  ports: { http: number };
  /** Serves a connection accepted elsewhere (the tap's in-memory end), through the same guard. */
  accept(socket: Duplex & { remotePort?: number }): void;
  events: EventEmitter<SoapServerEvents>;
  /** The same service without HTTP (the mail binding uses it). */
  dispatch(request: SoapRequest): Promise<SoapAnswer>;
  /** Serves `path` (no query, no trailing slash) with `handler` until the returned function is called. */
  mount(path: string, handler: MountedService): () => void;
  stop(): Promise<void>;
}

// The host name part of a Host header we are willing to write into the WSDL's address (no markup, no spaces).
const SAFE_HOST = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/;

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Beyond this much refused body, stop reading and just close (a client pushing gigabytes). */
const DRAIN_LIMIT = 16 * 1024 * 1024;

/** Starts the service host (on an internal port unless `port` is null). */
export async function start(options: SoapServerOptions): Promise<RunningSoapServer> {
  const events = new EventEmitter<SoapServerEvents>();
  const maxBody = options.maxBodyBytes ?? MAX_XML_BYTES;
  const dispatcher = await CalendarDispatcher.create({
    log: (type, text) => events.emit('log', { type, text }),
    internalError: (operation, error) => events.emit('log', { type: 'error', text: `${operation}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` }),
  });

  const tooLarge = (res: ServerResponse, contentType: string | undefined) => {
    const version = contentType?.toLowerCase().startsWith('application/soap+xml') ? '1.2' : '1.1';
    const spec: FaultSpec = { cls: 'Client', reason: `The request body is larger than ${maxBody} bytes.`, httpStatus: 413 };
    const body = faultEnvelope(version, spec);
    res.writeHead(faultStatus(version, spec), { 'Content-Type': version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  };

  // Read (and discard) what the client is still sending before the connection closes: closing
  // with unread data makes the kernel send RST, and the client may never see our 413.
  const drainThenClose = (req: IncomingMessage) => {
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DRAIN_LIMIT) req.socket.destroy();
    });
    req.resume();
  };

  const handlePost = (req: IncomingMessage, res: ServerResponse, remotePort: number) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      tooLarge(res, req.headers['content-type']);
      if (declared > DRAIN_LIMIT) res.on('finish', () => req.socket.destroy());
      else drainThenClose(req);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) {
        size += chunk.length;
        if (size > DRAIN_LIMIT) req.socket.destroy();
        return;
      }
      size += chunk.length;
      if (size > maxBody) {
        refused = true;
        chunks.length = 0;
        tooLarge(res, req.headers['content-type']);
        // The rest of this request is discarded by this same listener (refused = true).
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      const request: SoapRequest = {
        contentType: header('content-type'),
        soapAction: header('soapaction'),
        contentEncoding: header('content-encoding'),
        overHttp: true,
        // UTF-16 and ISO-8859-1 too, by BOM, charset or the declaration's first bytes (XML 1.0 §4.3.3).
        body: decodeXmlBody(Buffer.concat(chunks), header('content-type')),
      };
      const scripted = options.beforeDispatch?.(remotePort, request);
      (scripted ? Promise.resolve(scripted) : dispatcher.dispatch(request))
        .then((answer) => {
          const { body, ...facts } = answer;
          if (answer.strippedSecurityHeader) events.emit('log', { type: 'info', text: 'Removed the wsse:Security timestamp header the soap package adds to parse-error faults.' });
          events.emit('exchange', { remotePort, answer: facts });
          // An explicit length (not chunked): what a student typing in the raw console expects to read.
          res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        })
        .catch(() => {
          if (!res.headersSent) res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
          res.end('The service is shutting down.\n');
        });
    });
  };

  const mounts = new Map<string, MountedService>();
  const server = http.createServer((req, res) => {
    if (options.guard && refuseForeignHost(req, res, options.guard)) return;
    const remotePort = req.socket.remotePort ?? 0;
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const path = url.pathname.replace(/\/$/, '');
    const mounted = mounts.get(path);
    if (mounted) return mounted(req, res, remotePort);
    if (path !== CALENDAR_PATH) {
      plain(res, 404, `No service at ${url.pathname}. The Calendar service is at ${CALENDAR_PATH} (WSDL: ${CALENDAR_PATH}?wsdl).`);
      req.resume();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.resume();
      if (url.search.toLowerCase().startsWith('?wsdl')) {
        // The name the client used (the guard has vetted it) and always the public port, never ours.
        const name = SAFE_HOST.exec(req.headers.host ?? '')?.[1] ?? '127.0.0.1';
        const location = `http://${name}:${options.publicPort?.() ?? port}${CALENDAR_PATH}`;
        events.emit('wsdl', { remotePort, location });
        const wsdl = dispatcher.wsdl(location);
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(wsdl) });
        res.end(req.method === 'HEAD' ? undefined : wsdl);
        return;
      }
      plain(res, 200, `Calendar service (SOAP 1.1 and 1.2). POST envelopes here; the WSDL is at ${CALENDAR_PATH}?wsdl.`);
      return;
    }
    if (req.method === 'POST') return handlePost(req, res, remotePort);
    req.resume();
    plain(res, 405, `${req.method} is not used by SOAP: POST envelopes, GET ?wsdl.`, { Allow: 'GET, HEAD, POST' });
  });
  answerClientErrors(server, `POST ${CALENDAR_PATH} HTTP/1.1`);

  const { listener, accept, destroyAll } = guardedListener(server, options.guard ?? {});
  const listenPort = options.port;
  if (listenPort !== null) {
    // once() rejects with the 'error' (a taken port) instead of waiting for ever.
    listener.listen(listenPort, options.host);
    await once(listener, 'listening');
  }
  const port = listenPort === null ? 0 : (listener.address() as AddressInfo).port;

  return {
    ports: { http: port },
    accept,
    events,
    dispatch: (request) => dispatcher.dispatch(request),
    mount: (path, handler) => {
      if (path === CALENDAR_PATH || mounts.has(path)) throw new Error(`${path} is already served on this host.`);
      mounts.set(path, handler);
      return () => {
        if (mounts.get(path) === handler) mounts.delete(path);
      };
    },
    stop: async () => {
      dispatcher.close();
      const closed = listener.listening ? new Promise<void>((resolve) => listener.close(() => resolve())) : Promise.resolve();
      destroyAll();
      await closed;
    },
  };
}

export type { SoapAnswer, SoapRequest } from './dispatch.ts';
