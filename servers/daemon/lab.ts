import type { Bus } from '../../lib/bus/bus.ts';
import type { Db } from '../../lib/store/db.ts';
import type { MailboxStore } from '../../lib/store/mailbox.ts';
import type { SecretStore } from '../../lib/store/secrets.ts';
import type { TlsIdentity } from '../../lib/tls/certificate.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { LabConfig } from './config.ts';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import type { TlsUpgrade } from './console.ts';
import type { ApiRoute } from '../../lib/http/api-kit.ts';

/** What every lab gets from the daemon when it starts. */
export interface LabContext {
  config: LabConfig;
  bus: Bus;
  db: Db;
  secrets: SecretStore;
  mailbox: MailboxStore;
  tls: TlsIdentity;
  credentials: { user: string; password: string };
  /** The labs started before this one, e.g. the SOAP lab mails through the SMTP lab's tap. */
  labs?: readonly RunningLab[];
}

/** One public endpoint, as /api/health lists it. */
export interface LabEndpoint {
  protocol: Protocol;
  name: string;
  host: string;
  port: number;
  listening(): boolean;
}

/** A started lab: its taps (for step mode and consoles), endpoints, and how to stop it. */
export interface RunningLab {
  protocol: Protocol;
  tap: Tap;
  endpoints: LabEndpoint[];
  /** For the default raw console: how this protocol upgrades to TLS mid-session. */
  consoleTls?: TlsUpgrade;
  /** A custom browser console; without it the hub opens a raw line console to the tap. */
  openConsole?(io: ConsoleIO): LabConsole;
  /** Extra /api routes this lab serves (paths should start with /api/<protocol>/). */
  routes?: ApiRoute[];
  /** Extra facts for GET /api/lab under the lab's protocol key (fingerprints, ports…). */
  info?(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** A lab the daemon can start. */
export type LabStarter = (context: LabContext) => Promise<RunningLab>;

/** What a lab console tells its browser terminal. */
export interface ConsoleIO {
  status(status: ConsoleStatus): void;
  /** Terminal output that is already safe to write (untrusted bytes escaped by the console). */
  output(text: string): void;
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
