/**
 * The access-control model in the lab database, per sandbox. Every write runs in one transaction
 * and then calls `changed(sandbox, what)` — the decision point's invalidation — so a change applies
 * to the very next request, with no polling and no TTL. References are checked here (a club's
 * community, a product's features, a subscription's group) because the tables keep no foreign keys.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from '../../../lib/http/api-kit.ts';
import type { Db } from '../../../lib/store/db.ts';
import type {
  AccessModel,
  BlacklistInput,
  ClubInput,
  CommunityInput,
  FeatureInput,
  GroupSchema,
  ProductInput,
  SubscriptionInput,
  UserInput,
} from '../lab/contracts.ts';

type In<S extends z.ZodType> = z.output<S>;
type Group = z.output<typeof GroupSchema>;
export type Entity = 'features' | 'products' | 'communities' | 'clubs' | 'users' | 'subscriptions' | 'blacklist';

const TABLE: Record<Entity, string> = {
  features: 'access_feature',
  products: 'access_product',
  communities: 'access_community',
  clubs: 'access_club',
  users: 'access_user',
  subscriptions: 'access_subscription',
  blacklist: 'access_blacklist',
};

/** A fresh API key: 24 random bytes, URL-safe (what X-Api-Key carries). */
export const newApiKey = (): string => `key-${randomBytes(18).toString('base64url')}`;

export class AccessStore {
  constructor(
    private readonly db: Db,
    /** Called after each committed change: the decision point's invalidation. */
    private readonly changed: (sandbox: string, what: string) => void,
  ) {}

  /** Whether the demo data was written for this sandbox (it is written once, on first use). */
  seeded(sandbox: string): boolean {
    return this.db.prepare(`SELECT 1 FROM access_seeded WHERE sandbox = ?`).get(sandbox) !== undefined;
  }

  /** Runs `write` in one transaction (the demo data, a test's setup) and marks the sandbox seeded. */
  seed(sandbox: string, write: () => void): void {
    this.db.transaction(() => {
      if (this.seeded(sandbox)) return;
      write();
      this.db.prepare(`INSERT INTO access_seeded (sandbox, at) VALUES (?, ?)`).run(sandbox, Date.now());
    }).immediate();
  }

  /** The whole model of a sandbox. */
  model(sandbox: string): AccessModel {
    const all = <T>(sql: string) => this.db.prepare(sql).all(sandbox) as T[];
    const pairs = (sql: string) => {
      const map = new Map<number, (string | number)[]>();
      for (const row of this.db.prepare(sql).all(sandbox) as { a: number; b: string | number }[]) map.set(row.a, [...(map.get(row.a) ?? []), row.b]);
      return (id: number) => map.get(id) ?? [];
    };
    const featureServices = pairs(`SELECT fs.feature AS a, fs.service AS b FROM access_feature_service fs JOIN access_feature f ON f.id = fs.feature WHERE f.sandbox = ? ORDER BY fs.service`);
    const productFeatures = pairs(`SELECT pf.product AS a, pf.feature AS b FROM access_product_feature pf JOIN access_product p ON p.id = pf.product WHERE p.sandbox = ? ORDER BY pf.feature`);
    const userCommunities = pairs(`SELECT uc.user AS a, uc.community AS b FROM access_user_community uc JOIN access_user u ON u.id = uc.user WHERE u.sandbox = ? ORDER BY uc.community`);
    const userClubs = pairs(`SELECT uc.user AS a, uc.club AS b FROM access_user_club uc JOIN access_user u ON u.id = uc.user WHERE u.sandbox = ? ORDER BY uc.club`);
    type Named = { id: number; name: string; description: string };
    return {
      features: all<Named>(`SELECT id, name, description FROM access_feature WHERE sandbox = ? ORDER BY id`).map((f) => ({ ...f, services: featureServices(f.id) as string[] })),
      products: all<Named>(`SELECT id, name, description FROM access_product WHERE sandbox = ? ORDER BY id`).map((p) => ({ ...p, features: productFeatures(p.id) as number[] })),
      communities: all<Named>(`SELECT id, name, description FROM access_community WHERE sandbox = ? ORDER BY id`),
      clubs: all<Named & { community: number }>(`SELECT id, name, description, community FROM access_club WHERE sandbox = ? ORDER BY id`),
      users: all<{ id: number; name: string; api_key: string }>(`SELECT id, name, api_key FROM access_user WHERE sandbox = ? ORDER BY id`).map((u) => ({
        id: u.id,
        name: u.name,
        apiKey: u.api_key,
        communities: userCommunities(u.id) as number[],
        clubs: userClubs(u.id) as number[],
      })),
      subscriptions: all<{ id: number; group_kind: 'community' | 'club'; group_id: number; product: number; state: 'active' | 'suspended' }>(
        `SELECT id, group_kind, group_id, product, state FROM access_subscription WHERE sandbox = ? ORDER BY id`,
      ).map((s) => ({ id: s.id, group: { kind: s.group_kind, id: s.group_id }, product: s.product, state: s.state })),
      blacklist: all<{ id: number; user: number; reason: string; since: number }>(`SELECT id, user, reason, since FROM access_blacklist WHERE sandbox = ? ORDER BY id`),
    };
  }

