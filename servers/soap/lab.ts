/**
 * The SOAP lab: the web-service host (servers/soap) behind a tap on SERVICE_PORT that hands it
 * each connection in process (no internal port), dissected as HTTP + SOAP; the Calendar service's mail binding at
 * calendar@ each sandbox's mail domain; a SOAP-over-SMTP client per sandbox (student@ its domain); and the
 * /api/soap/… routes.
 * Mail goes through the SMTP lab's own tap, so it must start after the SMTP lab.
 */
import { createSoapDissector } from '../../lib/protocols/soap/dissector.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import { ConsoleSession } from '../daemon/console.ts';
import { allowedHostNames, isAllowedHost, serviceHostRefusal } from '../../lib/http/host-guard.ts';
import { tappedClients } from './guard.ts';
import { start as startSoapServer, type MountedService } from './index.ts';
import { CALENDAR_PATH } from './wsdl.ts';
import { annotate } from '../../lib/protocols/soap/annotate.ts';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import { z } from 'zod';
import { labPort } from '../../lib/labs/env.ts';
import { soapAbout } from './about.ts';
import type { SoapMailClient } from './lab/mail-client.ts';
import { SERVICE_MAILBOX, SoapMailClients } from './lab/mail-clients.ts';
import { sandboxMailDomain } from '../daemon/sandboxes.ts';
import { randomThinkTime, startMailBinding } from './lab/mail-binding.ts';
import { soapRoutes } from './lab/routes.ts';
import { soapScriptedFaults } from './scripted-faults.ts';
import { smtpSender } from './lab/smtp-send.ts';

