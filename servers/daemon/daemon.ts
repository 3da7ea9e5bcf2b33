import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Bus } from '../../lib/bus/bus.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import { seedSandbox } from '../../lib/sandbox/seed.ts';
import { openDatabase } from '../../lib/store/db.ts';
import { migrateLab } from '../../lib/store/lab-migrations.ts';
import { MailboxStore } from '../../lib/store/mailbox.ts';
import { SecretStore } from '../../lib/store/secrets.ts';
import { TranscriptStore } from '../../lib/store/transcripts.ts';
import { CaptureStore } from '../../lib/store/captures.ts';
import { fingerprintOf, generateLabCertificate, type TlsIdentity } from '../../lib/tls/certificate.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { DissectThread } from '../../lib/wire/dissect-thread.ts';
import { createApi, type ApiHandler } from './api.ts';
import { allowedHostNames, hostNameOf, isWildcardAddress, refuseRequest } from '../../lib/http/host-guard.ts';
import { LAB_USER, type LabConfig } from './config.ts';
import { DEFAULT_HUB_LIMITS, Hub } from './hub.ts';
import { directorySandboxes, sandboxMailDomain, type SandboxPolicy } from './sandboxes.ts';
import { SandboxDirectory } from '../../lib/sandbox/directory.ts';
import { sandboxRoutes } from './sandbox-routes.ts';
import { ClassStore } from '../../lib/store/classes.ts';
import { Classroom } from './classroom.ts';
import { classRoutes } from './class-routes.ts';
import { TeacherAuth, newTeacherToken } from './teacher.ts';
import { forgetSandboxMemory, startSandboxExpiry } from './sandbox-expiry.ts';
import { ClientAddressBook } from '../../lib/sandbox/address-book.ts';
import { SandboxConnectionLimit } from '../../lib/wire/sandbox-limit.ts';
import { PROBLEM_CONTENT_TYPE, problemBody, rawProblemResponse } from '../../lib/http/problem.ts';
import type { AnyLabModule, LabContext, LabInfoReply, RunningLab } from './lab.ts';
import { LABS, type LabInfoMap } from '../index.ts';
import { orderByRequires } from './order.ts';
import { LessonProgressStore } from '../../lib/store/lesson-progress.ts';
import { LESSONS } from '../lessons.ts';
import { lessonRoutes } from './lesson-routes.ts';
import type { LessonReader } from '../../lib/lessons/reader.ts';
import { FaultEngine } from '../../lib/faults/engine.ts';
import { faultRoutes } from './fault-routes.ts';
import { applyHeapGrowth, DEFAULT_HEAP_GROWTH_PERCENT } from './heap.ts';

