/**
 * Helpers for the scripted-fault tests: arm a rule through the route (as the Faults menu and a
 * lesson do), and read a connection's messages as the bus publishes them.
 */
import net from 'node:net';
import type { Bus } from '../../lib/bus/bus.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { faultContracts, type FaultsReply } from '../../lib/http/fault-contracts.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import type { TestLab } from '../helpers/daemon.ts';

/** Arms (or disarms) a rule in the lab's default sandbox through POST /api/faults. */
export function setFault(lab: TestLab, body: { rule: string; enabled: boolean; scope?: 'sandbox' | 'connection'; conn?: string; times?: number | null; param?: number }): Promise<FaultsReply> {
  return lab.api(faultContracts.setFault, { body });
}

/** Every message the bus publishes from now on, kept in order. */
export class MessageLog {
  readonly messages: LabMessage[] = [];
  private readonly stop: () => void;
  private readonly waiters = new Set<() => void>();

  constructor(bus: Bus) {
    this.stop = bus.subscribe((event) => {
      if (event.type !== 'message') return;
      this.messages.push(event.message);
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** Messages of one connection. */
  of(conn: string): LabMessage[] {
    return this.messages.filter((m) => m.conn === conn);
  }

  /** The first message (from now or already seen) passing `test`. */
  async find(test: (m: LabMessage) => boolean, what = 'a message'): Promise<LabMessage> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = this.messages.find(test);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} was published`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 1000);
        this.waiters.add(wake);
      });
    }
  }

  dispose(): void {
    this.stop();
  }
}

/** The connection id of a client, by its local port (the tap lists the client's address). */
export async function connOf(lab: TestLab, protocol: string, client: net.Socket): Promise<string> {
  const { connections } = await lab.api<{ connections: { id: string; client: string }[] }>(`/api/connections?protocol=${protocol}&limit=200`);
  const found = connections.find((c) => c.client === `127.0.0.1:${client.localPort}`);
  if (!found) throw new Error(`no ${protocol} connection from port ${client.localPort}`);
  return found.id;
}

/** A raw line client (like telnet) whose local port is known before the tap accepts it. */
export class RawLineClient {
  private text = '';
  private cursor = 0;
  private wake: (() => void) | null = null;
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.text += data;
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => {});
  }

  /** Everything after the previous wait, through the first match of `re`. */
  async waitFor(re: RegExp): Promise<string> {
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const match = re.exec(rest);
      if (match) {
        this.cursor += match.index + match[0].length;
        return rest.slice(0, match.index + match[0].length);
      }
      if (this.closed) throw new Error(`closed before ${re}; got ${JSON.stringify(rest)}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Sends a line and waits for the next final reply line (`NNN text`). */
  command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.waitFor(/^\d{3} .*\r\n/m);
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * A sandbox policy for two sandboxes: API calls name theirs in `x-test-sandbox`, external clients
 * are filed by their local port, registered by `connectIn` before the tap accepts them.
 */
export function twoSandboxes(): { policy: SandboxPolicy; connectIn(port: number, sandbox: string): RawLineClient } {
  const byPort = new Map<number, string>();
  const policy: SandboxPolicy = {
    ofRequest: (req) => {
      const named = req.headers['x-test-sandbox'];
      return typeof named === 'string' ? named : 'local';
    },
    ofConnection: (socket) => socket.own?.sandbox ?? byPort.get(socket.remotePort) ?? 'local',
    clientSandboxOf: () => 'local',
  };
  const connectIn = (port: number, sandbox: string): RawLineClient => {
    const socket = net.connect(port, '127.0.0.1');
    // The connect syscall has run by the next tick, before the tap can accept the connection.
    process.nextTick(() => byPort.set(socket.localPort ?? 0, sandbox));
    return new RawLineClient(socket);
  };
  return { policy, connectIn };
}