  // ── writes ──

  createFeature(sandbox: string, input: In<typeof FeatureInput>, quiet = false) {
    return this.write(sandbox, `feature ${input.name} created`, quiet, () => {
      const id = this.insert(`INSERT INTO access_feature (sandbox, name, description) VALUES (?, ?, ?)`, sandbox, input.name, input.description);
      this.setFeatureServices(id, input.services);
      return this.one(sandbox, 'features', id);
    });
  }

  updateFeature(sandbox: string, id: number, input: In<typeof FeatureInput>) {
    return this.write(sandbox, `feature ${input.name} changed`, false, () => {
      this.mustExist(sandbox, 'features', id);
      this.run(`UPDATE access_feature SET name = ?, description = ? WHERE id = ?`, input.name, input.description, id);
      this.setFeatureServices(id, input.services);
      return this.one(sandbox, 'features', id);
    });
  }

  createProduct(sandbox: string, input: In<typeof ProductInput>, quiet = false) {
    return this.write(sandbox, `product ${input.name} created`, quiet, () => {
      this.mustAllExist(sandbox, 'features', input.features);
      const id = this.insert(`INSERT INTO access_product (sandbox, name, description) VALUES (?, ?, ?)`, sandbox, input.name, input.description);
      this.setPairs('access_product_feature', 'product', 'feature', id, input.features);
      return this.one(sandbox, 'products', id);
    });
  }

  updateProduct(sandbox: string, id: number, input: In<typeof ProductInput>) {
    return this.write(sandbox, `product ${input.name} changed`, false, () => {
      this.mustExist(sandbox, 'products', id);
      this.mustAllExist(sandbox, 'features', input.features);
      this.run(`UPDATE access_product SET name = ?, description = ? WHERE id = ?`, input.name, input.description, id);
      this.setPairs('access_product_feature', 'product', 'feature', id, input.features);
      return this.one(sandbox, 'products', id);
    });
  }

  createCommunity(sandbox: string, input: In<typeof CommunityInput>, quiet = false) {
    return this.write(sandbox, `community ${input.name} created`, quiet, () => {
      const id = this.insert(`INSERT INTO access_community (sandbox, name, description) VALUES (?, ?, ?)`, sandbox, input.name, input.description);
      return this.one(sandbox, 'communities', id);
    });
  }

  updateCommunity(sandbox: string, id: number, input: In<typeof CommunityInput>) {
    return this.write(sandbox, `community ${input.name} changed`, false, () => {
      this.mustExist(sandbox, 'communities', id);
      this.run(`UPDATE access_community SET name = ?, description = ? WHERE id = ?`, input.name, input.description, id);
      return this.one(sandbox, 'communities', id);
    });
  }

  createClub(sandbox: string, input: In<typeof ClubInput>, quiet = false) {
    return this.write(sandbox, `club ${input.name} created`, quiet, () => {
      this.mustExist(sandbox, 'communities', input.community);
      const id = this.insert(`INSERT INTO access_club (sandbox, name, description, community) VALUES (?, ?, ?, ?)`, sandbox, input.name, input.description, input.community);
      return this.one(sandbox, 'clubs', id);
    });
  }

