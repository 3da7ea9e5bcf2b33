/**
 * The access-control lab: the service host's REST/JSON services (servers/gateway/services) behind a
 * tap on GATEWAY_PORT that hands each connection in process, with the interceptor before every
 * handler. The SOAP calendar is catalogued too and reached through this same port (POST
 * /soap/calendar): the interceptor decides, and a permitted envelope is passed on through the SOAP
 * lab's own tap (both hops are recorded), so a denial is a SOAP Fault written here. Its own port
 * rather than a mount on the SOAP host: the services, their version (Sync) and their dissected
 * transcripts stay this lab's, and nothing of the SOAP lab changes for its users. Each sandbox has
 * its own catalogue in force (Sync) and its own services' data, as it has its own model.
 */
import { gatewayScriptedFaults } from './scripted-faults.ts';
import http from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { createHttpApiDissector } from '../../lib/protocols/soap/dissector.ts';
import { readBytes } from '../../lib/http/api-kit.ts';
import { allowedHostNames, isAllowedHost, serviceHostRefusal } from '../../lib/http/host-guard.ts';
import { labPort } from '../../lib/labs/env.ts';
import type { ConnectionOwner } from '../../lib/wire/step.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { ConsoleSession } from '../daemon/console.ts';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import { answerClientErrors, guardedListener, refuseForeignHost, tappedClients, type GuardPolicy } from '../soap/guard.ts';
import type { ServiceReply } from './services/kit.ts';
import { gatewayAbout } from './about.ts';
import { CatalogueState } from './access/catalogue-state.ts';
import { DecisionPoint } from './access/decide.ts';
import { writeDemo } from './access/demo.ts';
import { interceptor } from './access/interceptor.ts';
import { DecisionLog } from './access/log.ts';
import { ACCESS_MIGRATIONS } from './access/schema.ts';
import { AccessStore } from './access/store.ts';
import { gatewayRoutes } from './lab/routes.ts';

