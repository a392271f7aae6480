import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { campaigns, contacts, scenarios, segmentMembers, segments } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { normalizeEmail } from "../../lib/validation";
import type { Criteria } from "./types";
import { tenantSql } from "../../lib/tenant-sql";

export type SegmentRow = typeof segments.$inferSelect;

export function segmentView(s: SegmentRow, contactCount?: number) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    type: s.type,
    criteria: s.criteria ? parseJson<Criteria | null>(s.criteria, null) : null,
    ...(contactCount !== undefined ? { contact_count: contactCount } : {}),
    created_at: iso(s.createdAt) as string,
    updated_at: iso(s.updatedAt) as string,
  };
}

export interface SegmentInput {
  name: string;
  description?: string | null;
  type: "dynamic" | "static";
  criteria?: Criteria | null;
}

export async function createSegment(tenant: Tenant, input: SegmentInput): Promise<SegmentRow> {
  if (input.type === "dynamic" && !input.criteria)
    throw new ApiError("VALIDATION_ERROR", "criteria: a dynamic segment needs criteria", [
      { field: "criteria", message: "required for a dynamic segment" },
    ]);
  if (input.type === "static" && input.criteria)
    throw new ApiError("VALIDATION_ERROR", "criteria: a static segment has members, not criteria", [
      { field: "criteria", message: "not allowed on a static segment" },
    ]);
  const at = now();
  const row: SegmentRow = {
    id: newId("seg", at),
    organizationId: tenant.orgId,
    name: input.name,
    description: input.description ?? null,
    type: input.type,
    criteria: input.criteria ? JSON.stringify(input.criteria) : null,
    createdAt: at,
    updatedAt: at,
  };
  await tenant.db.insert(segments).values(row);
  return row;
}

export async function getSegment(tenant: Tenant, id: string): Promise<SegmentRow> {
  const row = await tenant.db
    .select()
    .from(segments)
    .where(scoped(tenant, segments, eq(segments.id, id)))
    .get();
  if (!row) throw notFound("segment");
  return row;
}

/** The segments of these ids, all of them this organization's (else 404 naming the field). */
export async function getSegments(tenant: Tenant, ids: string[], field: string): Promise<SegmentRow[]> {
  if (!ids.length) return [];
  const rows = await tenant.db
    .select()
    .from(segments)
    .where(scoped(tenant, segments, inArray(segments.id, ids)))
    .all();
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length)
    throw new ApiError("NOT_FOUND", `segment not found: ${missing.join(", ")}`, [
      { field, message: `no segment ${missing[0]} in this organization` },
    ]);
  return ids.map((id) => rows.find((r) => r.id === id) as SegmentRow);
}

