/**
 * Orders the endpoint view's copies of the messages both sides send without waiting for each
 * other — the two version lines (RFC 4253 §4.2) and the two first KEXINITs (§7.1) — by when the
 * tap read them, so the endpoint view shows them in the capture's order. ssh2 logs its own line
 * before the tap reads it and always lists the server's KEXINIT first; the wire is the truth.
 *
 * An endpoint message of such a pair waits until the tap has recorded its wire counterpart;
 * everything the endpoint view says after it waits behind it (its own order is kept), except the
 * other message of the same pair, which may overtake it. Nothing waits forever: `drain()` at the
 * end of the connection, and a bound on what is held.
 */
import type { DissectedMessage } from '../../../lib/protocols/types.ts';

/** Held endpoint messages beyond which the wire is assumed lost (it stopped decoding). */
const MAX_HELD = 64;

type Pair = 'version' | 'KEXINIT';

/** Which concurrent pair a message belongs to, and whose half it is; undefined for the rest. */
export function slotOf(message: Pick<DissectedMessage, 'dir' | 'kind' | 'annotation'>): string | undefined {
  if (message.dir === 'note') return undefined;
  const pair: Pair | undefined = message.kind === 'version' ? 'version' : message.annotation?.key === 'ssh.msg.KEXINIT' ? 'KEXINIT' : undefined;
  return pair && `${pair}:${message.dir}`;
}

const pairOf = (slot: string) => slot.split(':')[0];

interface Held {
  message: DissectedMessage;
  /** Waits for this wire slot (if not seen yet) and may pass its pair's other half; undefined = waits only for what is ahead. */
  slot?: string;
}

/** One connection's endpoint messages, released in wire order. */
export class WireOrder {
  private readonly held: Held[] = [];
  private readonly onWire = new Map<string, number>();
  /** Slots in the order the tap first read them. */
  private readonly wireOrder: string[] = [];
  private readonly atEndpoint = new Map<string, number>();
  private readonly released = new Set<string>();

  constructor(private readonly record: (message: DissectedMessage) => void) {}

  /** The tap recorded a wire message of this connection. */
  wire(message: Pick<DissectedMessage, 'dir' | 'kind' | 'annotation'>): void {
    const slot = slotOf(message);
    if (!slot) return;
    this.onWire.set(slot, (this.onWire.get(slot) ?? 0) + 1);
    if (!this.wireOrder.includes(slot)) this.wireOrder.push(slot);
    this.flush();
  }

  /** An endpoint message: recorded now, or held until the wire has caught up. */
  endpoint(message: DissectedMessage): void {
    const slot = slotOf(message);
    let waitsFor: string | undefined;
    if (slot) {
      const nth = (this.atEndpoint.get(slot) ?? 0) + 1;
      this.atEndpoint.set(slot, nth);
      // Only the first of each: a re-key's KEXINIT is encrypted and has no wire counterpart.
      if (nth === 1) waitsFor = slot;
    }
    this.held.push({ message, slot: waitsFor });
    if (this.held.length > MAX_HELD) this.drain();
    else this.flush();
  }

  /** Releases everything held, in the endpoint view's own order (the connection ended). */
  drain(): void {
    for (const item of this.held.splice(0)) this.record(item.message);
  }

  /** Its wire copy was read, and so were (and were released) the halves the tap read before it. */
  private ready(item: Held): boolean {
    if (!item.slot) return true;
    const at = this.wireOrder.indexOf(item.slot);
    return at !== -1 && this.wireOrder.slice(0, at).every((before) => pairOf(before) !== pairOf(item.slot!) || this.released.has(before));
  }

  private flush(): void {
    for (let i = 0; i < this.held.length; ) {
      const item = this.held[i];
      // The other half of a pair may pass a waiting half; nothing else passes anything.
      const mayPass = i === 0 || (item.slot !== undefined && this.held.slice(0, i).every((ahead) => ahead.slot !== undefined && pairOf(ahead.slot) === pairOf(item.slot!)));
      if (this.ready(item) && mayPass) {
        this.held.splice(i, 1);
        if (item.slot) this.released.add(item.slot);
        this.record(item.message);
        i = 0;
      } else if (item.slot === undefined) break;
      else i++;
    }
  }
}
