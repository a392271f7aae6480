/**
 * The suppression list: addresses (as the SHA-256 of the normalized address, so that an erased
 * contact leaves nothing readable) that marketing mail never goes to again.
 */
import { eq } from "drizzle-orm";
import { suppressions } from "../../db/schema";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";
import { normalizeEmail } from "../../lib/validation";

export type SuppressionReason = (typeof suppressions.$inferInsert)["reason"];

/** SHA-256 of the normalized address: how suppressions are keyed (erased contacts leave only this). */
export const emailHash = (email: string) => sha256Hex(normalizeEmail(email));

export async function isSuppressed(tenant: Tenant, email: string): Promise<boolean> {
  const hash = await emailHash(email);
  const row = await tenant.db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(scoped(tenant, suppressions, eq(suppressions.emailHash, hash)))
    .get();
  return !!row;
}

/** Where a suppression came from: the provider that reported it, the link, the API, an import ... */
export interface SuppressionOrigin {
  /** The address (kept to list and search it); null for an erasure, which keeps only the hash. */
  email: string | null;
  source: string;
}

/**
 * A suppression row for an address hash, idempotent on (organization, hash): the first reason and
 * source stay. Synchronous on purpose: a drizzle query is a thenable, so returning one from an
 * async function would run it.
 */
export function suppressionStatement(
  tenant: Tenant,
  hash: string,
  reason: SuppressionReason,
  at = now(),
  origin: SuppressionOrigin = { email: null, source: "events" },
) {
  return tenant.db
    .insert(suppressions)
    .values({
      id: newId("sup", at),
      organizationId: tenant.orgId,
      emailHash: hash,
      reason,
      email: reason === "erased" || origin.email === null ? null : normalizeEmail(origin.email),
      source: origin.source,
      createdAt: at,
    })
    .onConflictDoNothing();
}

/** Add a suppression for an address (idempotent). An erasure keeps no address, only its hash. */
export async function suppress(tenant: Tenant, email: string, reason: SuppressionReason, source = "api") {
  await suppressionStatement(tenant, await emailHash(email), reason, now(), {
    email: reason === "erased" ? null : email,
    source,
  });
}
