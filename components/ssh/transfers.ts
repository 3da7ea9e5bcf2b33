import type { Transfer } from './api';

/**
 * The upload this page just started, among the sandbox's recent transfers: one to `target` that was
 * not listed before the upload began. Never by time: the transfer's start is the daemon's clock and
 * the page's Date.now() a laptop's, which in a classroom can be minutes apart.
 */
export function newUploadTo(transfers: readonly Transfer[], target: string, listedBefore: ReadonlySet<string>): Transfer | undefined {
  return transfers.find((t) => t.direction === 'upload' && t.path === target && !listedBefore.has(t.id));
}
