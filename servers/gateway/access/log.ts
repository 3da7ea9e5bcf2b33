/**
 * The decision log: every request the interceptor decided, per sandbox, bounded (the newest KEPT). The
 * request console finds the decision made on its own connection here.
 */
import type { DecisionRecord } from '../lab/contracts.ts';

const KEPT = 500;

export class DecisionLog {
  private nextId = 1;
  /**
   * Each sandbox's decisions oldest first, appended (every request adds one: unshifting moved the whole
   * list each time); trimmed to the newest KEPT once it holds twice that.
   */
  private readonly bySandbox = new Map<string, DecisionRecord[]>();

  /** A fresh id (taken before deciding, so a change's first decision can be named). */
  takeId(): number {
    return this.nextId++;
  }

  add(sandbox: string, record: DecisionRecord): void {
    let list = this.bySandbox.get(sandbox);
    if (!list) this.bySandbox.set(sandbox, (list = []));
    list.push(record);
    if (list.length >= 2 * KEPT) list.splice(0, list.length - KEPT);
  }

  /** The newest `limit` decisions (at most KEPT), newest first. */
  recent(sandbox: string, limit: number): DecisionRecord[] {
    if (limit <= 0) return [];
    return this.kept(sandbox).slice(-Math.min(limit, KEPT)).reverse();
  }

  /** Drops the decisions of a sandbox that expired. */
  forget(sandbox: string): void {
    this.bySandbox.delete(sandbox);
  }

  /** The decisions made on one tapped connection, oldest first. */
  ofConnection(sandbox: string, conn: string): DecisionRecord[] {
    return this.kept(sandbox).filter((r) => r.conn === conn);
  }

  /** The newest KEPT decisions, oldest first. */
  private kept(sandbox: string): DecisionRecord[] {
    const list = this.bySandbox.get(sandbox) ?? [];
    return list.length > KEPT ? list.slice(-KEPT) : list;
  }
}
