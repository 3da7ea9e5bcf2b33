/**
 * Which sandbox a client machine's browser is in, by the machine's address (issue 15): on a
 * classroom LAN each student works at a machine of its own, so a client that sends no login on the
 * wire (curl to the SOAP host or the gateway, zeep, pyzmq) is filed in the sandbox whose page that
 * machine has open. Only an address seen with exactly one sandbox lately counts: two students
 * behind one address (a NAT, a shared desk) get neither's, never the wrong one.
 */

/** How long a page's visit vouches for its machine's clients. */
export const ADDRESS_TRUST_MS = 12 * 60 * 60 * 1000;
/** Most addresses remembered (the oldest seen is forgotten first). */
const MAX_ADDRESSES = 4096;

export class ClientAddressBook {
  /** Per address, when each sandbox's browser was last seen there (Map order: oldest visit first). */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A request of `sandbox`'s browser came from `address`. */
  saw(address: string, sandbox: string): void {
    const key = canonical(address);
    const visits = this.seen.get(key) ?? new Map<string, number>();
    this.seen.delete(key);
    visits.delete(sandbox);
    visits.set(sandbox, this.now());
    this.seen.set(key, visits);
    if (this.seen.size > MAX_ADDRESSES) this.seen.delete(this.seen.keys().next().value as string);
  }

  /** The one sandbox whose browser used `address` lately, or null (none, or more than one). */
  sandboxOf(address: string): string | null {
    const visits = this.seen.get(canonical(address));
    if (!visits) return null;
    const since = this.now() - ADDRESS_TRUST_MS;
    const recent = [...visits].filter(([, at]) => at >= since);
    return recent.length === 1 ? recent[0][0] : null;
  }

  /** A sandbox that expired or was left no longer vouches for a machine. */
  forget(sandbox: string): void {
    for (const visits of this.seen.values()) visits.delete(sandbox);
  }
}

/** One machine, whichever way the socket spells it (an IPv4 address may arrive IPv4-mapped). */
const canonical = (address: string): string => (address.startsWith('::ffff:') ? address.slice(7) : address);
