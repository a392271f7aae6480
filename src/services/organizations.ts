import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { organizations } from "../db/schema";
import { now } from "../lib/clock";
import { newId, randomToken } from "../lib/ids";
import { parseJson } from "../lib/json";
import { type Tenant, tenantScope } from "../lib/tenant";
import { createApiKey } from "./api-keys";

/** Hooks run when an organization is created (default rules and the like register here). */
type OrganizationSeeder = (tenant: Tenant) => Promise<void>;
const seeders: OrganizationSeeder[] = [];
export function onOrganizationCreated(seed: OrganizationSeeder): void {
  seeders.push(seed);
}

export async function createOrganization(db: Db, name: string) {
  const at = now();
  const org = { id: newId("org", at), name, webhookToken: randomToken(24), settings: "{}", createdAt: at };
  await db.insert(organizations).values(org);
  const tenant = tenantScope(db, org.id);
  const key = await createApiKey(tenant, { name: "default" });
  for (const seed of seeders) await seed(tenant);
  return { organization: { id: org.id, name: org.name }, api_key: key.api_key };
}

export async function getOrganization(tenant: Tenant) {
  const org = await tenant.db.select().from(organizations).where(eq(organizations.id, tenant.orgId)).get();
  if (!org) throw new Error("organization of an authenticated key is missing");
  return org;
}

/** Organization settings JSON (scoring, reminders...), each feature reading its own key. */
export async function getSettings<T extends object>(tenant: Tenant, key: string, defaults: T): Promise<T> {
  const org = await getOrganization(tenant);
  const all = parseJson<Record<string, unknown>>(org.settings, {});
  return { ...defaults, ...((all[key] as Partial<T>) ?? {}) };
}

export async function putSettings(tenant: Tenant, key: string, value: object): Promise<void> {
  const org = await getOrganization(tenant);
  const all = parseJson<Record<string, unknown>>(org.settings, {});
  all[key] = value;
  await tenant.db
    .update(organizations)
    .set({ settings: JSON.stringify(all) })
    .where(eq(organizations.id, tenant.orgId));
}

/** Resolve the organization a provider webhook URL names; null when the token is unknown. */
export async function tenantByWebhookToken(db: Db, token: string): Promise<Tenant | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  const org = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.webhookToken, token))
    .get();
  return org ? tenantScope(db, org.id) : null;
}
