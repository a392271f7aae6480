import { and, eq, sql } from "drizzle-orm";
import { contacts, scoreHistory } from "../../db/schema";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { scoped, type Tenant } from "../../lib/tenant";
import { updateContact } from "../contacts/store";
import type { RuleAction } from "./definitions";
import type { ActionOutcome } from "./types";

/** Identifies one action of one rule run for one event: what makes a contact change idempotent. */
export interface ActionKey {
  ruleId: string;
  eventId: string;
  index: number;
}

type Of<T extends RuleAction["type"]> = Extract<RuleAction, { type: T }>;

/** A score_history id derived from (rule, event, action): a second application finds it and changes nothing. */
async function historyId(key: ActionKey) {
  return `sh_r${(await sha256Hex(`${key.ruleId}\u001f${key.eventId}\u001f${key.index}`)).slice(0, 28)}`;
}

/**
 * Add points (or take them away), never below 0, and record it in score_history with cause
 * `rule:<id>`. One D1 batch (a transaction): the history row is inserted first, with an id derived
 * from (rule, event, action) and the delta actually applied after the floor; the score moves only
 * when that insert happened (`changes()`), so a redelivered event cannot count the points twice.
 * Engagement scoring (events) keeps its own causes; rules never add points for opens or clicks.
 */
export async function updateScore(
  tenant: Tenant,
  contactId: string,
  a: Of<"update_score">,
  key: ActionKey,
): Promise<ActionOutcome> {
  const id = await historyId(key);
  const at = now();
  const d = a.config.points;
  const { db } = tenant;
  const target = scoped(tenant, contacts, eq(contacts.id, contactId));
  const [, updated] = await db.batch([
    db
      .insert(scoreHistory)
      .select(
        db
          .select({
            id: sql<string>`${id}`.as("id"),
            organizationId: contacts.organizationId,
            contactId: contacts.id,
            delta: sql<number>`max(0, ${contacts.score} + ${d}) - ${contacts.score}`.as("delta"),
            scoreAfter: sql<number>`max(0, ${contacts.score} + ${d})`.as("score_after"),
            cause: sql<string>`${`rule:${key.ruleId}`}`.as("cause"),
            eventId: sql<string>`${key.eventId}`.as("event_id"),
            createdAt: sql<number>`${at}`.as("created_at"),
          })
          .from(contacts)
          .where(target),
      )
      .onConflictDoNothing(),
    db
      .update(contacts)
      .set({ score: sql`max(0, ${contacts.score} + ${d})`, updatedAt: at })
      .where(and(target, sql`changes() = 1`))
      .returning({ score: contacts.score }),
  ]);
  const after = updated[0]?.score;
  if (after === undefined) {
    const row = await db
      .select({ id: scoreHistory.id })
      .from(scoreHistory)
      .where(scoped(tenant, scoreHistory, eq(scoreHistory.id, id)))
      .get();
    return row
      ? { status: "skipped", reason: "already applied for this event" }
      : { status: "skipped", reason: "contact no longer exists" };
  }
  const history = await db
    .select({ delta: scoreHistory.delta })
    .from(scoreHistory)
    .where(scoped(tenant, scoreHistory, eq(scoreHistory.id, id)))
    .get();
  const before = after - (history?.delta ?? d);
  return {
    status: "executed",
    detail: `score ${before} -> ${after}`,
    // A rising score may cross a lead_score_high threshold; each such rule checks its own.
    caused:
      after > before
        ? [{ trigger: "lead_score_high", properties: { score_before: before, score_after: after } }]
        : [],
  };
}

/**
 * Add a tag in one UPDATE that appends only when the tag is absent, so concurrent writers do not lose
 * each other's tags and a repeat is a no-op. A newly added tag causes a tag_added event.
 */
export async function addTag(tenant: Tenant, contactId: string, tag: string): Promise<ActionOutcome> {
  const [row] = await tenant.db
    .update(contacts)
    .set({ tags: sql`json_insert(${contacts.tags}, '$[#]', ${tag})`, updatedAt: now() })
    .where(
      scoped(
        tenant,
        contacts,
        eq(contacts.id, contactId),
        sql`not exists (select 1 from json_each(${contacts.tags}) where json_each.value = ${tag})`,
      ),
    )
    .returning({ id: contacts.id });
  if (!row) return { status: "skipped", reason: `contact already has tag ${tag}` };
  return {
    status: "executed",
    detail: `tag ${tag} added`,
    caused: [{ trigger: "tag_added", properties: { tag } }],
  };
}

/** Remove a tag in one UPDATE (a no-op when it is absent). */
export async function removeTag(tenant: Tenant, contactId: string, tag: string): Promise<ActionOutcome> {
  const [row] = await tenant.db
    .update(contacts)
    .set({
      tags: sql`(select coalesce(json_group_array(value), '[]') from json_each(${contacts.tags}) where value <> ${tag})`,
      updatedAt: now(),
    })
    .where(
      scoped(
        tenant,
        contacts,
        eq(contacts.id, contactId),
        sql`exists (select 1 from json_each(${contacts.tags}) where json_each.value = ${tag})`,
      ),
    )
    .returning({ id: contacts.id });
  return row
    ? { status: "executed", detail: `tag ${tag} removed` }
    : { status: "skipped", reason: `contact does not have tag ${tag}` };
}

/** Set a contact field or one attribute, through the contacts service (its rules on email, status, merge). */
export async function updateField(
  tenant: Tenant,
  contactId: string,
  a: Of<"update_field">,
): Promise<ActionOutcome> {
  const { field, value } = a.config;
  const str = value === null ? null : String(value);
  try {
    if (field.startsWith("attributes.")) {
      await updateContact(tenant, contactId, { attributes: { [field.slice("attributes.".length)]: value } });
    } else if (field === "first_name") await updateContact(tenant, contactId, { first_name: str });
    else if (field === "last_name") await updateContact(tenant, contactId, { last_name: str });
    else if (field === "phone") await updateContact(tenant, contactId, { phone: str });
    else if (field === "timezone") await updateContact(tenant, contactId, { timezone: str });
    else await updateContact(tenant, contactId, { lifecycle_stage: str });
  } catch (e) {
    if (e instanceof ApiError) return { status: "failed", reason: e.message };
    throw e;
  }
  return { status: "executed", detail: `${field} = ${JSON.stringify(value)}` };
}
