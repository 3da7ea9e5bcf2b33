/**
 * The access-control lab's tables (gatewayLab.migrations), per sandbox: features (sets of catalogue
 * services, named by method + URI template so they survive a Sync), products (sets of features),
 * communities, clubs inside a community, users with their memberships and API key, subscriptions of
 * a group (community or club) to a product, and the blacklist. Append only.
 */
import type { LabMigrations } from '../../../lib/store/lab-migrations.ts';

export const ACCESS_MIGRATIONS: LabMigrations = [
  `CREATE TABLE access_seeded (sandbox TEXT PRIMARY KEY, at INTEGER NOT NULL);
   CREATE TABLE access_feature (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
     UNIQUE (sandbox, name));
   CREATE TABLE access_feature_service (feature INTEGER NOT NULL, service TEXT NOT NULL, PRIMARY KEY (feature, service));
   CREATE TABLE access_product (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
     UNIQUE (sandbox, name));
   CREATE TABLE access_product_feature (product INTEGER NOT NULL, feature INTEGER NOT NULL, PRIMARY KEY (product, feature));
   CREATE TABLE access_community (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
     UNIQUE (sandbox, name));
   CREATE TABLE access_club (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
     community INTEGER NOT NULL, UNIQUE (sandbox, name));
   CREATE TABLE access_user (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, name TEXT NOT NULL, api_key TEXT NOT NULL UNIQUE,
     UNIQUE (sandbox, name));
   CREATE TABLE access_user_community (user INTEGER NOT NULL, community INTEGER NOT NULL, PRIMARY KEY (user, community));
   CREATE TABLE access_user_club (user INTEGER NOT NULL, club INTEGER NOT NULL, PRIMARY KEY (user, club));
   CREATE TABLE access_subscription (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL,
     group_kind TEXT NOT NULL CHECK (group_kind IN ('community', 'club')), group_id INTEGER NOT NULL,
     product INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('active', 'suspended')),
     UNIQUE (group_kind, group_id, product));
   CREATE TABLE access_blacklist (
     id INTEGER PRIMARY KEY AUTOINCREMENT, sandbox TEXT NOT NULL, user INTEGER NOT NULL UNIQUE,
     reason TEXT NOT NULL, since INTEGER NOT NULL);`,
];