  updateClub(sandbox: string, id: number, input: In<typeof ClubInput>) {
    return this.write(sandbox, `club ${input.name} changed`, false, () => {
      this.mustExist(sandbox, 'clubs', id);
      this.mustExist(sandbox, 'communities', input.community);
      this.run(`UPDATE access_club SET name = ?, description = ?, community = ? WHERE id = ?`, input.name, input.description, input.community, id);
      return this.one(sandbox, 'clubs', id);
    });
  }

  createUser(sandbox: string, input: In<typeof UserInput>, quiet = false) {
    return this.write(sandbox, `user ${input.name} created`, quiet, () => {
      this.mustAllExist(sandbox, 'communities', input.communities);
      this.mustAllExist(sandbox, 'clubs', input.clubs);
      const id = this.insert(`INSERT INTO access_user (sandbox, name, api_key) VALUES (?, ?, ?)`, sandbox, input.name, newApiKey());
      this.setPairs('access_user_community', 'user', 'community', id, input.communities);
      this.setPairs('access_user_club', 'user', 'club', id, input.clubs);
      return this.one(sandbox, 'users', id);
    });
  }

  updateUser(sandbox: string, id: number, input: In<typeof UserInput>) {
    return this.write(sandbox, `user ${input.name}'s memberships changed`, false, () => {
      this.mustExist(sandbox, 'users', id);
      this.mustAllExist(sandbox, 'communities', input.communities);
      this.mustAllExist(sandbox, 'clubs', input.clubs);
      this.run(`UPDATE access_user SET name = ? WHERE id = ?`, input.name, id);
      this.setPairs('access_user_community', 'user', 'community', id, input.communities);
      this.setPairs('access_user_club', 'user', 'club', id, input.clubs);
      return this.one(sandbox, 'users', id);
    });
  }

  createSubscription(sandbox: string, input: In<typeof SubscriptionInput>, quiet = false) {
    return this.write(sandbox, `${this.groupName(sandbox, input.group)} subscribed to ${this.nameOf(sandbox, 'products', input.product)} (${input.state})`, quiet, () => {
      const id = this.insert(`INSERT INTO access_subscription (sandbox, group_kind, group_id, product, state) VALUES (?, ?, ?, ?, ?)`, sandbox, input.group.kind, input.group.id, input.product, input.state);
      return this.one(sandbox, 'subscriptions', id);
    });
  }

  updateSubscription(sandbox: string, id: number, input: In<typeof SubscriptionInput>) {
    return this.write(sandbox, `${this.groupName(sandbox, input.group)} → ${this.nameOf(sandbox, 'products', input.product)} now ${input.state}`, false, () => {
      this.mustExist(sandbox, 'subscriptions', id);
      this.run(`UPDATE access_subscription SET group_kind = ?, group_id = ?, product = ?, state = ? WHERE id = ?`, input.group.kind, input.group.id, input.product, input.state, id);
      return this.one(sandbox, 'subscriptions', id);
    });
  }

  createBlacklist(sandbox: string, input: In<typeof BlacklistInput>, quiet = false) {
    return this.write(sandbox, `${this.nameOf(sandbox, 'users', input.user)} blacklisted`, quiet, () => {
      const id = this.insert(`INSERT INTO access_blacklist (sandbox, user, reason, since) VALUES (?, ?, ?, ?)`, sandbox, input.user, input.reason, Date.now());
      return this.one(sandbox, 'blacklist', id);
    });
  }

  updateBlacklist(sandbox: string, id: number, input: In<typeof BlacklistInput>) {
    return this.write(sandbox, `blacklist entry of ${this.nameOf(sandbox, 'users', input.user)} changed`, false, () => {
      this.mustExist(sandbox, 'blacklist', id);
      this.nameOf(sandbox, 'users', input.user);
      this.run(`UPDATE access_blacklist SET user = ?, reason = ? WHERE id = ?`, input.user, input.reason, id);
      return this.one(sandbox, 'blacklist', id);
    });
  }

