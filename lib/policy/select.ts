/**
 * Helpers for choosing among alternatives: what each alternative asks for (its assertion types), and the
 * "latest version wins" rule a client applies when several alternatives fit (e.g. WS-ReliableMessaging 1.1 over
 * 1.0). The Framework leaves the choice to the requester (WS-Policy 1.5 Framework §3.4: it may choose any
 * alternative, but only one); the version order is the client's own knowledge, passed in.
 */
import { type Alternative, type NormalPolicy, type QName } from './model.ts';

/** WS-ReliableMessaging Policy 1.1 (OASIS, 2007-02) and the 2005/02 WS-RM policy namespace of RM 1.0. */
export const WSRMP_11_NS = 'http://docs.oasis-open.org/ws-rx/wsrmp/200702';
export const WSRM_10_NS = 'http://schemas.xmlsoap.org/ws/2005/02/rm/policy';
/** WS-Addressing Metadata (W3C, 2007), the namespace of wsam:Addressing. */
export const WSAM_NS = 'http://www.w3.org/2007/05/addressing/metadata';

/** Newest first: the order a client that speaks both RM versions prefers them in. */
export const RM_VERSIONS_NEWEST_FIRST: readonly string[] = [WSRMP_11_NS, WSRM_10_NS];

/** The assertion types of each alternative, in document order (nested assertions not included). */
export function alternativeNames(policy: NormalPolicy): QName[][] {
  return policy.alternatives.map((alt) => alt.map((a) => a.name));
}

/** The assertion types of an alternative and, indented by path, of its nested policies: `Addressing/AnonymousResponses`. */
export function assertionPaths(alt: Alternative, prefix = ''): string[] {
  return alt.flatMap((a) => {
    const path = `${prefix}${a.name.local}`;
    return [path, ...(a.nested ? assertionPaths(a.nested, `${path}/`) : [])];
  });
}

export interface Pick {
  index: number;
  alternative: Alternative;
  /** The namespace from `newestFirst` that decided, if any. */
  version?: string;
}

/**
 * The alternative whose assertions (nested ones included) use the newest namespace of `newestFirst`; among equals,
 * the first. Alternatives using none of the listed namespaces rank last. Undefined when there is no alternative.
 */
export function pickLatest(policy: NormalPolicy, newestFirst: readonly string[]): Pick | undefined {
  let best: (Pick & { rank: number }) | undefined;
  policy.alternatives.forEach((alternative, index) => {
    const rank = rankOf(alternative, newestFirst);
    if (!best || rank < best.rank) {
      best = { index, alternative, rank, ...(rank < newestFirst.length && { version: newestFirst[rank] }) };
    }
  });
  if (!best) return undefined;
  const { rank: _rank, ...pick } = best;
  return pick;
}

function rankOf(alt: Alternative, newestFirst: readonly string[]): number {
  let rank = newestFirst.length;
  for (const a of alt) {
    const own = newestFirst.indexOf(a.name.ns);
    if (own >= 0 && own < rank) rank = own;
    if (a.nested) rank = Math.min(rank, rankOf(a.nested, newestFirst));
  }
  return rank;
}

/** True when the policy is the empty policy of one empty alternative (nothing required). */
export const isEmptyPolicy = (policy: NormalPolicy): boolean => policy.alternatives.length === 1 && policy.alternatives[0].length === 0;
