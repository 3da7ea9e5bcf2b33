/**
 * Short texts and colours the WS-Policy page uses in tight places (matrix cells, column heads); the full
 * explanation always comes from the daemon's computation.
 */
import { clockTime } from '@/components/lab/format';
import type { AlternativeRow, Mismatch, PairRow, Subject } from './types';

/** One colour per policy subject, the same in the WSDL, the legend and the normal-form table. */
export const SCOPE_STYLE: Record<Subject, { text: string; bar: string; bg: string; chip: string }> = {
  service: { text: 'text-violet-300', bar: 'border-violet-400', bg: 'bg-violet-500/10', chip: 'bg-violet-500/15 text-violet-200' },
  endpoint: { text: 'text-sky-300', bar: 'border-sky-400', bg: 'bg-sky-500/10', chip: 'bg-sky-500/15 text-sky-200' },
  operation: { text: 'text-amber-300', bar: 'border-amber-400', bg: 'bg-amber-500/10', chip: 'bg-amber-500/15 text-amber-200' },
  message: { text: 'text-emerald-300', bar: 'border-emerald-400', bg: 'bg-emerald-500/10', chip: 'bg-emerald-500/15 text-emerald-200' },
};

/** The subject a scope text such as `wsdl:binding/wsdl:operation placeOrder` belongs to. */
export function subjectOfScope(scope: string): Subject {
  const element = scope.split(' ')[0];
  const last = element.split('/').pop() ?? '';
  if (/^wsdl:(input|output|fault|message)$/.test(last)) return 'message';
  if (last === 'wsdl:operation') return 'operation';
  if (last === 'wsdl:service') return 'service';
  return 'endpoint';
}

const SHORT: Record<string, string> = {
  'wsam:Addressing': 'WSA',
  'wsrmp:RMAssertion': 'RM 1.1',
  'wsrm10p:RMAssertion': 'RM 1.0',
  'mtom:MTOM': 'MTOM',
  'log:Logging': 'Log',
};

/** `WSA + RM 1.1`, or `nothing` for the empty alternative. */
export function shortAlternative(alt: AlternativeRow | undefined): string {
  if (!alt) return '?';
  return alt.assertions.map((a) => SHORT[a.name] ?? a.name).join(' + ') || 'nothing';
}

export const shortName = (name: string): string => SHORT[name] ?? name;

/** A mismatch in a few words: `client lacks RM 1.1 (wsdl:binding)`. */
export function shortMismatch(m: Mismatch): string {
  const other = m.side === 'provider' ? 'client' : 'provider';
  const where = m.side === 'provider' && m.scopes[0] ? ` (${m.scopes[0].split(' ')[0].split('/').pop()})` : m.side === 'client' ? ' (client set)' : '';
  const what = m.reason === 'absent' ? `${other} lacks` : m.reason === 'nested-missing' ? `${other} lacks nested policy of` : 'nested policy differs:';
  return `${what} ${shortName(m.assertion)}${where}${m.ignorable ? ', ignorable' : ''}`;
}

/** Why strict or lax decided this pair, in one sentence. */
export function modeVerdict(pair: PairRow, mode: 'strict' | 'lax'): string | null {
  const strictIgnorable = pair.mismatches.filter((m) => m.ignorable);
  if (mode === 'strict' && strictIgnorable.length) {
    return `Strict: ${strictIgnorable.map((m) => shortName(m.assertion)).join(', ')} is ignorable, but strict intersection requires every assertion to be matched (WS-Policy 1.5 §4.5).`;
  }
  if (mode === 'lax' && pair.ignored.length) {
    return `Lax: ${pair.ignored.map((i) => `${shortName(i.assertion)} (${i.side})`).join(', ')} is ignorable and unmatched, so lax intersection lets it through (WS-Policy 1.5 §4.5).`;
  }
  return null;
}

export const time = (ms: number | undefined): string => (ms === undefined ? '—' : clockTime(ms));
