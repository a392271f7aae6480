import { badEventStatement, isBadEvent } from "../../deliverability/health";
import { eq, inArray, sql } from "drizzle-orm";
import { contacts, type events } from "../../../db/schema";
import type { NormalizedEvent } from "../../../contracts/events";
import { now } from "../../../lib/clock";
import { sha256Hex } from "../../../lib/crypto";
import { parseJson } from "../../../lib/json";
import { scoped, type Tenant } from "../../../lib/tenant";
import type { PlanStatement } from "./plan-statement";
import { purchaseStatements } from "../../orders/purchases";
import type { AttributionSettings } from "../../settings/attribution";
import { messageStatements } from "./message";
import { isMachineEvent } from "../normalize/machine";
import { optOutStatements } from "./suppressions";
import { type MessageRow, resolveDraft } from "./resolve";
import { noteApplied, type ResolveCache } from "./resolve-cache";
import { applyDelta, type ScoringSettings, scoreRule } from "./scoring";
import type { AppliedEvent, DraftEvent, EventEffects } from "../types";
import { contactStatements, suppressedAddresses } from "./contact";
import { type AppliedMark, markStatement } from "./mark";
import { type VariantHit, variantCountStatements, variantHitOf } from "./variant-counts";
import { emailHash, suppressionStatement } from "../../suppressions/store";
import type { ContactRow } from "../../contacts/types";

type EventRow = typeof events.$inferSelect;

/**
 * What applying one event writes (`statements`, none when there is nothing to write), or that it
 * must wait. `processed`: the row is already marked processed (nothing to apply, so nothing for
 * subscribers). `fresh`: applied now, and marked processed by the same statements. `mark`: what
 * marks the event applied, and the last of `statements` that writes it alone (a writer of many
 * plans may drop that statement and mark them all in one: apply/mark.ts). `variant`: likewise, the
 * count on its message's A/B variant (apply/variant-counts.ts).
 */
export type EventPlan =
  | {
      kind: "done";
      applied: AppliedEvent | null;
      processed?: boolean;
      fresh?: boolean;
      statements: PlanStatement[];
      mark?: { row: AppliedMark; statement: PlanStatement };
      variant?: { row: VariantHit; statement: PlanStatement };
    }
  | { kind: "retry"; reason: string };

export interface ApplyContext {
  tenant: Tenant;
  /** The organization's scoring settings (the consumer caches them per batch). */
  scoring: () => Promise<ScoringSettings>;
  /** Its attribution settings, read when a purchase is recorded (cached likewise). */
  attribution: () => Promise<AttributionSettings>;
  /** Delivery attempts of the queue message so far. */
  attempts: number;
  /** The batch's rows (the EVENTS consumer): read once, and changed by the batch's earlier events. */
  rows?: ResolveCache;
}

/**
 * A provider event can arrive before the SEND consumer has recorded the provider's message id. While
 * the event is fresh, retry rather than apply it without its message.
 */
const WAIT_FOR_MESSAGE_MS = 10 * 60_000;
const WAIT_FOR_MESSAGE_ATTEMPTS = 3;

/**
 * What applying one stored event writes: normalize, resolve, then every effect as statements of
 * one D1 batch (a transaction): message status/counters/timestamps, variant stats, score and its
 * history, the first-open interaction, contact status and suppressions, and finally
 * `events.normalized`. Every counter update is guarded by "not applied yet" and inserts have ids
 * derived from the event, so a redelivered or concurrently delivered event is applied once. The
 * EVENTS consumer writes a whole batch's plans in one transaction (ctx.rows keeps the rows the
 * batch's earlier events changed); `draft` is normalizeRow(row), which it has already computed.
 */