export async function listSegments(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(segments)
    .where(scoped(tenant, segments, after ? lt(segments.id, String(after[0])) : undefined))
    .orderBy(desc(segments.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

export async function updateSegment(
  tenant: Tenant,
  id: string,
  patch: { name?: string; description?: string | null; criteria?: Criteria },
): Promise<SegmentRow> {
  const row = await getSegment(tenant, id);
  if (patch.criteria && row.type === "static")
    throw new ApiError("CONFLICT", "a static segment has members, not criteria");
  const next = {
    name: patch.name ?? row.name,
    description: patch.description !== undefined ? patch.description : row.description,
    criteria: patch.criteria ? JSON.stringify(patch.criteria) : row.criteria,
    updatedAt: now(),
  };
  await tenant.db
    .update(segments)
    .set(next)
    .where(scoped(tenant, segments, eq(segments.id, id)));
  return { ...row, ...next };
}

/** Delete a segment no scenario and no unfinished campaign uses (else 409 naming the user). */
export async function deleteSegment(tenant: Tenant, id: string): Promise<void> {
  await getSegment(tenant, id);
  const scenario = await tenant.db
    .select({ id: scenarios.id })
    .from(scenarios)
    .where(scoped(tenant, scenarios, eq(scenarios.segmentId, id)))
    .get();
  if (scenario) throw new ApiError("CONFLICT", `segment is the audience of scenario ${scenario.id}`);
  const open = await tenant.db
    .select({ id: campaigns.id, segmentIds: campaigns.segmentIds, exclude: campaigns.excludeSegmentIds })
    .from(campaigns)
    .where(scoped(tenant, campaigns, inArray(campaigns.status, ["draft", "scheduled", "sending", "paused"])))
    .all();
  const user = open.find((c) =>
    [...parseJson<string[]>(c.segmentIds, []), ...parseJson<string[]>(c.exclude, [])].includes(id),
  );
  if (user) throw new ApiError("CONFLICT", `segment is used by campaign ${user.id}`);
  const { db } = tenant;
  await db.batch([
    db
      .delete(segmentMembers)
      .where(and(eq(segmentMembers.segmentId, id), eq(segmentMembers.organizationId, tenant.orgId))),
    db.delete(segments).where(scoped(tenant, segments, eq(segments.id, id))),
  ]);
}

/** The contact ids these ids and addresses name in this organization (others are reported, not added). */
async function resolveContacts(tenant: Tenant, input: { contact_ids?: string[]; emails?: string[] }) {
  const ids = new Set<string>();
  const found = new Set<string>();
  const wanted = input.contact_ids ?? [];
  for (let i = 0; i < wanted.length; i += 90) {
    const rows = await tenant.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(scoped(tenant, contacts, inArray(contacts.id, wanted.slice(i, i + 90))))
      .all();
    for (const r of rows) {
      ids.add(r.id);
      found.add(r.id);
    }
  }
  const emails = (input.emails ?? []).map(normalizeEmail);
  for (let i = 0; i < emails.length; i += 90) {
    const rows = await tenant.db
      .select({ id: contacts.id, email: contacts.emailNormalized })
      .from(contacts)
      .where(scoped(tenant, contacts, inArray(contacts.emailNormalized, emails.slice(i, i + 90))))
      .all();
    for (const r of rows) {
      ids.add(r.id);
      found.add(r.email);
    }
  }
  const notFound = [...wanted.filter((id) => !found.has(id)), ...emails.filter((e) => !found.has(e))];
  return { ids: [...ids], notFound };
}

async function staticSegment(tenant: Tenant, id: string) {
  const row = await getSegment(tenant, id);
  if (row.type !== "static")
    throw new ApiError(
      "CONFLICT",
      "members belong to static segments; a dynamic segment follows its criteria",
    );
  return row;
}

type MembersInput = { contact_ids?: string[]; emails?: string[] };

/** The contacts a members request names, for a static segment of the organization (else 404 / 409). */
async function membersOf(tenant: Tenant, id: string, input: MembersInput) {
  await staticSegment(tenant, id);
  return resolveContacts(tenant, input);
}

/** Add contacts to a static segment (idempotent). */
export async function addMembers(tenant: Tenant, id: string, input: MembersInput) {
  const { ids, notFound: missing } = await membersOf(tenant, id, input);
  const added = await insertMembers(tenant, id, ids);
  return { added, not_found: missing };
}

/** One statement per 1,000 members: they travel as one JSON parameter. */
export async function insertMembers(
  tenant: Tenant,
  segmentId: string,
  contactIds: string[],
): Promise<number> {
  let added = 0;
  const at = now();
  for (let i = 0; i < contactIds.length; i += 1000) {
    const res = await tenantSql(
      tenant,
      `INSERT INTO segment_members (segment_id, contact_id, organization_id, created_at)
       SELECT ?2, value, ?1, ?3 FROM json_each(?4) WHERE true ON CONFLICT DO NOTHING`,
      segmentId,
      at,
      JSON.stringify(contactIds.slice(i, i + 1000)),
    ).run();
    added += res.meta.changes ?? 0;
  }
  return added;
}

export async function removeMembers(tenant: Tenant, id: string, input: MembersInput) {
  const { ids, notFound: missing } = await membersOf(tenant, id, input);
  let removed = 0;
  for (let i = 0; i < ids.length; i += 90) {
    const res = await tenant.db
      .delete(segmentMembers)
      .where(
        and(
          eq(segmentMembers.segmentId, id),
          eq(segmentMembers.organizationId, tenant.orgId),
          inArray(segmentMembers.contactId, ids.slice(i, i + 90)),
        ),
      )
      .returning({ id: segmentMembers.contactId });
    removed += res.length;
  }
  return { removed, not_found: missing };
}
