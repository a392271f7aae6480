import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { contacts, interactions, messages, rules, scenarios, users } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound, validationError, validationFailed } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";
import type { InteractionRow, InteractionStatus, InteractionType } from "../inbox/view";

/** What creates an interaction: a person (API), the events consumer (first open), a rule action. */
export interface InteractionInput {
  type: InteractionType;
  title: string;
  body?: string | null;
  contact_id?: string | null;
  status?: InteractionStatus;
  assignee_id?: string | null;
  /** Epoch ms. */
  next_action_at?: number | null;
  message_id?: string | null;
  scenario_id?: string | null;
  rule_id?: string | null;
}

/** Ids an interaction may point at; each must belong to the tenant. */
export type InteractionRefs = Pick<
  InteractionInput,
  "contact_id" | "assignee_id" | "message_id" | "scenario_id" | "rule_id"
>;

/**
 * Versions a write may apply to (optimistic concurrency): the updated_at values (ms) the client
 * last saw. null = no precondition (last writer wins).
 */
export type Expected = number[] | null;

/**
 * Check that every referenced id belongs to the organization. Another organization's id (or a
 * made-up one) answers 422 naming the field, and nothing about the other organization leaks.
 */
export async function assertReferences(tenant: Tenant, refs: InteractionRefs): Promise<void> {
  const checks: [field: string, lookup: () => Promise<unknown>][] = [];
  const { db } = tenant;
  if (refs.contact_id) {
    const id = refs.contact_id;
    checks.push([
      "contact_id",
      () =>
        db
          .select({ id: contacts.id })
          .from(contacts)
          .where(scoped(tenant, contacts, eq(contacts.id, id)))
          .get(),
    ]);
  }
  if (refs.assignee_id) {
    const id = refs.assignee_id;
    checks.push([
      "assignee_id",
      () =>
        db
          .select({ id: users.id })
          .from(users)
          .where(scoped(tenant, users, eq(users.id, id)))
          .get(),
    ]);
  }
  if (refs.message_id) {
    const id = refs.message_id;
    checks.push([
      "message_id",
      () =>
        db
          .select({ id: messages.id })
          .from(messages)
          .where(scoped(tenant, messages, eq(messages.id, id)))
          .get(),
    ]);
  }
  if (refs.scenario_id) {
    const id = refs.scenario_id;
    checks.push([
      "scenario_id",
      () =>
        db
          .select({ id: scenarios.id })
          .from(scenarios)
          .where(scoped(tenant, scenarios, eq(scenarios.id, id)))
          .get(),
    ]);
  }
  if (refs.rule_id) {
    const id = refs.rule_id;
    checks.push([
      "rule_id",
      () =>
        db
          .select({ id: rules.id })
          .from(rules)
          .where(scoped(tenant, rules, eq(rules.id, id)))
          .get(),
    ]);
  }
  const found = await Promise.all(checks.map(([, lookup]) => lookup()));
  const missing = checks.filter((_, i) => !found[i]).map(([field]) => field);
  if (missing.length) {
    throw validationFailed(
      missing.map((field) => ({ field, message: "does not exist in this organization" })),
    );
  }
}

/**
 * Create an interaction. Routes check the references first; internal producers (the events
 * consumer, rule actions) that already hold valid ids may pass `trusted` to skip the lookups.
 */
export async function createInteraction(
  tenant: Tenant,
  input: InteractionInput,
  opts: { trusted?: boolean } = {},
): Promise<InteractionRow> {
  if (!opts.trusted) await assertReferences(tenant, input);
  const at = now();
  const [row] = await tenant.db
    .insert(interactions)
    .values({
      id: newId("int", at),
      organizationId: tenant.orgId,
      contactId: input.contact_id ?? null,
      type: input.type,
      title: input.title,
      body: input.body ?? null,
      status: input.status ?? "todo",
      assigneeId: input.assignee_id ?? null,
      nextActionAt: input.next_action_at ?? null,
      messageId: input.message_id ?? null,
      scenarioId: input.scenario_id ?? null,
      ruleId: input.rule_id ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row as InteractionRow;
}

export async function getInteraction(tenant: Tenant, id: string): Promise<InteractionRow> {
  const row = await tenant.db
    .select()
    .from(interactions)
    .where(scoped(tenant, interactions, eq(interactions.id, id)))
    .get();
  if (!row) throw notFound("interaction");
  return row;
}

/**
 * updated_at strictly increases on every write, even within one millisecond (or under a pinned
 * test clock): it is the version optimistic concurrency compares, so two writes must never share it.
 */
export const bumpUpdatedAt = (at: number): SQL => sql`max(${at}, ${interactions.updatedAt} + 1)`;

/** notified_at after an assignee change: a different assignee has not been reminded yet. */
export const notifiedAtAfterReassign = (assigneeId: string | null): SQL =>
  sql`case when ${interactions.assigneeId} is ${assigneeId} then ${interactions.notifiedAt} else null end`;

type InteractionSet = SQLiteUpdateSetSource<typeof interactions>;

/**
 * One UPDATE that applies only to the version the client saw; when nothing matched, tell a missing
 * interaction (404) from a stale one (409 STALE_WRITE).
 */
async function conditionalUpdate(
  tenant: Tenant,
  id: string,
  set: InteractionSet,
  expected: Expected,
): Promise<InteractionRow> {
  const [row] = await tenant.db
    .update(interactions)
    .set({ ...set, updatedAt: bumpUpdatedAt(now()) })
    .where(
      scoped(
        tenant,
        interactions,
        eq(interactions.id, id),
        expected ? inArray(interactions.updatedAt, expected) : undefined,
      ),
    )
    .returning();
  if (row) return row;
  const current = await getInteraction(tenant, id);
  throw new ApiError(
    "STALE_WRITE",
    `the interaction changed since you read it (updated_at is now ${iso(current.updatedAt)})`,
    [{ field: "updated_at", message: `current version is ${iso(current.updatedAt)}` }],
  );
}

export const setInteractionStatus = (
  tenant: Tenant,
  id: string,
  status: InteractionStatus,
  expected: Expected,
) => conditionalUpdate(tenant, id, { status }, expected);

/** Reassign; a different assignee re-arms the reminder (the new person was never told). */
export async function setInteractionAssignee(
  tenant: Tenant,
  id: string,
  assigneeId: string | null,
  expected: Expected,
) {
  if (assigneeId) await assertReferences(tenant, { assignee_id: assigneeId });
  return conditionalUpdate(
    tenant,
    id,
    { assigneeId, notifiedAt: notifiedAtAfterReassign(assigneeId) },
    expected,
  );
}

/** Move the next action; notified_at is cleared so the reminder fires again at the new time. */
export const setInteractionNextAction = (
  tenant: Tenant,
  id: string,
  nextActionAt: number | null,
  expected: Expected,
) => conditionalUpdate(tenant, id, { nextActionAt, notifiedAt: null }, expected);

/** Combine the If-Match header and a body `updated_at` into one precondition. */
export function expectedVersions(ifMatch: number[] | null, bodyUpdatedAt: string | undefined): Expected {
  if (bodyUpdatedAt === undefined) return ifMatch ? ifMatch.slice(0, 20) : null;
  const ms = Date.parse(bodyUpdatedAt);
  if (!Number.isFinite(ms)) throw validationError("updated_at", "must be an ISO-8601 timestamp");
  // Both given: the write must satisfy both, so only the body's version counts if the header allows it.
  if (ifMatch && !ifMatch.includes(ms)) return [];
  return [ms];
}