/** A running daemon: the HTTP/WebSocket entry points server.ts mounts, and its state. */
export interface Daemon {
  config: LabConfig;
  password: string;
  /** The teacher's token (printed at start). */
  teacherToken: string;
  /** Handles /api/*; resolves false for any other path. */
  /** Serves /api/*; its `routes` are every route the daemon answers. */
  handleApi: ApiHandler;
  /** Handles the /ws upgrade (refusing foreign Host and Origin). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Answers a request whose Host is not this lab's (DNS rebinding) and returns true; false lets it through. */
  refuseForeignHost(req: IncomingMessage, res: ServerResponse): boolean;
  labs: RunningLab[];
  bus: Bus;
  /** Resolves once everything the labs have seen so far is dissected and stored (a benchmark round ends there). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

// Two short words are easy to read off a projector and type; 48 bits of randomness.
function generatePassword(): string {
  return `lab-${randomBytes(3).toString('hex')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Starts the lab daemon: store, bus, every lab's server and tap, the API and the hub.
 * If any lab cannot start (a port in use), everything started so far is stopped again.
 */
export async function startDaemon(config: LabConfig, modules: readonly AnyLabModule[] = LABS, policy?: SandboxPolicy): Promise<Daemon> {
  // Before anything opens: a missing requirement or a lab without settings is a clear error.
  const ordered = orderByRequires(modules);
  const settingsOf = (module: AnyLabModule): unknown => {
    const settings = new Map<string, unknown>(Object.entries(config)).get(module.about.id);
    if (settings === undefined) throw new Error(`The ${module.about.title} lab has no settings in the config (config.${module.about.id}): build the config with loadConfig or testConfig from the same lab list.`);
    return settings;
  };
  const allSettings = ordered.map((module) => ({ module, settings: settingsOf(module) }));
  applyHeapGrowth(config.heapGrowthPercent ?? DEFAULT_HEAP_GROWTH_PERCENT);

  const db = openDatabase(config.dataDir);
  const bus = new Bus({ captureBytes: config.captureBytes });
  const secrets = new SecretStore(db);
  // LAB_TRANSCRIPT_WRITER=inline writes transcripts on the main thread (for comparison, or where worker threads misbehave).
  const transcripts = new TranscriptStore(db, bus, config.transcripts, Date.now, process.env.LAB_TRANSCRIPT_WRITER === 'inline' ? 'inline' : 'thread');
  transcripts.start();
  const mailbox = new MailboxStore(db, bus, transcripts.mailSink);

  const password = config.password ?? (await secrets.getOrCreate('lab.password', generatePassword));
  const tls = JSON.parse(
    await secrets.getOrCreate('tls.identity', async () => JSON.stringify(await generateLabCertificate())),
  ) as TlsIdentity;

  const seed = (sandbox: string) => seedSandbox(sandboxRoot(config.dataDir, sandbox));
  await seed(config.sandbox);
  // Resolved now: an expired sandbox's tree is gone when its quota account is dropped (forgetSandboxMemory).
  const realDataDir = await fs.realpath(config.dataDir);
  const directory = new SandboxDirectory(db, { defaultSandbox: config.sandbox, defaultLogin: { user: LAB_USER, password }, maxSandboxes: config.maxSandboxes ?? 500 });
  const teacherToken = config.teacherToken ?? (await secrets.getOrCreate('teacher.token', newTeacherToken));
  const teacher = new TeacherAuth(db, teacherToken);
  // Which student's page each classroom machine has open (files that machine's clients with no login on the wire).
  const addresses = new ClientAddressBook();
  // The lab's policy unless a test gives its own (a student's browser by its cookie, a client by its login).
  const sandboxes = policy ?? directorySandboxes(directory, (req) => teacher.isTeacher(req), addresses);
  // The machine owner's mail is the plain lab domain's; a student's, its own subdomain's.
  const mailDomainOf = (sandbox: string) => sandboxMailDomain(sandbox, config.sandbox);
  const labs: RunningLab[] = [];
  // Every running lab's public ports: where SSH's direct-tcpip may go. Not the web port: it takes a request
  // from 127.0.0.1 without a cookie as the machine owner's, and a forward arrives from 127.0.0.1.
  const publicPorts = () => [...new Set(labs.flatMap((lab) => lab.endpoints.map((e) => e.port)).filter((port) => port > 0))];
  const faults = new FaultEngine();
  // Started by the first tap that names a thread dissector (a daemon without one starts no thread);
  // LAB_DISSECT_THREAD=inline dissects on the main thread (for comparison, or where worker threads misbehave).
  let dissectThread: DissectThread | undefined;
  const threadForTaps = config.dissectThread === 'inline' ? undefined : () => (dissectThread ??= new DissectThread());
  /** Resolves once everything the taps have seen so far is dissected and stored. */
  const settled = async (): Promise<void> => {
    await dissectThread?.settled();
    transcripts.flush();
  };
  const labLogin = { user: LAB_USER, password };
  // A test's own policy may name sandboxes the directory never made: they log in as the lab does.
  const clientLogin = (sandbox: string | undefined) => (sandbox === undefined ? null : directory.loginOf(sandbox)) ?? { ...labLogin };
  const context: Omit<LabContext, 'settings'> = { config, bus, db, secrets, mailbox, tls, credentials: labLogin, clientLogin, logins: directory, sandboxLimit: new SandboxConnectionLimit(config.sandboxMaxConnections ?? 40, config.sandbox), sandboxes, labs, publicPorts, faults, dissectThread: threadForTaps };
  const stopLabs = async () => {
    for (const lab of labs.splice(0).reverse()) await lab.stop().catch((err) => console.error(`[${lab.protocol}] stop:`, err));
  };
  try {
    for (const { module, settings } of allSettings) {
      migrateLab(db, module.about.id, module.migrations ?? []);
      labs.push(await module.start({ ...context, settings }));
    }
  } catch (err) {
    await stopLabs();
    await dissectThread?.close();
    transcripts.dispose();
    db.close();
    throw err;
  }

  const taps = new Map<Protocol, Tap>(labs.map((lab) => [lab.protocol, lab.tap]));
  // Scripted faults: the labs' server-side actions, and every step mode (one per tap or shared) reads the tap-side rules.
  for (const lab of labs) for (const [rule, actions] of Object.entries(lab.faults ?? {})) faults.registerActions(rule, actions);
  const steps = new Set(labs.flatMap((lab) => [lab.tap, ...(lab.taps ?? [])]).map((tap) => tap.step));
  for (const step of steps) step.useFaults(faults);
  // A sandbox's pages show what is armed there (the Faults menu, a lesson's what-if), told of every change.
  const stopFaultNews = faults.onChange((sandbox) => bus.publish({ type: 'faults', sandbox, armed: faults.armed(sandbox) }));
  const stopExpiry = startSandboxExpiry(db, directory, config.dataDir, config.sandboxIdleDays ?? 30, (sandbox) => forgetSandboxMemory({ faults, labs, steps, addresses, realDataDir }, sandbox));
  const classes = new ClassStore(db);
  const progress = new LessonProgressStore(db);
  // The hub is built with the classroom's teacherOf; the roster asks the hub who follows only when it is read.
  // Lessons per lab, for each lab page's link to them (counted once: the lessons are fixed at start).
  const lessonCounts: Partial<Record<Protocol, number>> = {};
  for (const lesson of LESSONS) lessonCounts[lesson.lab] = (lessonCounts[lesson.lab] ?? 0) + 1;
  const classroom = new Classroom({ bus, classes, directory, transcripts, progress, lessons: LESSONS, following: (): ReadonlySet<string> => hub.followingSandboxes() });
  const hub = new Hub(bus, new Map(labs.map((lab) => [lab.protocol, lab])), sandboxes, { ...DEFAULT_HUB_LIMITS, ...config.hub }, (sandbox) => classroom.teacherOf(sandbox), (sandbox) => directory.seen(sandbox));
  const endpoints = () => labs.flatMap((lab) => lab.endpoints);
  /** The browser behind a request: its sandbox, that sandbox's login, and the address its own clients use. */
  const callerOf = (req: IncomingMessage) => {
    const sandbox = sandboxes.ofRequest(req);
    const login = clientLogin(sandbox);
    // The address recipes name: on a LAN bind, the one this browser reached the lab by (the guard let only the machine's own through).
    const host = isWildcardAddress(config.host) ? (hostNameOf(req.headers.host) ?? '127.0.0.1') : config.host;
    return { sandbox, login, mailDomain: mailDomainOf(sandbox), host };
  };
  /** A lesson's text as this browser's student reads it: their login, each lab's first public port, and each port by its role. */
  const readerOf = (req: IncomingMessage): LessonReader => {
    const { login, host } = callerOf(req);
    const ports: Record<string, number> = {};
    for (const endpoint of endpoints()) {
      ports[endpoint.protocol] ??= endpoint.port;
      if (endpoint.role) ports[`${endpoint.protocol}-${endpoint.role}`] = endpoint.port;
    }
    return { user: login.user, password: login.password, host, ports };
  };
  const allowedHosts = allowedHostNames(config);
  const handleApi = createApi({
    allowedHosts,
    sandboxOf: sandboxes.ofRequest,
    endpoints,
    transcripts,
    captures: new CaptureStore(db, transcripts),
    bus,
    mailbox,
    taps,
    labRoutes: [
      ...sandboxRoutes({ directory, sandboxOf: sandboxes.ofRequest, seed, mailDomainOf }),
      ...classRoutes({ teacher, classes, classroom, directory, transcripts, sandboxOf: sandboxes.ofRequest, seed, mailDomainOf }),
      ...faultRoutes(faults, sandboxes.ofRequest, transcripts, LESSONS, config.sandbox),
      ...lessonRoutes({ sandboxOf: sandboxes.ofRequest, transcripts, progress, lessons: LESSONS, settled, readerOf, faults, announceLeaving: (sandbox, lesson) => bus.publish({ type: 'lesson.leaving', sandbox, lesson }) }),
      ...labs.flatMap((lab) => lab.routes ?? []),
    ],
    labInfo: (req): LabInfoReply => {
      const caller = callerOf(req);
      const { sandbox, login, host } = caller;
      const joined = classroom.classOf(sandbox);
      return {
        // Keyed by the id of the module that started it, so each key holds that module's info type.
        ...(Object.fromEntries(labs.flatMap((lab) => (lab.info ? [[lab.protocol, lab.info(caller)]] : []))) as Partial<LabInfoMap>),
        sandbox,
        shared: sandbox === config.sandbox,
        clientsLandHere: sandboxes.clientSandboxOf(req.socket.remoteAddress ?? '') === sandbox,
        mailDomain: caller.mailDomain,
        class: joined ? { id: joined.id, name: joined.name } : null,
        lessons: lessonCounts,
        host,
        user: login.user,
        password: login.password,
        tls: { fingerprint: fingerprintOf(tls.cert) },
        servers: endpoints().map((e) => ({ protocol: e.protocol, name: e.name, host: e.host, port: e.port })),
      };
    },
  });

  return {
    config,
    password,
    teacherToken,
    handleApi,
    handleUpgrade: (req, socket, head) => {
      const refusal = refuseRequest(req, allowedHosts, { upgrade: true });
      if (!refusal) return hub.handleUpgrade(req, socket, head);
      socket.end(rawProblemResponse(refusal.status, refusal.error));
    },
    refuseForeignHost: (req, res) => {
      const refusal = refuseRequest(req, allowedHosts, { upgrade: false });
      if (!refusal || refusal.status !== 421) return false;
      // Problem details, as the API's own refusals (pages too: this reply comes before Next renders anything).
      res.writeHead(421, { 'content-type': PROBLEM_CONTENT_TYPE });
      res.end(problemBody(421, refusal.error));
      return true;
    },
    labs,
    bus,
    settled,
    stop: async () => {
      stopExpiry();
      stopFaultNews();
      faults.dispose();
      await hub.close();
      await stopLabs();
      await dissectThread?.close();
      transcripts.dispose();
      db.close();
    },
  };
}