/** Knobs tests and the benchmark turn. */
export interface GatewayLabOptions {
  /** false: the same handlers with no interceptor (the benchmark's baseline). Default true. */
  enforce?: boolean;
  /** Deadlines for external HTTP clients (headers; body); defaults 10 s and 30 s. */
  headerTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

export interface GatewaySettings {
  port: number;
}

/** GET /api/lab → gateway. */
export interface GatewayInfo {
  port: number;
  baseUrl: string;
  version: 'v1' | 'v2';
  revision: number;
  users: readonly string[];
}

/** The running lab; the pieces are exposed for tests and the benchmark. */
export interface GatewayRunningLab extends RunningLab<GatewayInfo> {
  store: AccessStore;
  decisions: DecisionPoint;
  log: DecisionLog;
  /** The sandbox's catalogue in force and its services (created on first use). */
  catalogueOf(sandbox: string): CatalogueState;
  forgetSandbox(sandbox: string): void;
}

/** Most sandboxes with a catalogue of their own at once; the oldest student's is forgotten beyond (memory bound). */
const MAX_CATALOGUES = 500;

const settings = z.object({ GATEWAY_PORT: labPort(gatewayAbout, 'GATEWAY_PORT') }).transform((env): GatewaySettings => ({ port: env.GATEWAY_PORT }));

/** Builds the lab with `options`; `gatewayLab` is it with the defaults. */
export function createGatewayLab(options: GatewayLabOptions = {}): LabModule<'gateway', GatewaySettings, GatewayInfo> & { start(ctx: LabContext<GatewaySettings>): Promise<GatewayRunningLab> } {
  // The SOAP calendar is reached through the SOAP lab's tap.
  return { about: gatewayAbout, settings, requires: ['soap'], migrations: ACCESS_MIGRATIONS, start: (ctx) => startGatewayLab(ctx, options) };
}

async function startGatewayLab(ctx: LabContext<GatewaySettings>, options: GatewayLabOptions): Promise<GatewayRunningLab> {
  const { config, db } = ctx;
  const soapLab = ctx.labs?.find((lab) => lab.protocol === 'soap');
  if (!soapLab) throw new Error('The access-control lab needs the SOAP lab (the calendar is one of its services): start SOAP first.');

  const decisions = new DecisionPoint((sandbox) => store.model(sandbox));
  const catalogues = new Map<string, CatalogueState>();
  const catalogueOf = (sandbox: string): CatalogueState => {
    let catalogue = catalogues.get(sandbox);
    if (!catalogue) {
      const oldest = catalogues.size >= MAX_CATALOGUES ? [...catalogues.keys()].find((s) => s !== config.sandbox) : undefined;
      if (oldest !== undefined) {
        catalogues.delete(oldest);
        decisions.invalidate(oldest, 'its catalogue was forgotten (back to v1)');
      }
      catalogue = new CatalogueState('v1');
      catalogues.set(sandbox, catalogue);
    }
    return catalogue;
  };
  const store: AccessStore = new AccessStore(db, (sandbox, what) => decisions.invalidate(sandbox, what));
  const log = new DecisionLog();
  const scripted = gatewayScriptedFaults({ faults: ctx.faults, store });
  const seeded = new Set<string>();
  const ensureSeeded = (sandbox: string) => {
    if (seeded.has(sandbox)) return;
    if (!store.seeded(sandbox)) writeDemo(store, sandbox, catalogueOf(sandbox).now.catalogue.services);
    seeded.add(sandbox);
  };

  const allowed = allowedHostNames(config);
  let tapRef: Tap | undefined;
  const guard: GuardPolicy = {
    // Only the tap reaches the host; the daemon's own clients (consoles) get no deadlines, and time held in step mode is not the client's.
    ...tappedClients(() => tapRef),
    isAllowedHost: (host) => isAllowedHost(host, allowed),
    hostRefusal: (host) => serviceHostRefusal(host, allowed),
    headerTimeoutMs: options.headerTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
  };
  // The demo users log in with the sandbox's own password (a student's curl carries its own login, never the lab's).
  const password = (sandbox: string): string => ctx.logins.loginOf(sandbox)?.password ?? ctx.credentials.password;
  const intercept = interceptor({
    routes: (sandbox) => catalogueOf(sandbox).now.routes,
    decisions,
    log,
    password,
    ensureSeeded,
    connection: (remotePort) => tapRef?.byUpstreamPort(remotePort),
    invoke: async (sandbox, service, request) => {
      const handler = catalogueOf(sandbox).now.handlers.get(service.id);
      if (!handler) return { status: 404, contentType: 'application/problem+json', body: JSON.stringify({ title: 'No handler', status: 404, detail: `${service.id} has no handler in this version.` }) };
      return handler.dispatch(request);
    },
    forwardSoap: (request, owner) => forwardThroughTap(soapLab.tap, request, owner),
    enforce: options.enforce ?? true,
    beforeDecision: scripted.beforeDecision,
  });
  const server = http.createServer((req, res) => {
    if (refuseForeignHost(req, res, guard)) return;
    intercept(req, res);
  });
  answerClientErrors(server, 'GET /api/courses HTTP/1.1');
  const front = guardedListener(server, guard);
  const stopServer = async () => front.destroyAll();
  const tap = await openLabTap(ctx, { stop: stopServer }, {
    protocol: 'gateway',
    port: ctx.settings.port,
    target: { accept: (socket) => front.accept(socket) },
    // HTTP explained as a REST API speaks it; JSON bodies are shown as text lines, XML ones annotated as SOAP.
    dissector: createHttpApiDissector,
    threadDissector: 'http-api',
    portEnvVar: 'GATEWAY_PORT',
    refusalLine: 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
  });
  tapRef = tap;
  const publicHost = () => `${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${tap.port}`;

  return {
    protocol: 'gateway',
    tap,
    store,
    faults: scripted.actions,
    decisions,
    log,
    catalogueOf,
    // Its request counts for gateway.revoke-at-step went when its armings were disarmed.
    forgetSandbox: (sandbox) => {
      catalogues.delete(sandbox);
      seeded.delete(sandbox);
      decisions.forget(sandbox);
      log.forget(sandbox);
    },
    endpoints: [{ protocol: 'gateway', name: 'Access control (HTTP)', host: config.host, port: tap.port, listening: () => tap.listening }],
    openConsole: (io) => new ConsoleSession(tap, io.status, { waitForGreeting: false, owner: io.owner }),
    routes: gatewayRoutes({ tap, sandboxes: ctx.sandboxes, publicHost, store, decisions, log, catalogueOf, ensureSeeded, password }),
    info: (caller) => ({ port: tap.port, baseUrl: `http://${publicHost()}`, version: catalogueOf(caller.sandbox).now.version, revision: catalogueOf(caller.sandbox).now.revision, users: ['alice', 'bob', 'mallory'] }),
    stop: async () => {
      await tap.close();
      await stopServer();
    },
  };
}

const MAX_FORWARDED_REPLY = 4 * 1024 * 1024;

/**
 * Passes a permitted SOAP request to the SOAP host through its tap, as the requesting connection's owner
 * (exported for the hostile-answer test, which stands a host answering too much in for the tap).
 */
export function forwardThroughTap(soapTap: { port: number; connectOwnClient(label: string, owner: ConnectionOwner): { socket: Socket } }, request: { method: string; path: string; headers: Record<string, string>; body: Buffer }, owner: ConnectionOwner): Promise<ServiceReply> {
  return new Promise((resolve) => {
    const failed = (why: string): void => resolve({ status: 502, contentType: 'text/plain; charset=utf-8', body: `The SOAP host did not answer: ${why}\n` });
    const { socket } = soapTap.connectOwnClient('access-control gateway', owner);
    const req = http.request(
      {
        createConnection: () => socket,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, host: `127.0.0.1:${soapTap.port}`, 'content-length': String(request.body.length), connection: 'close' },
      },
      (res) => {
        // Past the limit the answer is not read on (the connection is closed): the client gets our 502.
        readBytes(res, MAX_FORWARDED_REPLY, 'the answer is larger than 4 MiB').then(
          (body) => resolve({ status: res.statusCode ?? 502, contentType: res.headers['content-type'] ?? 'text/xml; charset=utf-8', body }),
          (err: unknown) => failed(err instanceof Error ? err.message : String(err)),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (err) => failed(err.message));
    req.end(request.body);
  });
}

/** The access-control lab with classroom defaults (registered in servers/index.ts). */
export const gatewayLab: LabModule<'gateway', GatewaySettings, GatewayInfo> = createGatewayLab();
