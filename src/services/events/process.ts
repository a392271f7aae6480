import { eq, isNull } from "drizzle-orm";
import type { EventMessage } from "../../../queues/messages";
import type { Db } from "../../db/client";
import { events } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped, tenantScope } from "../../lib/tenant";
import { applyEvent } from "./apply";
import { getScoring, type ScoringSettings } from "./scoring";
import { eventSubscribers } from "./subscribers";

export type ProcessResult = { kind: "done"; note?: string } | { kind: "retry"; reason: string };

/** Per-batch cache of organization scoring settings: one read per organization, not per event. */
export type ScoringCache = Map<string, Promise<ScoringSettings>>;

/**
 * The EVENTS pipeline for one stored event: apply its effects once (see applyEvent), run the
 * subscribers (SequenceDO forwarding, then the rules engine), then mark it processed. A row already
 * processed is left alone, which is what makes a redelivered queue message harmless. Subscriber
 * failures throw, so the caller retries the message.
 */
export async function processEvent(
  env: Env,
  db: Db,
  body: EventMessage,
  attempts: number,
  cache: ScoringCache = new Map(),
): Promise<ProcessResult> {
  const tenant = tenantScope(db, body.organization_id);
  const row = await db
    .select()
    .from(events)
    .where(scoped(tenant, events, eq(events.id, body.event_id)))
    .get();
  // Gone: erased with its contact (GDPR) — nothing left to apply.
  if (!row) return { kind: "done", note: "event not found" };
  if (row.processedAt !== null) return { kind: "done", note: "already processed" };

  const scoring = () => {
    let s = cache.get(tenant.orgId);
    if (!s) {
      s = getScoring(tenant);
      cache.set(tenant.orgId, s);
    }
    return s;
  };
  const outcome = await applyEvent({ tenant, scoring, attempts }, row);
  if (outcome.kind === "retry") return outcome;
  if (outcome.applied) {
    for (const subscriber of eventSubscribers) {
      await subscriber.handle(outcome.applied.event, { env, tenant, effects: outcome.applied.effects });
    }
  }
  await db
    .update(events)
    .set({ processedAt: now() })
    .where(scoped(tenant, events, eq(events.id, row.id), isNull(events.processedAt)));
  return { kind: "done" };
}

/** Record why an event could not be processed (dead-letter queue); it stays unprocessed and replayable. */
export async function recordEventFailure(db: Db, body: EventMessage, error: string): Promise<void> {
  const tenant = tenantScope(db, body.organization_id);
  await db
    .update(events)
    .set({ error: error.slice(0, 1000) })
    .where(scoped(tenant, events, eq(events.id, body.event_id)));
}
