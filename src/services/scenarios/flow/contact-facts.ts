/**
 * What a flow reads about its contact while it walks: whether segment criteria hold now (a
 * condition, a criteria goal) and the value of a field or attribute (a wait until a date).
 */
import type { Tenant } from "../../../lib/tenant";
import { asTenantSql, tenantSql } from "../../../lib/tenant-sql";
import { bindCriteria, compileCriteria } from "../../segments/criteria";
import type { Criteria } from "../../segments/types";
import { findContact } from "../../contacts/store";
import { parseJson } from "../../../lib/json";
import { now } from "../../../lib/clock";

/** Whether the contact matches the criteria now (the segments' own SQL, on its row). */
export async function contactMatches(tenant: Tenant, contactId: string, criteria: Record<string, unknown>) {
  const compiled = compileCriteria(criteria as unknown as Criteria, now());
  const row = await tenantSql(
    tenant,
    asTenantSql(
      `SELECT 1 AS ok FROM contacts c WHERE c.organization_id = ?1 AND c.id = ?2 AND ${bindCriteria(compiled, 3)}`,
    ),
    contactId,
    compiled.param,
  ).first<{ ok: number }>();
  return !!row;
}

const FIELDS: Record<string, string> = {
  created_at: "createdAt",
  last_sent_at: "lastSentAt",
  last_opened_at: "lastOpenedAt",
  last_clicked_at: "lastClickedAt",
  last_purchase_at: "lastPurchaseAt",
  first_name: "firstName",
  last_name: "lastName",
};

/** A contact field (its API name) or `attributes.<key>`; null when there is none. */
export async function contactValue(tenant: Tenant, contactId: string, attribute: string) {
  const c = await findContact(tenant, contactId);
  if (!c) return null;
  if (attribute.startsWith("attributes.") || !(attribute in FIELDS)) {
    const key = attribute.replace(/^attributes\./, "");
    const v = parseJson<Record<string, unknown>>(c.attributes, {})[key];
    return typeof v === "string" || typeof v === "number" ? v : null;
  }
  const v = (c as unknown as Record<string, unknown>)[FIELDS[attribute] as string];
  return typeof v === "string" || typeof v === "number" ? v : null;
}
