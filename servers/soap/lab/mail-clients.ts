/**
 * The SOAP-over-SMTP client of each sandbox: its own addresses (student@ and calendar@ its mail
 * domain, so every mail of the round trip is filed in that sandbox), its own correlation table and
 * timers. One bus subscription hands each delivered mail to its sandbox's client.
 */
import type { Bus } from '../../../lib/bus/bus.ts';
import type { MailboxStore } from '../../../lib/store/mailbox.ts';
import { SoapMailClient } from './mail-client.ts';
import type { SmtpSend } from './smtp-send.ts';

/** The local parts of the lab's SOAP mail addresses, in every sandbox's domain. */
export const CLIENT_MAILBOX = 'student';
export const SERVICE_MAILBOX = 'calendar';

/** Most sandboxes with a client at once; the oldest student's is forgotten beyond (memory bound). */
const MAX_CLIENTS = 500;

export interface MailClientsOptions {
  bus: Bus;
  mailbox: MailboxStore;
  send: SmtpSend;
  timeoutMs: number;
  /** A sandbox's mail domain (`lab.test`, `<id>.lab.test`). */
  domainOf(sandbox: string): string;
  /** The machine owner's sandbox: its client is never forgotten. */
  ownerSandbox: string;
}

export class SoapMailClients {
  private readonly clients = new Map<string, SoapMailClient>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: MailClientsOptions) {
    this.unsubscribe = options.bus.subscribe((event) => {
      if (event.type === 'mail') this.clients.get(event.mail.sandbox)?.receive(event.mail);
    });
  }

  /** The client's and the service's addresses in `sandbox`. */
  addressesOf(sandbox: string): { client: string; service: string } {
    const domain = this.options.domainOf(sandbox);
    return { client: `${CLIENT_MAILBOX}@${domain}`, service: `${SERVICE_MAILBOX}@${domain}` };
  }

  /** The sandbox's client (created on first use). */
  of(sandbox: string): SoapMailClient {
    let client = this.clients.get(sandbox);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.forgetOldest();
      const { client: address, service } = this.addressesOf(sandbox);
      const { mailbox, send, timeoutMs } = this.options;
      client = new SoapMailClient({ mailbox, sandbox, address, service, send, timeoutMs });
      this.clients.set(sandbox, client);
    }
    return client;
  }

  /** Stops and drops the client of a sandbox that expired (its timers, its table); never the owner's. */
  forget(sandbox: string): void {
    if (sandbox === this.options.ownerSandbox) return;
    this.clients.get(sandbox)?.stop();
    this.clients.delete(sandbox);
  }

  stop(): void {
    this.unsubscribe();
    for (const client of this.clients.values()) client.stop();
    this.clients.clear();
  }

  private forgetOldest(): void {
    for (const [sandbox, client] of this.clients) {
      if (sandbox === this.options.ownerSandbox) continue;
      client.stop();
      this.clients.delete(sandbox);
      return;
    }
  }
}
