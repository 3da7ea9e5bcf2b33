/**
 * What every ZeroMQ browser console shares: a line console run by the daemon whose zeromq sockets
 * reach the lab's taps through private links (link.ts), labelled as the browser's own connections.
 * Lines run one after another; output is escaped before it reaches the terminal.
 */
import type { EventEmitter } from 'node:events';
import { escapeControls } from '../../../lib/wire/escape.ts';
import type { Tap, TappedConnection } from '../../../lib/wire/tap.ts';
import type { ConsoleIO, LabConsole } from '../../daemon/lab.ts';
import type { ZmqAppEvent } from '../server.ts';
import type { ZmqSocketName } from './contracts.ts';
import type { PairIgnored } from './endpoint.ts';
import { openLink, type LinkUpstream, type OwnLink } from './link.ts';
import type { WorkerPools } from './workers.ts';

/** What the consoles need from the lab. */
export interface ZmqConsoleDeps {
  tapOf: Record<ZmqSocketName, Tap>;
  /** Directory for the consoles' private ipc links. */
  dir: string;
  /** The CURVE REP's public key (Z85). */
  curveServerKey: string;
  workers: WorkerPools;
  /** The server application's events (the CURVE console shows the server's handshake errors). */
  appEvents: EventEmitter<{ app: [ZmqAppEvent] }>;
  /** A PAIR connection the PAIR ignores because it has a peer (the PAIR console says so when that peer is its own). */
  pairIgnored: EventEmitter<{ ignored: [PairIgnored] }>;
  /**
   * The SSH lab's tap, the login of the console's sandbox and a check of the SSH lab's host keys, for the
   * tunnel console (null: the SSH lab is not running).
   */
  ssh(): { tap: Tap; credentials: { user: string; password: string }; hostVerifier(key: Buffer): boolean } | null;
}

/** Bold, dim and red as the other consoles print them. */
export const style = {
  bold: (text: string) => `\x1b[1m${text}\x1b[0m`,
  dim: (text: string) => `\x1b[2m${text}\x1b[0m`,
  red: (text: string) => `\x1b[31m${text}\x1b[0m`,
};

/** Text from the network or the user, every control character made visible. */
export const untrusted = (text: string): string => escapeControls(text);

export abstract class ZmqLineConsole implements LabConsole {
  protected closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly links: OwnLink[] = [];
  private announced = false;

  constructor(
    protected readonly io: ConsoleIO,
    protected readonly deps: ZmqConsoleDeps,
  ) {}

  /** Connects the console's sockets; its first line is printed before. */
  protected abstract start(): Promise<void>;
  /** One typed line (already trimmed, not empty, not `help`). */
  protected abstract command(line: string): Promise<void>;
  /** The `help` text: every command of this console. */
  protected abstract help(): string;
  /** Closes the console's sockets. */
  protected abstract stopSockets(): void;

  open(): void {
    this.io.status({ state: 'connecting' });
    this.run(async () => {
      await this.start();
      this.print(style.dim('Type help for the commands.'));
    });
  }

  sendLine(line: string): void {
    const text = line.trim();
    if (!text) return;
    this.run(() => (text === 'help' ? Promise.resolve(this.print(this.help())) : this.command(text)));
  }

  input(): void {}
  resize(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopSockets();
    for (const link of this.links.splice(0)) void link.close();
  }

  /** Prints the console's own text (anything from the network or the user goes through `untrusted`). */
  protected print(text: string): void {
    if (this.closed) return;
    this.io.output(text.replace(/\r?\n/g, '\r\n') + '\r\n');
  }

  /**
   * A link to `tap` labelled for this console's browser; the console reports itself open on the
   * first connection it makes.
   */
  protected async linkTo(tap: Tap, label: string): Promise<OwnLink> {
    return this.linkVia(() => {
      const { socket, accepted } = tap.connectOwnClient(label, this.io.owner);
      return { stream: socket, accepted };
    });
  }

  /** A link whose connections are relayed into `open()`'s stream (the tunnel's SSH channels). */
  protected async linkVia(open: () => Promise<LinkUpstream> | LinkUpstream): Promise<OwnLink> {
    const link = await openLink(this.deps.dir, open);
    if (this.closed) {
      await link.close();
      throw new Error('console closed');
    }
    this.links.push(link);
    link.onConnection((connection) => this.announce(connection));
    return link;
  }

  /** Reports the console open on its first tapped connection (`again`: a new one it made since, the page's frames follow it). */
  protected announce(connection: TappedConnection, again = false): void {
    if ((this.announced && !again) || this.closed) return;
    this.announced = true;
    this.io.status({ state: 'open', conn: connection.recorder.info.id });
  }

  protected async dropLink(link: OwnLink): Promise<void> {
    const i = this.links.indexOf(link);
    if (i >= 0) this.links.splice(i, 1);
    await link.close();
  }

  private run(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => (this.closed ? undefined : step()))
      .catch((err: unknown) => {
        if (!this.closed) this.print(style.red(`error: ${untrusted(err instanceof Error ? err.message : String(err))}`));
      });
  }
}
