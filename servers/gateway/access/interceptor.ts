/**
 * The interceptor (policy enforcement point): it runs before every handler of the service host.
 * For each request it identifies the service from the catalogue (method + URI template), the user
 * (HTTP Basic with the sandbox's login password, or X-Api-Key), asks the decision point, records the decision
 * and its trace as a note on the tapped connection's transcript, and then either calls the handler
 * or answers itself: 404/405 (no such service), 401 with WWW-Authenticate (who are you?), 403
 * problem+json (RFC 9457) — or, for the SOAP service, a Client/Sender Fault.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBytes } from '../../../lib/http/api-kit.ts';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import type { ConnectionRecorder } from '../../../lib/wire/recorder.ts';
import type { ServiceReply, ServiceRequest } from '../services/kit.ts';
import type { DecisionRecord } from '../lab/contracts.ts';
import type { DecisionPoint } from './decide.ts';
import type { DecisionLog } from './log.ts';
import { credentialsOf, jsonBody, problem, samePassword, soapFault, WWW_AUTHENTICATE, type OwnReply } from './replies.ts';
import { soapOperation, type RouteTable, type RoutedService } from './routing.ts';
import { decisionNote } from './note.ts';

/** Largest request body the services take. */
export const MAX_BODY = 256 * 1024;

/** What the interceptor works with; the lab wires these to the catalogue, the model and the tap. */
export interface InterceptorDeps {
  /** The routing table of the sandbox's catalogue in force (it changes on Sync). */
  routes(sandbox: string): RouteTable;
  decisions: DecisionPoint;
  log: DecisionLog;
  /** The demo users' password in a sandbox (HTTP Basic): that sandbox's login password, the lab password in the default one. */
  password(sandbox: string): string;
  /** Writes the demo model of a sandbox the first time it is used. */
  ensureSeeded(sandbox: string): void;
  /** The tapped connection a request arrived on (by the tap's upstream port). */
  connection(remotePort: number): { recorder: ConnectionRecorder; owner: ConnectionOwner } | undefined;
  /** Calls a JSON service's handler, the sandbox's (its catalogue's version, its data). */
  invoke(sandbox: string, service: RoutedService, request: ServiceRequest): Promise<ServiceReply>;
  /** Passes a permitted SOAP request on to the SOAP host (and its answer back). */
  forwardSoap(request: { method: string; path: string; headers: Record<string, string>; body: Buffer }, owner: ConnectionOwner): Promise<ServiceReply>;
  /** false: the same handlers without the interceptor (the benchmark's baseline). */
  enforce: boolean;
  /** Told just before each decision (a scripted fault may change the model first). */
  beforeDecision?(sandbox: string, user: NonNullable<ReturnType<DecisionPoint['user']>>, service: string, recorder: ConnectionRecorder): void;
}

type Outcome = DecisionRecord['outcome'];

function send(res: ServerResponse, reply: OwnReply | ServiceReply, head: boolean): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : Buffer.from(reply.body);
  const headers = 'headers' in reply ? reply.headers : { 'Content-Type': reply.contentType };
  res.writeHead(reply.status, { ...headers, 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}

/**
 * The request body, or the answer that refuses it: over MAX_BODY the body is still read to its end (the
 * host's body deadline bounds how long), so the 413 reaches the client and the connection stays usable.
 * Null when the client went away mid-body: nobody is left to answer.
 */
async function readBody(req: IncomingMessage): Promise<Buffer | OwnReply | null> {
  try {
    return await readBytes(req, MAX_BODY, `A request body may be at most ${MAX_BODY} bytes.`, { readToEnd: true });
  } catch (err) {
    return err instanceof HttpError ? problem(413, 'too-large', 'Body too large', err.message) : null;
  }
}

/** The host's request listener with the interceptor in front of every handler. */
export function interceptor(deps: InterceptorDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(deps, req, res).catch((err: unknown) => {
      console.error('[gateway]', err);
      if (!res.headersSent) send(res, problem(500, 'internal', 'Internal error', 'The service host failed on this request; the daemon log says why.'), false);
      else res.destroy();
    });
  };
}

