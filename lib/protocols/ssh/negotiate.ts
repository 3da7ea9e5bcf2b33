/**
 * Algorithm negotiation as RFC 4253 §7.1 defines it: for each category, the FIRST algorithm on
 * the CLIENT's list that the server also supports. Pseudo-algorithms (ext-info-c, kex-strict-…)
 * only signal features and are skipped. An AEAD cipher makes the MAC choice implicit.
 */
import { ALGORITHM_BY_NAME, type Category, type KexinitList } from './algorithms.ts';

/** The ten name-lists of one KEXINIT. */
export type KexinitLists = Record<KexinitList, string[]>;

/** Which client list and server list each category compares. */
const CATEGORY_LISTS: readonly [Category, KexinitList][] = [
  ['kex', 'kex_algorithms'],
  ['hostkey', 'server_host_key_algorithms'],
  ['cipher c→s', 'encryption_algorithms_client_to_server'],
  ['cipher s→c', 'encryption_algorithms_server_to_client'],
  ['mac c→s', 'mac_algorithms_client_to_server'],
  ['mac s→c', 'mac_algorithms_server_to_client'],
  ['compression c→s', 'compression_algorithms_client_to_server'],
  ['compression s→c', 'compression_algorithms_server_to_client'],
];

/** The outcome: chosen algorithm per category, or the first category with no match. */
export interface Negotiation {
  chosen: Partial<Record<Category, string>>;
  failed?: Category;
  /** Both sides offered kex-strict-*: strict KEX (Terrapin mitigation) is on. */
  strict: boolean;
}

/** The negotiated value for one category; '<implicit>' for the MAC of an AEAD cipher. */
export function chooseAlgorithm(client: readonly string[], server: readonly string[]): string | undefined {
  return client.find((name) => !ALGORITHM_BY_NAME.get(name)?.pseudo && server.includes(name));
}

/** Negotiates every category in wire order, stopping at the first failure (as implementations do). */
export function negotiate(client: KexinitLists, server: KexinitLists): Negotiation {
  const chosen: Partial<Record<Category, string>> = {};
  const strict =
    client.kex_algorithms.includes('kex-strict-c-v00@openssh.com') && server.kex_algorithms.includes('kex-strict-s-v00@openssh.com');
  for (const [category, list] of CATEGORY_LISTS) {
    if (category.startsWith('mac')) {
      const cipher = chosen[category === 'mac c→s' ? 'cipher c→s' : 'cipher s→c'];
      if (cipher && ALGORITHM_BY_NAME.get(cipher)?.aead) {
        chosen[category] = '<implicit>';
        continue;
      }
    }
    const pick = chooseAlgorithm(client[list], server[list]);
    if (!pick) return { chosen, failed: category, strict };
    chosen[category] = pick;
  }
  return { chosen, strict };
}

/** OpenSSH's wording of a negotiation failure ("no matching key exchange method found"). */
export function failureWording(category: Category): string {
  if (category === 'kex') return 'no matching key exchange method found';
  if (category === 'hostkey') return 'no matching host key type found';
  if (category.startsWith('cipher')) return 'no matching cipher found';
  if (category.startsWith('mac')) return 'no matching MAC found';
  return 'no matching compression method found';
}
