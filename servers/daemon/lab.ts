import type { Bus } from '../../lib/bus/bus.ts';
import type { DissectThread } from '../../lib/wire/dissect-thread.ts';
import type { Db } from '../../lib/store/db.ts';
import type { LabMigrations } from '../../lib/store/lab-migrations.ts';
import type { MailboxStore } from '../../lib/store/mailbox.ts';
import type { SecretStore } from '../../lib/store/secrets.ts';
import type { TlsIdentity } from '../../lib/tls/certificate.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { ConnectionOwner, StepController } from '../../lib/wire/step.ts';
import type { LabConfig } from './config.ts';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import type { TlsUpgrade } from './console.ts';
import type { ApiRoute } from '../../lib/http/api-kit.ts';
import type { LabAbout } from '../../lib/labs/about.ts';
import type { z } from 'zod';
import type { LabInfoMap } from '../index.ts';
import type { SandboxPolicy } from './sandboxes.ts';
import type { SandboxLogins } from './logins.ts';
import type { SandboxConnectionLimit } from '../../lib/wire/sandbox-limit.ts';
import type { FaultActions, FaultEngine } from '../../lib/faults/engine.ts';

/** What every lab gets from the daemon when it starts; `settings` is its own part of the config. */
export interface LabContext<S = unknown> {
  config: LabConfig;
  settings: S;
  bus: Bus;
  db: Db;
  secrets: SecretStore;
  mailbox: MailboxStore;
  tls: TlsIdentity;
  /** The lab's own login: it opens the default sandbox (the machine owner's), whatever connection it is typed on. */
  credentials: { user: string; password: string };
  /**
   * The login the lab's own clients (consoles, file panels) use for the sandbox they act for: that
   * sandbox's own (the lab's login for the default one). Never the lab's login for a student: plain
   * FTP puts PASS on the wire, into the student's transcript and exports, and it opens the owner's files.
   */
  clientLogin(sandbox: string | undefined): { user: string; password: string };
  /** Whose sandbox a login opens: every lab server that takes a login asks here (admitLogin in logins.ts). */
  logins: SandboxLogins;
  /** Live connections per student sandbox, shared by every tap (openLabTap passes it on). */
  sandboxLimit: SandboxConnectionLimit;
  /**
   * The daemon's sandbox policy: each tap is built with `sandboxes.ofConnection`, so no connection
   * is filed before it exists; routes that open connections file them with `ownerOfRequest`.
   */
  sandboxes: SandboxPolicy;
  /** The running labs (those this one `requires` are among them), e.g. the SOAP lab mails through the SMTP lab's tap. */
  labs?: readonly RunningLab[];
  /** The lab's own public ports: every running lab's endpoints, never the web port (SSH's forwarding allow-list). */
  publicPorts(): number[];
  /** Scripted faults armed per sandbox: a lab's server asks it whether one of its rules fires (lib/faults). */
  faults: FaultEngine;
  /** The dissect thread, started on first use, for taps whose dissector has a thread name (absent: LAB_DISSECT_THREAD=inline). */
  dissectThread?: () => DissectThread;
}

/** One public endpoint, as /api/health lists it. */
export interface LabEndpoint {
  protocol: Protocol;
  name: string;
  /** One of several ports of the lab (its about's `roles`): lesson text names it `{{port zmq-pub}}`. */
  role?: string;
  host: string;
  port: number;
  listening(): boolean;
}

/** A started lab: its taps (for step mode and consoles), endpoints, and how to stop it. */
export interface RunningLab<I = unknown> {
  protocol: Protocol;
  /** The lab's main tap: the default console connects to it, and its step mode is the lab's. */
  tap: Tap;
  /**
   * Every tap of a lab with several public ports (ZeroMQ), the main one included, all sharing its
   * step mode (`step: tap.step`); omitted, the lab has one.
   */
  taps?: readonly Tap[];
  endpoints: LabEndpoint[];
  /** For the default raw console: how this protocol upgrades to TLS mid-session. */
  consoleTls?: TlsUpgrade;
  /**
   * A custom browser console; without it the hub opens a raw line console to the tap. `kind` names
   * one of the lab's consoles when it has several (ZeroMQ: one per socket pattern); a lab answers an
   * unknown kind with null, and the browser is told so.
   */
  openConsole?(io: ConsoleIO, kind?: string): LabConsole | null;
  /** Extra /api routes this lab serves (paths should start with /api/<protocol>/). */
  routes?: ApiRoute[];
  /** Extra facts for GET /api/lab under the lab's protocol key (fingerprints, ports, recipes with the caller's login…). */
  info?(caller: LabCaller): I;
  /** The server-side scripted faults this lab carries out, by rule id (servers/<lab>/scripted-faults.ts). */
  faults?: Record<string, FaultActions>;
  /**
   * Drops what the lab keeps in memory for a student sandbox that expired (servers/daemon/sandbox-expiry.ts);
   * its DB rows and files are gone already, and its armed faults were disarmed just before.
   */
  forgetSandbox?(sandbox: string): void;
  stop(): Promise<void>;
}

