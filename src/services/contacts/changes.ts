/**
 * What follows a change to contacts: they may now enter scenarios (ENROLL queue), and rules hear
 * about it through the EVENTS queue like any event: contact_created, contact_updated and
 * segment_entered (the contact started matching a segment). Imports emit these in batches (100
 * events per EVENTS message), never one request per row.
 */
import { eq, inArray } from "drizzle-orm";
import { rules, segments } from "../../db/schema";
import type { ContactEventType } from "../../contracts/events";
import { now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import { storeEvents } from "../events/ingest/store";
import { SOURCES } from "../events/normalize/row";
import { enrollNewContacts } from "../scenarios/enrollment";
import { tellSequencesOfStatus } from "../scenarios/sequence-keys";
import { bindCriteria } from "../segments/criteria";
import { membershipOf } from "../segments/query";
import type { ContactRow } from "./types";
import { asTenantSql, tenantSql } from "../../lib/tenant-sql";

interface ContactEvent {
  type: ContactEventType;
  contactId: string;
  /** Makes the event unique: the same change delivered twice is stored once. */
  key: string;
  properties?: Record<string, unknown>;
}

/**
 * The contact events something listens to: an enabled rule's trigger, or an active journey's
 * entry (contact_created, tag_added through contact_updated, rfm_segment_changed).
 */
async function listened(tenant: Tenant): Promise<Set<string>> {
  const [ruleRows, journeyRows] = await Promise.all([
    tenant.db
      .select({ trigger: rules.trigger })
      .from(rules)
      .where(
        scoped(
          tenant,
          rules,
          eq(rules.enabled, true),
          inArray(rules.trigger, [
            "contact_created",
            "contact_updated",
            "segment_entered",
            "rfm_segment_changed",
          ]),
        ),
      )
      .all(),
    tenantSql(
      tenant,
      `SELECT DISTINCT entry ->> '$.event' AS event FROM scenarios
       WHERE organization_id = ?1 AND status = 'active' AND entry ->> '$.type' = 'event'`,
    ).all<{ event: string }>(),
  ]);
  const out = new Set<string>(ruleRows.map((r) => r.trigger));
  for (const { event } of journeyRows.results) out.add(event === "tag_added" ? "contact_updated" : event);
  return out;
}

/**
 * Store contact events for the EVENTS consumer (rules), the ones some enabled rule listens to: an
 * import of 100,000 rows into an organization without a contact_created rule stores nothing.
 */
export async function storeContactEvents(env: Env, tenant: Tenant, all: ContactEvent[]) {
  if (!all.length) return;
  const wanted = await listened(tenant);
  const list = all.filter((e) => wanted.has(e.type));
  if (!list.length) return;
  const at = now();
  await storeEvents(
    tenant,
    env.EVENTS_QUEUE,
    list.map((e) => ({
      source: SOURCES.contact,
      dedupKey: `${e.type}:${e.key}`,
      type: e.type,
      contactId: e.contactId,
      occurredAt: at,
      raw: { type: e.type, properties: e.properties ?? {} },
    })),
  );
}

/** The columns a membership expression reads, as one JSON object bound to a derived table `c`. */
const COLUMNS: [string, keyof ContactRow][] = [
  ["id", "id"],
  ["organization_id", "organizationId"],
  ["email_normalized", "emailNormalized"],
  ["first_name", "firstName"],
  ["last_name", "lastName"],
  ["phone", "phone"],
  ["timezone", "timezone"],
  ["tags", "tags"],
  ["attributes", "attributes"],
  ["status", "status"],
  ["lifecycle_stage", "lifecycleStage"],
  ["score", "score"],
  ["validation_score", "validationScore"],
  ["deliverable", "deliverable"],
  ["created_at", "createdAt"],
  ["last_sent_at", "lastSentAt"],
  ["last_opened_at", "lastOpenedAt"],
  ["last_clicked_at", "lastClickedAt"],
  ["purchase_count", "purchaseCount"],
  ["total_spent", "totalSpent"],
  ["last_purchase_at", "lastPurchaseAt"],
  ["rfm_segment", "rfmSegment"],
  ["rfm_score", "rfmScore"],
  ["fit_score", "fitScore"],
  ["consents", "consents"],
];

/**
 * The segments this contact row matches, evaluated by the same SQL the segments use, against the
 * row as given (so a row as it was before an update can be asked too). Static segments are read
 * from their member lists.
 */
export async function segmentsMatching(tenant: Tenant, row: ContactRow): Promise<Set<string>> {
  const all = await tenant.db.select().from(segments).where(scoped(tenant, segments)).all();
  const out = new Set<string>();
  const values = Object.fromEntries(
    COLUMNS.map(([col, key]) => {
      const v = row[key];
      return [col, typeof v === "boolean" ? (v ? 1 : 0) : v];
    }),
  );
  const derived = `(SELECT ${COLUMNS.map(([col]) => `?2 ->> '$.${col}' AS ${col}`).join(", ")}) c`;
  for (let i = 0; i < all.length; i += 90) {
    const part = all.slice(i, i + 90);
    const ms = part.map((s) => membershipOf(s));
    const res = await tenantSql(
      tenant,
      asTenantSql(
        `SELECT ${ms.map((m, j) => `coalesce(${bindCriteria(m, j + 3)}, 0) AS m${j}`).join(", ")} FROM ${derived}
         WHERE c.organization_id = ?1`,
      ),
      JSON.stringify(values),
      ...ms.map((m) => m.param),
    ).first<Record<string, number>>();
    part.forEach((s, j) => {
      if (res?.[`m${j}`]) out.add(s.id);
    });
  }
  return out;
}

/** segment_entered events for the segments `after` matches and `before` did not. */
async function enteredEvents(tenant: Tenant, before: ContactRow | null, after: ContactRow) {
  if (!(await listened(tenant)).has("segment_entered")) return [];
  const [was, is] = await Promise.all([
    before ? segmentsMatching(tenant, before) : Promise.resolve(new Set<string>()),
    segmentsMatching(tenant, after),
  ]);
  return [...is]
    .filter((id) => !was.has(id))
    .map(
      (segmentId): ContactEvent => ({
        type: "segment_entered",
        contactId: after.id,
        key: `${segmentId}:${after.id}:${after.updatedAt}`,
        properties: { segment_id: segmentId },
      }),
    );
}

/** A contact created through the API: scenarios it matches, and the segments it enters. */
export async function afterContactCreated(env: Env, tenant: Tenant, row: ContactRow) {
  await enrollNewContacts(env, tenant, [row.id]);
  await storeContactEvents(env, tenant, await enteredEvents(tenant, null, row));
}

/** A contact changed through the API or a rule: scenarios, contact_updated, segments entered. */
export async function afterContactUpdated(env: Env, tenant: Tenant, before: ContactRow, after: ContactRow) {
  await enrollNewContacts(env, tenant, [after.id]);
  if (before.status === "subscribed" && after.status !== "subscribed")
    await tellSequencesOfStatus(env, tenant, after);
  const had = new Set(parseJson<string[]>(before.tags, []));
  const added = parseJson<string[]>(after.tags, []).filter((t) => !had.has(t));
  await storeContactEvents(env, tenant, [
    {
      type: "contact_updated",
      contactId: after.id,
      key: `${after.id}:${after.updatedAt}`,
      // A journey entered by tag_added starts on these.
      properties: added.length ? { tags_added: added } : undefined,
    },
    ...(await enteredEvents(tenant, before, after)),
  ]);
}

/**
 * After a CSV import: new and updated contacts may enter scenarios; rules get contact_created for
 * each new contact and contact_updated for each updated one, 100 per EVENTS message.
 */
export async function afterImport(env: Env, tenant: Tenant, createdIds: string[], updatedIds: string[]) {
  await enrollNewContacts(env, tenant, [...createdIds, ...updatedIds]);
  const at = now();
  await storeContactEvents(env, tenant, [
    ...createdIds.map((id): ContactEvent => ({ type: "contact_created", contactId: id, key: id })),
    ...updatedIds.map((id): ContactEvent => ({ type: "contact_updated", contactId: id, key: `${id}:${at}` })),
  ]);
}