async function handle(deps: InterceptorDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const head = method === 'HEAD';
  const connection = deps.connection(req.socket.remotePort ?? 0);
  if (!connection) {
    req.resume();
    return send(res, problem(403, 'not-tapped', 'Not through the tap', "Connect to the lab's public port, where every exchange is recorded."), head);
  }
  const sandbox = connection.owner.sandbox;
  const body = await readBody(req);
  if (body === null) return void res.destroy();
  if (!Buffer.isBuffer(body)) return send(res, body, head);

  const matched = deps.routes(sandbox).match(method, url.pathname, method === 'POST' ? soapOperation(body) : undefined);
  const soap = matched.kind === 'service' && matched.service.protocol === 'soap';
  const id = deps.log.takeId();
  const started = Date.now();
  const record = (outcome: Outcome, status: number, reason: string, extra: Partial<DecisionRecord> = {}): DecisionRecord => {
    // One literal (no spread of `extra`): a record is made on every request.
    const entry: DecisionRecord = {
      id,
      at: started,
      conn: connection.recorder.info.id,
      method,
      path: url.pathname + url.search,
      service: matched.kind === 'service' ? matched.service.id : null,
      user: extra.user ?? null,
      via: extra.via ?? null,
      outcome,
      status,
      reason,
      trace: extra.trace ?? [],
      cache: extra.cache ?? 'miss',
      decisionUs: extra.decisionUs ?? 0,
      generation: extra.generation ?? 0,
    };
    deps.log.add(sandbox, entry);
    const note = decisionNote(entry);
    connection.recorder.note(note.text, note.annotation, 'endpoint');
    return entry;
  };

  if (matched.kind === 'none' && matched.soap) {
    // A SOAP client gets its answer as a fault: the catalogue knows a SOAP service by the element inside soap:Body.
    const op = matched.soap.operation;
    const reason = op === undefined
      ? `The envelope names no operation (no element inside its Body), so it calls no service of the catalogue at ${url.pathname}.`
      : `No operation ${op.slice(0, 64)} in the catalogue at ${url.pathname}.`;
    const reply = soapFault(req.headers['content-type'], reason, 'UnknownOperation');
    record('unknown-route', reply.status, reason);
    return send(res, reply, head);
  }
  if (matched.kind === 'none') {
    const reason = `No service in the catalogue matches ${method} ${url.pathname}.`;
    record('unknown-route', 404, reason);
    return send(res, problem(404, 'no-such-service', 'No such service', reason, { instance: url.pathname }), head);
  }
  if (matched.kind === 'method') {
    const reason = `${url.pathname} is a service's URI, but not with ${method}: it takes ${matched.allow.join(', ')}.`;
    record('unknown-route', 405, reason);
    return send(res, problem(405, 'method-not-allowed', 'Method not allowed', reason, {}, { Allow: matched.allow.join(', ') }), head);
  }
  const service = matched.service;
  const contentType = req.headers['content-type'];
  const headerText = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };

  deps.ensureSeeded(sandbox);
  let userName: string | null = null;
  let permitted: DecisionRecord | null = null;
  let via: 'basic' | 'api-key' | null = null;
  if (deps.enforce) {
    const credentials = credentialsOf(req.headers);
    let user = undefined as ReturnType<DecisionPoint['user']>;
    let why = '';
    if (credentials.via === 'none') why = 'The request carries no credentials: send HTTP Basic (user and your sandbox\'s password) or X-Api-Key.';
    else if (credentials.via === 'malformed') why = credentials.why;
    else if (credentials.via === 'basic') {
      via = 'basic';
      user = deps.decisions.user(sandbox, { name: credentials.user });
      if (!user || !samePassword(credentials.password, deps.password(sandbox))) why = `Unknown user or wrong password for "${credentials.user.slice(0, 64)}".`;
    } else {
      via = 'api-key';
      user = deps.decisions.user(sandbox, { apiKey: credentials.key });
      if (!user) why = 'No user has this API key.';
    }
    if (why || !user) {
      record('unauthenticated', 401, why, { via });
      // Even a SOAP client needs the challenge: 401 is HTTP's word, the Fault says it in SOAP.
      const reply = soap ? soapFault(contentType, why, 'NotAuthenticated') : problem(401, 'unauthenticated', 'Who are you?', why, { service: service.id });
      return send(res, { ...reply, status: 401, headers: { ...reply.headers, 'WWW-Authenticate': WWW_AUTHENTICATE } }, head);
    }
    userName = user.name;
    deps.beforeDecision?.(sandbox, user, service.id, connection.recorder);
    const decision = deps.decisions.decide(sandbox, user, service.id, id);
    const extra = { user: user.name, via, trace: decision.trace, cache: decision.cache, decisionUs: decision.decisionUs, generation: decision.generation };
    if (!decision.permit) {
      const broken = decision.trace.find((step) => !step.ok);
      record('deny', soap ? soapFault(contentType, decision.reason, 'AccessDenied').status : 403, decision.reason, extra);
      if (soap) return send(res, soapFault(contentType, `Access denied: ${decision.reason}`, 'AccessDenied'), head);
      return send(res, problem(403, broken?.step === 'blacklist' ? 'blacklisted' : 'not-subscribed', 'Access denied', decision.reason, { service: service.id, user: user.name, brokenAt: broken?.step, trace: decision.trace }), head);
    }
    // Recorded before the handler runs, so the note precedes the answer in the transcript.
    permitted = record('permit', 0, decision.reason, extra);
  }

  const parsed = soap ? null : jsonBody(body, contentType, service.id);
  if (parsed && 'refused' in parsed) {
    if (permitted) permitted.status = parsed.refused.status;
    return send(res, parsed.refused, head);
  }
  const reply = soap
    ? await deps.forwardSoap(
        {
          method,
          path: url.pathname + url.search,
          headers: Object.fromEntries(['content-type', 'soapaction', 'content-encoding'].flatMap((name) => (headerText(name) !== undefined ? [[name, headerText(name) as string]] : []))),
          body,
        },
        connection.owner,
      )
    : await deps.invoke(sandbox, service, {
        method,
        path: url.pathname,
        params: matched.params,
        query: Object.fromEntries(url.searchParams),
        body: parsed?.value,
        user: userName,
      });
  if (permitted) permitted.status = reply.status;
  send(res, reply, head);
}
