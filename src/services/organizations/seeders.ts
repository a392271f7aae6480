import type { Tenant } from "../../lib/tenant";

/** What a new organization starts with (its default rules, templates ...), written once at creation. */
export type OrganizationSeeder = (tenant: Tenant) => Promise<void>;

const seeders: OrganizationSeeder[] = [];

/** Set the seeders, in order (src/wiring.ts does, once, at start). */
export function useOrganizationSeeders(list: OrganizationSeeder[]): void {
  seeders.splice(0, seeders.length, ...list);
}

/** Run every seeder for a new organization. */
export async function seedOrganization(tenant: Tenant): Promise<void> {
  for (const seed of seeders) await seed(tenant);
}