  /** Deletes a row and everything that only made sense with it (memberships, subscriptions, links). */
  remove(sandbox: string, entity: Entity, id: number): { ok: true } {
    const label = entity === 'subscriptions' || entity === 'blacklist' ? `${entity} entry ${id}` : `${entity.replace(/ies$/, 'y').replace(/s$/, '')} ${this.nameOf(sandbox, entity, id)}`;
    return this.write(sandbox, `${label} deleted`, false, () => {
      this.mustExist(sandbox, entity, id);
      this.run(`DELETE FROM ${TABLE[entity]} WHERE id = ?`, id);
      const cascade: Record<Entity, string[]> = {
        features: [`DELETE FROM access_feature_service WHERE feature = ?`, `DELETE FROM access_product_feature WHERE feature = ?`],
        products: [`DELETE FROM access_product_feature WHERE product = ?`, `DELETE FROM access_subscription WHERE product = ?`],
        communities: [
          `DELETE FROM access_user_community WHERE community = ?`,
          `DELETE FROM access_subscription WHERE group_kind = 'community' AND group_id = ?`,
          // Its clubs go with it, and theirs memberships and subscriptions.
          `DELETE FROM access_user_club WHERE club IN (SELECT id FROM access_club WHERE community = ?)`,
          `DELETE FROM access_subscription WHERE group_kind = 'club' AND group_id IN (SELECT id FROM access_club WHERE community = ?)`,
          `DELETE FROM access_club WHERE community = ?`,
        ],
        clubs: [`DELETE FROM access_user_club WHERE club = ?`, `DELETE FROM access_subscription WHERE group_kind = 'club' AND group_id = ?`],
        users: [`DELETE FROM access_user_community WHERE user = ?`, `DELETE FROM access_user_club WHERE user = ?`, `DELETE FROM access_blacklist WHERE user = ?`],
        subscriptions: [],
        blacklist: [],
      };
      for (const sql of cascade[entity]) this.run(sql, id);
      return { ok: true as const };
    });
  }

  // ── helpers ──

  private write<T>(sandbox: string, what: string, quiet: boolean, body: () => T): T {
    let result: T;
    try {
      // IMMEDIATE: a deferred transaction that reads first cannot wait for the transcript writer's lock
      // (WAL answers SQLITE_BUSY at once when a read must become a write), IMMEDIATE waits at BEGIN.
      result = this.db.transaction(body).immediate();
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed/.test(err.message)) throw new HttpError(409, `That already exists (${err.message.replace(/^.*failed: /, '')}).`);
      throw err;
    }
    if (!quiet) this.changed(sandbox, what);
    return result;
  }

  private run(sql: string, ...args: (string | number)[]): void {
    this.db.prepare(sql).run(...args);
  }

  private insert(sql: string, ...args: (string | number)[]): number {
    return Number(this.db.prepare(sql).run(...args).lastInsertRowid);
  }

  private setFeatureServices(feature: number, services: readonly string[]): void {
    this.run(`DELETE FROM access_feature_service WHERE feature = ?`, feature);
    for (const service of new Set(services)) this.run(`INSERT INTO access_feature_service (feature, service) VALUES (?, ?)`, feature, service);
  }

  private setPairs(table: string, left: string, right: string, id: number, values: readonly number[]): void {
    this.run(`DELETE FROM ${table} WHERE ${left} = ?`, id);
    for (const value of new Set(values)) this.run(`INSERT INTO ${table} (${left}, ${right}) VALUES (?, ?)`, id, value);
  }

  private mustExist(sandbox: string, entity: Entity, id: number): void {
    if (this.db.prepare(`SELECT 1 FROM ${TABLE[entity]} WHERE id = ? AND sandbox = ?`).get(id, sandbox) === undefined) {
      throw new HttpError(404, `No ${entity} entry ${id}.`);
    }
  }

  private mustAllExist(sandbox: string, entity: Entity, ids: readonly number[]): void {
    for (const id of ids) this.mustExist(sandbox, entity, id);
  }

  private nameOf(sandbox: string, entity: Entity, id: number): string {
    const row = this.db.prepare(`SELECT name FROM ${TABLE[entity]} WHERE id = ? AND sandbox = ?`).get(id, sandbox) as { name: string } | undefined;
    if (!row) throw new HttpError(404, `No ${entity} entry ${id}.`);
    return row.name;
  }

  private groupName(sandbox: string, group: Group): string {
    return `${group.kind} ${this.nameOf(sandbox, group.kind === 'community' ? 'communities' : 'clubs', group.id)}`;
  }

  private one<E extends Entity>(sandbox: string, entity: E, id: number): AccessModel[E][number] {
    const found = (this.model(sandbox)[entity] as AccessModel[E][number][]).find((row) => row.id === id);
    if (!found) throw new HttpError(404, `No ${entity} entry ${id}.`);
    return found;
  }
}
