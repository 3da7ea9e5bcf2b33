import type { LabEvent, MailSummary } from '@/lib/bus/events.ts';
import { isSummary } from '@/lib/store/transcript-summary.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { VersionedStore } from '@/components/lab/versioned-store';

const MAX_CONNECTIONS = 100;
/** Most messages the browser keeps per connection (the newest; a capped transcript's summary note stays). */
export const MAX_MESSAGES_PER_CONNECTION = 5000;

/**
 * The browser's view of one lab: its connections, their messages and the mailbox, merged
 * from the API (history) and the WebSocket (live). A plain store with a version counter,
 * read through useSyncExternalStore, so bursts of events cost one render.
 */
export class LabFeed extends VersionedStore {
  private connections = new Map<string, ConnectionInfo>();
  private messages = new Map<string, LabMessage[]>();
  private mails: MailSummary[] = [];
  /** Connections a panel shows, with how many panels do (see pin). */
  private readonly pinned = new Map<string, number>();
  /** Connections shown only up to a seq (see holdAfter). */
  private readonly heldAfter = new Map<string, number>();

  constructor(readonly protocol: Protocol) {
    super();
  }

  /** Newest first. */
  listConnections(): ConnectionInfo[] {
    return [...this.connections.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  connection(id: string): ConnectionInfo | undefined {
    return this.connections.get(id);
  }

  messagesOf(id: string): LabMessage[] {
    return this.messages.get(id) ?? [];
  }

  listMails(): MailSummary[] {
    return this.mails;
  }

  /** Applies a batch of live events; returns true if anything of this lab changed. */
  applyEvents(events: LabEvent[]): boolean {
    let changed = false;
    for (const event of events) {
      if (event.type === 'connection.open' || event.type === 'connection.update' || event.type === 'connection.close') {
        if (event.connection.protocol !== this.protocol) continue;
        const known = this.connections.get(event.connection.id);
        this.connections.set(event.connection.id, { ...known, ...event.connection });
        // A page left open on a busy lab (a script's thousand mails) would keep them all: let go at twice the
        // bound, down to it, so this runs once per MAX_CONNECTIONS new connections.
        if (!known && this.connections.size > 2 * MAX_CONNECTIONS) this.trimConnections();
        changed = true;
      } else if (event.type === 'message') {
        if (event.message.protocol !== this.protocol) continue;
        this.addMessages(event.message.conn, [event.message]);
        const info = this.connections.get(event.message.conn);
        if (info && !isSummary(event.message)) info.messageCount = Math.max(info.messageCount, event.message.seq);
        changed = true;
      } else if (event.type === 'mail') {
        if (!this.mails.some((m) => m.id === event.mail.id)) this.mails = [event.mail, ...this.mails];
        changed = true;
      }
    }
    if (changed) this.bump();
    return changed;
  }

  /** Merges history loaded from the API (any order, duplicates ignored). */
  loadHistory(connections: ConnectionInfo[]): void {
    for (const c of connections) if (!this.connections.has(c.id)) this.connections.set(c.id, c);
    this.trimConnections();
    this.bump();
  }

  loadMessages(id: string, messages: LabMessage[]): void {
    this.addMessages(id, messages);
    this.bump();
  }

  loadMails(mails: MailSummary[]): void {
    const known = new Set(this.mails.map((m) => m.id));
    this.mails = [...this.mails, ...mails.filter((m) => !known.has(m.id))].sort((a, b) => b.date - a.date);
    this.bump();
  }

  /**
   * Keeps connection `id`'s messages up to seq `last` only, now and from now on (later ones still count in its
   * messageCount): the player showing the messages around an older one (a class's rewind) would otherwise have
   * them pushed out by newer ones, leaving a gap.
   */
  holdAfter(id: string, last: number): void {
    this.heldAfter.set(id, last);
    const list = this.messages.get(id);
    const kept = list?.filter((m) => m.seq <= last);
    // Nothing dropped, nothing to redraw (a loader holds back before it adds what it read, see loadAround).
    if (!list || !kept || kept.length === list.length) return;
    this.messages.set(id, kept);
    this.bump();
  }

  private addMessages(id: string, all: LabMessage[]): void {
    const held = this.heldAfter.get(id);
    const incoming = held === undefined ? all : all.filter((m) => m.seq <= held);
    const list = this.messages.get(id) ?? [];
    const lastSeq = list.length > 0 ? list[list.length - 1].seq : 0;
    let merged: LabMessage[];
    if (incoming.every((m, i) => m.seq > (i === 0 ? lastSeq : incoming[i - 1].seq))) {
      // Live events arrive in order: append without re-scanning what is already there.
      merged = list.concat(incoming);
    } else {
      // History loaded from the API may overlap and interleave with live events. A capped
      // transcript's summary note keeps its seq while its counts change: the newest one wins.
      const replaced = new Set(incoming.filter(isSummary).map((m) => m.seq));
      const kept = replaced.size > 0 ? list.filter((m) => !replaced.has(m.seq)) : list;
      // Pages read together may overlap each other too (a page runs past where the next walk starts).
      const seen = new Set(kept.map((m) => m.seq));
      const fresh = incoming.filter((m) => !seen.has(m.seq) && seen.add(m.seq));
      merged = kept.concat(fresh).sort((a, b) => a.seq - b.seq);
    }
    this.messages.set(id, trimMessages(merged));
  }

  /**
   * Keeps connection `id` (and its messages) however many newer ones come, until the returned function is
   * called: a panel showing it (useConnectionHistory) must not go blank because a script opened 100 more.
   */
  pin(id: string): () => void {
    this.pinned.set(id, (this.pinned.get(id) ?? 0) + 1);
    return () => {
      const count = (this.pinned.get(id) ?? 1) - 1;
      if (count > 0) this.pinned.set(id, count);
      else this.pinned.delete(id);
    };
  }

  /** The newest MAX_CONNECTIONS, and any older one still open or pinned. */
  private trimConnections(): void {
    if (this.connections.size <= MAX_CONNECTIONS) return;
    for (const old of this.listConnections().slice(MAX_CONNECTIONS)) {
      if (old.endedAt === null || this.pinned.has(old.id)) continue;
      this.connections.delete(old.id);
      this.messages.delete(old.id);
    }
  }
}

/** The newest messages of a connection; a summary note that would fall off stays first (it says what is missing). */
function trimMessages(list: LabMessage[]): LabMessage[] {
  if (list.length <= MAX_MESSAGES_PER_CONNECTION) return list;
  const cut = list.length - MAX_MESSAGES_PER_CONNECTION;
  const summary = list.slice(0, cut + 1).findLast(isSummary);
  return summary ? [summary, ...list.slice(cut + 1)] : list.slice(cut);
}
