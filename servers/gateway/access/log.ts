/**
 * The decision log: every request the interceptor decided, per sandbox, newest first, bounded. The
 * request console finds the decision made on its own connection here.
 */
import type { DecisionRecord } from '../lab/contracts.ts';

const KEPT = 500;

export class DecisionLog {
  private nextId = 1;
  private readonly bySandbox = new Map<string, DecisionRecord[]>();

  /** A fresh id (taken before deciding, so a change's first decision can be named). */
  takeId(): number {
    return this.nextId++;
  }

  add(sandbox: string, record: DecisionRecord): void {
    const list = this.bySandbox.get(sandbox) ?? [];
    list.unshift(record);
    if (list.length > KEPT) list.length = KEPT;
    this.bySandbox.set(sandbox, list);
  }

  recent(sandbox: string, limit: number): DecisionRecord[] {
    return (this.bySandbox.get(sandbox) ?? []).slice(0, limit);
  }

  /** Drops the decisions of a sandbox that expired. */
  forget(sandbox: string): void {
    this.bySandbox.delete(sandbox);
  }

  /** The decisions made on one tapped connection, oldest first. */
  ofConnection(sandbox: string, conn: string): DecisionRecord[] {
    return (this.bySandbox.get(sandbox) ?? []).filter((r) => r.conn === conn).reverse();
  }
}
