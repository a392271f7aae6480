/**
 * At send time, which conditional blocks each contact of a batch does not see: one query per
 * template of the batch that has conditional blocks (every criteria as a column, the segments' own
 * SQL on the contacts' rows), nothing for templates without any.
 */
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { asTenantSql, tenantSql } from "../../lib/tenant-sql";
import { bindCriteria, compileCriteria } from "../segments/criteria";
import type { Criteria } from "../segments/types";
import type { Design } from "./schema";
import { visibilityRules } from "./visibility";

/** D1 binds at most 100 parameters: two are the organization and the contact list. */
const MAX_RULES = 90;

/** contact id -> {key: true} for each block hidden from that contact. */
export async function hiddenBlocks(
  tenant: Tenant,
  design: Design,
  contactIds: string[],
): Promise<Map<string, Record<string, true>>> {
  const rules = [...visibilityRules(design.blocks).values()].slice(0, MAX_RULES);
  const out = new Map<string, Record<string, true>>();
  if (!rules.length || !contactIds.length) return out;
  const at = now();
  const compiled = rules.map((r) => compileCriteria(r.criteria as unknown as Criteria, at));
  const columns = compiled.map((c, i) => `(${bindCriteria(c, 3 + i)}) AS v${i}`).join(", ");
  const res = await tenantSql(
    tenant,
    asTenantSql(
      `SELECT c.id AS id, ${columns} FROM contacts c WHERE c.organization_id = ?1 AND c.id IN (SELECT value FROM json_each(?2))`,
    ),
    JSON.stringify(contactIds),
    ...compiled.map((c) => c.param),
  ).all<Record<string, unknown>>();
  for (const row of res.results) {
    const hidden: Record<string, true> = {};
    rules.forEach((r, i) => {
      if (!row[`v${i}`]) hidden[r.key] = true;
    });
    out.set(String(row.id), hidden);
  }
  return out;
}

/** Set `hidden` in each job's context, per template (one query each). */
export async function applyVisibility(
  tenant: Tenant,
  jobs: { design: string; contactId: string; context: Record<string, unknown> }[],
) {
  const byDesign = new Map<string, typeof jobs>();
  for (const j of jobs) byDesign.set(j.design, [...(byDesign.get(j.design) ?? []), j]);
  for (const [design, list] of byDesign) {
    const parsed = JSON.parse(design) as Design;
    const ids = [...new Set(list.map((j) => j.contactId))];
    // Criteria that no longer compile (checked when saved; a field gone since) hide their blocks
    // rather than show them to everyone, and the batch still goes.
    const hidden = await hiddenBlocks(tenant, parsed, ids).catch(() => {
      const all = Object.fromEntries(
        [...visibilityRules(parsed.blocks).values()].map((r) => [r.key, true as const]),
      );
      return new Map(ids.map((id) => [id, all]));
    });
    for (const j of list) j.context.hidden = hidden.get(j.contactId) ?? {};
  }
}
