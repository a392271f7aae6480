import { eq, inArray, isNull } from "drizzle-orm";
import type { EventRef } from "../../../contracts/queue-messages";
import { tenantFor } from "../../../db/route";
import { events } from "../../../db/schema";
import { now } from "../../../lib/clock";
import { ACK, type Disposition } from "../../../lib/result";
import { scoped, type Tenant } from "../../../lib/tenant";
import { applyEvent } from "../apply/event";
import { getScoring, type ScoringSettings } from "../apply/scoring";
import { type AttributionSettings, getAttributionSettings } from "../../settings/attribution";
import { eventSubscribers } from "./subscribers";

/** ack: applied, or nothing left to do (the note says why); retry: the event must wait (lib/result.ts). */
export type ProcessResult = Disposition;

type EventRow = typeof events.$inferSelect;

/** One read per organization and batch. */
function cached<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let v = map.get(key);
  if (!v) {
    v = read();
    map.set(key, v);
  }
  return v;
}

/** What one queue batch shares: organization scoring settings and the event rows read up front. */
export interface BatchContext {
  scoring: Map<string, Promise<ScoringSettings>>;
  attribution: Map<string, Promise<AttributionSettings>>;
  rows: Map<string, EventRow>;
}

export const newBatchContext = (): BatchContext => ({
  scoring: new Map(),
  attribution: new Map(),
  rows: new Map(),
});

/**
 * Read the batch's event rows in a few queries instead of one per message (D1 allows 100 bound
 * parameters: 90 ids per query). Rows not found here are looked up again one by one.
 */
export async function prefetchEvents(env: Env, bodies: EventRef[], ctx: BatchContext): Promise<void> {
  const byOrg = new Map<string, string[]>();
  for (const b of bodies) byOrg.set(b.organization_id, [...(byOrg.get(b.organization_id) ?? []), b.event_id]);
  for (const [orgId, ids] of byOrg) {
    const tenant = await tenantFor(env, orgId);
    for (let i = 0; i < ids.length; i += 90) {
      const rows = await tenant.db
        .select()
        .from(events)
        // The primary key is (organization_id, id): one key seek per id.
        .where(scoped(tenant, events, inArray(events.id, ids.slice(i, i + 90))))
        .all();
      for (const r of rows) ctx.rows.set(r.id, r);
    }
  }
}

/**
 * The EVENTS pipeline for one stored event: apply its effects once (see applyEvent; the same batch
 * marks the row processed, so the common case writes the row once), then run the subscribers
 * (SequenceDO forwarding, then the rules engine). A subscriber failure clears the mark and throws,
 * so the caller retries the message. A redelivered message finds the effects applied and runs the
 * subscribers again (they are idempotent per event id), whatever the mark says: a worker that
 * died between the effects and the subscribers leaves nothing undone.
 */
export async function processEvent(
  env: Env,
  body: EventRef,
  attempts: number,
  ctx: BatchContext = newBatchContext(),
): Promise<ProcessResult> {
  const tenant = await tenantFor(env, body.organization_id);
  // A prefetched row is used once: a second message for the same event in the batch reads it afresh.
  const prefetched = ctx.rows.get(body.event_id);
  ctx.rows.delete(body.event_id);
  const row =
    prefetched?.organizationId === tenant.orgId
      ? prefetched
      : await tenant.db
          .select()
          .from(events)
          .where(scoped(tenant, events, eq(events.id, body.event_id)))
          .get();
  // Gone: erased with its contact (GDPR) — nothing left to apply.
  if (!row) return { action: "ack", note: "event not found" };

  const outcome = await applyEvent(
    {
      tenant,
      scoring: () => cached(ctx.scoring, tenant.orgId, () => getScoring(tenant)),
      attribution: () => cached(ctx.attribution, tenant.orgId, () => getAttributionSettings(tenant)),
      attempts,
    },
    row,
  );
  if (outcome.kind === "retry") return { action: "retry", reason: outcome.reason };
  if (outcome.processed) return ACK;
  // A fresh apply marked the row processed in its own batch (one write in the common case).
  const marked = outcome.fresh || row.processedAt !== null;
  if (outcome.applied) {
    try {
      for (const subscriber of eventSubscribers) {
        await subscriber.handle(outcome.applied.event, { env, tenant, effects: outcome.applied.effects });
      }
    } catch (e) {
      // Not processed after all: the retry (or the DLQ) sees it so, and a replay completes it.
      if (marked) await setProcessed(tenant, row.id, null).catch(() => undefined);
      throw e;
    }
  }
  // A redelivery of an event whose subscribers had failed (or whose mark was lost) completes it.
  if (!outcome.fresh) await setProcessed(tenant, row.id, now());
  return ACK;
}

function setProcessed(tenant: Tenant, id: string, at: number | null) {
  return tenant.db
    .update(events)
    .set({ processedAt: at })
    .where(scoped(tenant, events, eq(events.id, id), at === null ? undefined : isNull(events.processedAt)));
}

/** Record why an event could not be processed (dead-letter queue); it stays unprocessed and replayable. */
export async function recordEventFailure(env: Env, body: EventRef, error: string): Promise<void> {
  const tenant = await tenantFor(env, body.organization_id);
  await tenant.db
    .update(events)
    .set({ error: error.slice(0, 1000) })
    .where(scoped(tenant, events, eq(events.id, body.event_id)));
}