/** Knobs tests and benchmarks turn; the defaults are the classroom's. */
export interface SoapLabOptions {
  /** Think time of a mailed request that names none (ms); default random 0–3 s. */
  thinkTime?: () => number;
  /** How long the mail client waits for an answer; default 30 s. */
  timeoutMs?: number;
  /** Deadlines for external HTTP clients (request line and headers; body); defaults 10 s and 30 s. */
  headerTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/** The SOAP lab's settings: the web-service host's public port. */
export interface SoapSettings {
  port: number;
}

/** GET /api/lab → soap. */
export interface SoapInfo {
  endpoint: string;
  wsdl: string;
  port: number;
  /** SOAP version → how a request says it is that version. */
  versions: Record<'1.1' | '1.2', string>;
  /** The calling sandbox's addresses: its mail domain's calendar@ and student@. */
  mail: { service: string; client: string; timeoutMs: number; thinkTime: string; delayHeader: string };
}

const settings = z.object({ SERVICE_PORT: labPort(soapAbout, 'SERVICE_PORT') }).transform((env): SoapSettings => ({ port: env.SERVICE_PORT }));

/** The running SOAP lab; the mail clients are exposed for tests and benchmarks that wait on their events. */
export interface SoapRunningLab extends RunningLab<SoapInfo> {
  /** The machine owner's sandbox's mail client. */
  mailClient: SoapMailClient;
  /** Every sandbox's mail client. */
  mailClients: SoapMailClients;
  /**
   * Serves another service at `path` on this host, behind this lab's tap (the WS-Policy lab's Orders
   * service); returns the unmount. `remotePort` finds the tapped connection: `tap.byUpstreamPort`.
   */
  mountService(path: string, handler: MountedService): () => void;
}

/** Builds the SOAP lab with `options`; `soapLab` is it with the defaults. */
export function createSoapLab(options: SoapLabOptions = {}): LabModule<'soap', SoapSettings, SoapInfo> & { start(ctx: LabContext<SoapSettings>): Promise<SoapRunningLab> } {
  // It answers mail through the SMTP lab's tap.
  return { about: soapAbout, settings, requires: ['smtp'], start: (ctx) => startSoapLab(ctx, options) };
}

async function startSoapLab(ctx: LabContext<SoapSettings>, options: SoapLabOptions): Promise<SoapRunningLab> {
  const { config, bus, mailbox } = ctx;
  const smtpLab = ctx.labs?.find((lab) => lab.protocol === 'smtp');
  if (!smtpLab) throw new Error('The SOAP lab needs the SMTP lab (it answers mail through it): start SMTP first.');
  const domainOf = (sandbox: string) => sandboxMailDomain(sandbox, config.sandbox);
  const timeoutMs = options.timeoutMs ?? 30_000;

  const allowed = allowedHostNames(config);
  // Set once the tap exists; until then no connection can come from it, so none is admitted.
  let tapRef: Tap | undefined;
  const scripted = soapScriptedFaults({ faults: ctx.faults, tap: () => tapRef });
  const server = await startSoapServer({
    beforeDispatch: scripted.beforeDispatch,
    host: '127.0.0.1',
    // No port: the tap hands the host each connection in process.
    port: null,
    publicPort: () => tapRef?.port ?? 0,
    guard: {
      // Only the tap reaches the host (each connection is filed before the tap hands it over).
      ...tappedClients(() => tapRef),
      isAllowedHost: (host) => isAllowedHost(host, allowed),
      hostRefusal: (host) => serviceHostRefusal(host, allowed),
      headerTimeoutMs: options.headerTimeoutMs,
      bodyTimeoutMs: options.bodyTimeoutMs,
    },
  });
  const tap = await openLabTap(ctx, server, {
    protocol: 'soap',
    port: config.soap.port,
    target: { accept: (socket) => server.accept(socket) },
    dissector: createSoapDissector,
    threadDissector: 'soap',
    portEnvVar: 'SERVICE_PORT',
    refusalLine: 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
  });
  tapRef = tap;

  // Endpoint view: what the pre-check decided, on the tapped connection it concerns.
  server.events.on('exchange', ({ remotePort, answer }) => {
    const recorder = tap.byUpstreamPort(remotePort)?.recorder;
    if (!recorder) return;
    if (answer.refused && answer.fault) {
      const key = answer.fault.subcode === 'DTDNotSupported' ? 'xml.dtd.forbidden' : `soap.fault.${answer.fault.code.split(':')[1] ?? 'Client'}`;
      recorder.note(`Refused before the service ran: ${answer.fault.reason}`, annotate(key), 'endpoint');
    }
    if (answer.strippedSecurityHeader) {
      recorder.note('The SOAP toolkit behind this service puts a WS-Security Timestamp header (wsse:Security, mustUnderstand) on faults raised while it reads a request. Nothing here uses WS-Security, and a client that does not know the block would have to fault on it, so the lab removed it before sending.', annotate('soap.header.wsse'), 'endpoint');
    }
    if (answer.delayMs > 0) recorder.note(`The service thought for ${answer.delayMs} ms (delay header).`, undefined, 'endpoint');
  });
  server.events.on('log', ({ type, text }) => {
    if (type === 'error') console.error(`[soap] ${text}`);
  });

  const send = smtpSender(() => smtpLab.tap.port);
  const stopBinding = startMailBinding({
    bus,
    mailbox,
    mailboxName: SERVICE_MAILBOX,
    domainOf,
    dispatch: server.dispatch,
    send,
    thinkTime: options.thinkTime ?? randomThinkTime,
    log: (text) => console.error(`[soap mail] ${text}`),
  });
  const mailClients = new SoapMailClients({ bus, mailbox, send, timeoutMs, domainOf, ownerSandbox: config.sandbox });
  const publicHost = () => `${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${tap.port}`;

  return {
    protocol: 'soap',
    tap,
    mailClient: mailClients.of(config.sandbox),
    mailClients,
    mountService: (path, handler) => server.mount(path, handler),
    faults: scripted.actions,
    endpoints: [{ protocol: 'soap', name: 'SOAP/HTTP', host: config.host, port: tap.port, listening: () => tap.listening }],
    // HTTP servers do not greet: the raw console must not wait for a first line.
    openConsole: (io) => new ConsoleSession(tap, io.status, { waitForGreeting: false, owner: io.owner }),
    routes: soapRoutes({ tap, sandboxes: ctx.sandboxes, publicHost, mailClients, timeoutMs }),
    info: (caller) => ({
      endpoint: `http://${publicHost()}${CALENDAR_PATH}`,
      wsdl: `http://${publicHost()}${CALENDAR_PATH}?wsdl`,
      port: tap.port,
      versions: { '1.1': 'text/xml + SOAPAction', '1.2': 'application/soap+xml; action=…' },
      mail: { ...mailClients.addressesOf(caller.sandbox), timeoutMs, thinkTime: options.thinkTime ? 'custom' : 'random 0–3000 ms', delayHeader: 'X-Lab-Delay: <ms> or <cal:delay> in the SOAP Header' },
    }),
    forgetSandbox: (sandbox) => mailClients.forget(sandbox),
    stop: async () => {
      mailClients.stop();
      const bindingStopped = stopBinding();
      // Stopping the server cancels think times, so the binding's pending answers end at once.
      await server.stop();
      await bindingStopped;
      await tap.close();
    },
  };
}

/** The SOAP lab with classroom defaults (registered in servers/index.ts). */
export const soapLab: LabModule<'soap', SoapSettings, SoapInfo> = createSoapLab();
