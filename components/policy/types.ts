// The contract types the page's pure helpers use, without the API client (so unit tests need no browser).
export type { AlternativeRow, Mismatch, PairRow, ScopeRow } from '@/servers/policy/lab/contracts.ts';
import type { ScopeRow } from '@/servers/policy/lab/contracts.ts';
export type Subject = ScopeRow['subject'];
