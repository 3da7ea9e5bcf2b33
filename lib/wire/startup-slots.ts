/**
 * At most `max` connections of a tap in their opening exchange at once (SSH: key exchange and
 * login); the others wait, connected but not yet handed to the server, until one finishes. It is
 * OpenSSH's MaxStartups, queued instead of refused: a class whose 200 clients connect in the same
 * instant then gets in a few at a time, and the one event loop stays free enough for every live
 * view (a key exchange is a millisecond of main-thread crypto that nothing can interrupt).
 */
export class StartupSlots {
  /** Connections in their opening exchange now. */
  private readonly open = new Set<string>();
  /** Connections waiting for a slot, oldest first. */
  private readonly waiting: { id: string; start: () => void }[] = [];

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new Error(`at least one startup slot is needed, not ${max}`);
  }

  /** Starts the connection now (true), or later, once a slot frees (false). */
  take(id: string, start: () => void): boolean {
    if (this.open.size < this.max) {
      this.open.add(id);
      start();
      return true;
    }
    this.waiting.push({ id, start });
    return false;
  }

  /** The connection's opening exchange is over (it logged in, or it closed): the longest-waiting one starts. */
  release(id: string): void {
    const queued = this.waiting.findIndex((w) => w.id === id);
    if (queued >= 0) this.waiting.splice(queued, 1);
    if (!this.open.delete(id)) return;
    const next = this.waiting.shift();
    if (!next) return;
    this.open.add(next.id);
    next.start();
  }

  /** How many are in their opening exchange and how many wait (for the lab's info and tests). */
  get counts(): { open: number; waiting: number } {
    return { open: this.open.size, waiting: this.waiting.length };
  }
}
