import { type Tenant, tenantScope } from "../lib/tenant";
import { createDb } from "./client";
import { crossTenantSql } from "../lib/tenant-sql";

/**
 * Which D1 database holds an organization's data. `DB` is the directory (organizations, API keys,
 * webhook tokens, settings) and the default home of every organization; the Worker var D1_SHARDS
 * names more D1 bindings ("DB_SHARD_1,DB_SHARD_2"), and an organization created with
 * `database: "DB_SHARD_1"` keeps all its tenant data there (bench/SCALE.md: one D1 database holds
 * 10 GB, so a large organization, or a group of small ones, gets a database of its own). Every
 * database carries the same migrations.
 */
export const DIRECTORY = "DB";

/** Every D1 binding that holds tenant data: the directory first, then the shards. */
export function databaseNames(env: Env): string[] {
  const shards = String((env as { D1_SHARDS?: unknown }).D1_SHARDS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [DIRECTORY, ...shards.filter((s) => s !== DIRECTORY)];
}

/** The D1 binding of that name (one of databaseNames). */
export function d1Named(env: Env, name: string): D1Database {
  const d1 = (env as unknown as Record<string, unknown>)[name];
  if (!d1 || typeof d1 !== "object" || !("prepare" in d1))
    throw new Error(`D1 binding ${name} is not configured (wrangler.toml d1_databases and D1_SHARDS)`);
  return d1 as D1Database;
}

/** Organization -> database name, read once per isolate (an organization's home does not change while it runs). */
const homes = new Map<string, string>();

export async function databaseOf(env: Env, orgId: string): Promise<string> {
  const known = homes.get(orgId);
  if (known) return known;
  const row = await crossTenantSql(env.DB, "SELECT database FROM organizations WHERE id = ?1", orgId).first<{
    database: string | null;
  }>();
  const name = row?.database ?? DIRECTORY;
  // Unknown organizations are not cached: they may be created in a moment.
  if (row) homes.set(orgId, name);
  return name;
}

/** The tenant scope of an organization: its own database, and the directory. */
export async function tenantFor(env: Env, orgId: string): Promise<Tenant> {
  const name = await databaseOf(env, orgId);
  const directory = createDb(env.DB);
  return tenantScope(name === DIRECTORY ? directory : createDb(d1Named(env, name)), orgId, directory);
}