/**
 * One lab, declared once: what it is (about), its part of the config, the labs it needs running
 * first, and how to start it. servers/index.ts lists the registered ones; everything else derives.
 * `S` is its settings (the parsed config fragment), `I` what it adds to GET /api/lab.
 */
export interface LabModule<Id extends Protocol = Protocol, S = unknown, I = unknown> {
  about: LabAbout & { id: Id };
  /** Reads the lab's environment variables (those its about declares) into its settings. */
  settings: z.ZodType<S>;
  /** What a test daemon changes beyond port 0 (smaller limits, any free passive port). */
  testSettings?: Partial<S>;
  /** Labs that must be running before this one starts (the daemon orders starts by it). */
  requires?: readonly Protocol[];
  /** The lab's own tables: migrations the daemon applies (once each, versioned per lab) before `start`. */
  migrations?: LabMigrations;
  start(ctx: LabContext<S>): Promise<RunningLab<I>>;
}

/** A lab module of any id, settings and info, as the daemon holds them. */
export type AnyLabModule = LabModule<Protocol, unknown, unknown>;

/** Whom GET /api/lab answers: the calling browser's sandbox, its login, and its mail domain. */
export interface LabCaller {
  sandbox: string;
  /** What this sandbox's external clients log in with (SSH, SFTP, FTP, SMTP AUTH). */
  login: { user: string; password: string };
  /** Mail to every address at this domain is delivered into this sandbox. */
  mailDomain: string;
  /** The address clients reach the lab by, for recipes: LAB_HOST, or on a LAN bind the one this browser used. */
  host: string;
}

/** GET /api/lab: what every page shows (credentials, fingerprint, ports), and each running lab's info() under its id. */
export type LabInfoReply = Partial<LabInfoMap> & {
  /** The calling browser's sandbox; `user` and `password` are its login, `mailDomain` its mail. */
  sandbox: string;
  /** True for the machine owner's sandbox (the lab's own login), false for a student's own. */
  shared: boolean;
  /**
   * Whether clients with no login on the wire (curl, zeep, pyzmq) run at this browser's machine land in
   * its sandbox: the owner's always; a student's from its own machine on a classroom LAN.
   */
  clientsLandHere: boolean;
  mailDomain: string;
  /** The class this sandbox joined (its pages may follow the teacher), or null. */
  class: { id: string; name: string } | null;
  /** How many guided lessons each lab has (its page links to them on Start here). */
  lessons: Partial<Record<Protocol, number>>;
  host: string;
  user: string;
  password: string;
  tls: { fingerprint: string };
  servers: { protocol: Protocol; name: string; host: string; port: number }[];
};

/** What a lab console tells its browser terminal. */
export interface ConsoleIO {
  status(status: ConsoleStatus): void;
  /** Terminal output that is already safe to write (untrusted bytes escaped by the console). */
  output(text: string): void;
  /** The browser the console acts for: pass it to `tap.connectOwnClient` so the connection is that browser's (sandbox, step mode). */
  owner?: ConnectionOwner;
}

/**
 * A browser terminal run by the daemon. The default is the raw line console (console.ts),
 * whose display is the dissected transcript; a lab may supply its own (SSH: an ssh2 client).
 */
export interface LabConsole {
  open(size: { cols: number; rows: number }): void;
  /** One line typed in the line editor (raw consoles); CRLF is added by the console. */
  sendLine(line: string): void;
  /** Raw keystrokes (character-at-a-time consoles, e.g. an SSH pty). */
  input(data: string): void;
  resize(size: { cols: number; rows: number }): void;
  close(): void;
}

/**
 * Each step mode once, in the labs' order: a lab may carry another's tap (the WS-Policy lab steps the SOAP
 * tap), and one state per lab would list that protocol twice (GET /api/step, the hub's hello).
 */
export function stepModes(taps: Iterable<Tap>): StepController[] {
  return [...new Set([...taps].map((tap) => tap.step))];
}