export async function planEvent(
  ctx: ApplyContext,
  row: EventRow,
  draft: DraftEvent | null,
): Promise<EventPlan> {
  const { tenant } = ctx;
  if (row.normalized !== null)
    return { kind: "done", applied: parseJson<AppliedEvent | null>(row.normalized, null), statements: [] };
  const at = now();
  const guard = sql`exists (select 1 from events e where e.organization_id = ${row.organizationId} and e.id = ${row.id} and e.normalized is null)`;
  if (!draft) {
    // Nothing to apply (an SNS test message, an event name we do not act on): one write closes it,
    // keeping the contact and message it was stored with (an unparsed reply names its message).
    const mark = markOf(
      tenant,
      { id: row.id, normalized: "null", contact_id: row.contactId, message_id: row.messageId },
      at,
    );
    return { kind: "done", applied: null, processed: true, statements: [mark.statement], mark };
  }
  const { message, contact } = await resolveDraft(tenant, draft, ctx.rows);
  if (
    !message &&
    draft.externalId &&
    at - row.createdAt < WAIT_FOR_MESSAGE_MS &&
    ctx.attempts < WAIT_FOR_MESSAGE_ATTEMPTS
  ) {
    return { kind: "retry", reason: `no message ${draft.provider}:${draft.externalId} yet` };
  }
  const event = toNormalized(row, draft, message, contact);
  const firsts = {
    open: event.type === "opened" && !event.machine && message?.openCount === 0,
    click: event.type === "clicked" && !event.machine && message?.clickCount === 0,
    machineOpen: event.type === "opened" && event.machine && message?.machineOpenCount === 0,
    reply: event.type === "replied" && !!message && message.repliedAt === null,
  };
  const effects: EventEffects = {
    score_before: contact?.score ?? null,
    score_after: contact?.score ?? null,
    first_open: firsts.open,
    first_click: firsts.click,
  };
  const statements: PlanStatement[] = [];
  const url =
    event.type === "clicked" && typeof event.properties.url === "string" ? event.properties.url : null;
  const linkHash = url && message?.campaignId ? (await sha256Hex(url)).slice(0, 32) : null;
  let variant: { row: VariantHit; statement: PlanStatement } | undefined;
  if (message) {
    statements.push(...messageStatements(tenant, event, message, guard, at, linkHash));
    const hit = variantHitOf(event, message, firsts);
    const [statement] = hit ? variantCountStatements(tenant, [hit]) : [];
    if (hit && statement) {
      variant = { row: hit, statement };
      statements.push(statement);
    }
  }
  const scope = message?.campaignId ?? message?.scenarioId;
  if (scope && isBadEvent(event)) statements.push(badEventStatement(tenant, event, scope, guard));
  if (contact) {
    const first =
      event.type === "opened" ? firsts.open : event.type === "replied" ? firsts.reply : firsts.click;
    const rule = scoreRule(event, first, await ctx.scoring());
    const after = rule ? applyDelta(contact.score, rule.delta) : contact.score;
    effects.score_after = after;
    statements.push(
      ...contactStatements(
        tenant,
        event,
        contact,
        firsts.open ? message : null,
        event.type === "replied" ? message : null,
        { after, cause: rule?.cause },
        at,
      ),
    );
    if (event.type === "unsubscribed" || event.type === "complained") {
      statements.push(...(await optOutStatements(tenant, contact, event.type, draft.provider ?? "events")));
    }
    if (event.type === "purchase")
      statements.push(...purchaseStatements(tenant, event, contact.id, guard, at, await ctx.attribution()));
  }
  const suppressed = suppressedAddresses(event, draft, contact);
  const reason =
    event.type === "complained"
      ? "complaint"
      : event.type === "unsubscribed"
        ? "unsubscribed"
        : "hard_bounce";
  for (const email of suppressed)
    statements.push(
      suppressionStatement(tenant, await emailHash(email), reason, at, {
        email,
        source: draft.provider ?? "events",
      }),
    );
  if (suppressed.length && event.type !== "unsubscribed") {
    // Every contact among the recipients (SES may name several) takes the bounced / complained status.
    const to = event.type === "complained" ? "complained" : "bounced";
    statements.push(
      tenant.db
        .update(contacts)
        .set({ status: to, updatedAt: at })
        .where(
          scoped(
            tenant,
            contacts,
            inArray(contacts.emailNormalized, suppressed),
            eq(contacts.status, "subscribed"),
          ),
        ),
    );
  }
  const applied: AppliedEvent = { event, effects };
  const mark = markOf(
    tenant,
    {
      id: row.id,
      normalized: JSON.stringify(applied),
      contact_id: contact?.id ?? null,
      message_id: message?.id ?? null,
    },
    at,
  );
  statements.push(mark.statement);
  noteApplied(event, message, contact, effects.score_after);
  return { kind: "done", applied, fresh: true, statements, mark, variant };
}

function toNormalized(
  row: EventRow,
  draft: DraftEvent,
  message: MessageRow | null,
  contact: ContactRow | null,
): NormalizedEvent {
  const machine = isMachineEvent({
    type: draft.type,
    flagged: draft.machine,
    userAgent: draft.userAgent,
    occurredAt: draft.occurredAt,
    deliveredAt: message?.deliveredAt,
    timedOpen: draft.timedOpen,
  });
  return {
    id: row.id,
    organization_id: row.organizationId,
    type: draft.type,
    contact_id: contact?.id ?? null,
    message_id: message?.id ?? null,
    scenario_id: message?.scenarioId ?? null,
    step_order: message?.stepOrder ?? null,
    occurred_at: draft.occurredAt,
    machine,
    ...(draft.bounceType ? { bounce_type: draft.bounceType } : {}),
    properties: { ...draft.properties, ...(draft.userAgent ? { user_agent: draft.userAgent } : {}) },
  };
}

/** The last statement of an event's plan: marks it applied (the guard of every other statement). */
const markOf = (tenant: Tenant, row: AppliedMark, at: number) => ({
  row,
  statement: markStatement(tenant, [JSON.stringify(row)], at),
});
