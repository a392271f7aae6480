import { eq, isNull } from "drizzle-orm";
import type { EventRef } from "../../../contracts/queue-messages";
import { tenantFor } from "../../../db/route";
import { events } from "../../../db/schema";
import { batchReads, readOnce } from "../../../lib/batch-reads";
import { chunks } from "../../../lib/chunks";
import { rowById, rowsByIds } from "../../../lib/fixed-select";
import { now } from "../../../lib/clock";
import { ACK, type Disposition } from "../../../lib/result";
import { inTurns } from "../../../lib/turns";
import { type BatchReads, scoped, type Tenant } from "../../../lib/tenant";
import { builtStatement, tenantBatch } from "../../../lib/tenant-sql";
import { isBuilder, type PlanStatement } from "../apply/plan-statement";
import { type ApplyContext, type EventPlan, planEvent } from "../apply/event";
import { markStatements } from "../apply/mark";
import { variantCountStatements } from "../apply/variant-counts";
import { ResolveCache } from "../apply/resolve-cache";
import { getScoring } from "../apply/scoring";
import { normalizeRow } from "../normalize/row";
import type { DraftEvent } from "../types";
import { getAttributionSettings } from "../../settings/attribution";
import { eventSubscribers } from "./subscribers";

/** ack: applied, or nothing left to do (the note says why); retry: the event must wait (lib/result.ts). */
export type ProcessResult = Disposition;

type EventRow = typeof events.$inferSelect;

/** Statements per D1 batch when a queue batch's plans are written (each event's stay together). */
const STATEMENTS_PER_WRITE = 200;

/**
 * Events planned or told to their subscribers between two turns of the event loop (lib/turns.ts).
 * Planning reads the batch's cached rows and a subscriber often has nothing to do, so without a turn
 * a 500-event batch ran as one long task and the webhook requests of the same isolate waited behind
 * it (bench/README.md, section 2).
 */
export const EVENTS_PER_TURN = 20;

const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** One value per organization and batch. */
function cached<T>(map: Map<string, T>, key: string, read: () => T): T {
  let v = map.get(key);
  if (!v) {
    v = read();
    map.set(key, v);
  }
  return v;
}

/**
 * What one queue batch shares: its tenants (each with the reads its events share: settings, rules,
 * journeys), the event rows read up front, the rows events change.
 */
export interface BatchContext {
  /** Per organization: one tenant for the whole batch. */
  tenants: BatchReads;
  rows: Map<string, EventRow>;
  /** Per organization: its messages and contacts as the batch read and changed them. */
  caches: Map<string, ResolveCache>;
}

export const newBatchContext = (): BatchContext => ({
  tenants: batchReads(),
  rows: new Map(),
  caches: new Map(),
});

/** The batch's tenant of an organization, with its own batch reads (lib/batch-reads.ts). */
const batchTenant = (env: Env, orgId: string, ctx: BatchContext): Promise<Tenant> =>
  ctx.tenants(orgId, async () => ({ ...(await tenantFor(env, orgId)), reads: batchReads() }));

/**
 * Read the batch's event rows in a few queries instead of one per message (D1 allows 100 bound
 * parameters: 90 ids per query). Rows not found here are looked up again one by one.
 */
export async function prefetchEvents(env: Env, bodies: EventRef[], ctx: BatchContext): Promise<void> {
  const byOrg = new Map<string, string[]>();
  for (const b of bodies) byOrg.set(b.organization_id, [...(byOrg.get(b.organization_id) ?? []), b.event_id]);
  for (const [orgId, ids] of byOrg) {
    const tenant = await batchTenant(env, orgId, ctx);
    for (const part of chunks(ids))
      for (const r of await rowsByIds(tenant, events, part)) ctx.rows.set(r.id, r);
  }
}

/** One event of the batch as it is worked: its row, its plan, and whether it must be retried. */
interface Work {
  item: number;
  tenant: Tenant;
  row?: EventRow;
  draft?: DraftEvent | null;
  plan?: EventPlan;
  /** A second reference to an event already worked in this batch: the first one answers for it. */
  again?: boolean;
  retry?: string;
}

/**
 * The EVENTS pipeline for a queue batch (items: each queue message's events, in order):
 * 1. read the event rows (prefetched) and the messages and contacts they name, a few queries;
 * 2. plan each event in order (planEvent), the batch's copies of the rows carrying what the
 *    earlier events changed, so the first open is counted once;
 * 3. write the plans, per organization, in D1 batches of about 200 statements (a transaction
 *    each; an event's statements stay together, and every statement is guarded by "this event not
 *    applied yet", so a redelivery changes nothing); a failed write retries its events and every
 *    later event of the organization (they were planned on its effects);
 * 4. run the subscribers (SequenceDO forwarding, then the rules engine ...) in order. A subscriber
 *    failure clears the event's mark and retries it. A redelivered event finds its effects applied
 *    and runs the subscribers again (they are idempotent per event id), whatever the mark says: a
 *    worker that died between the effects and the subscribers leaves nothing undone.
 * Answers each item's disposition: retry when any of its events must be.
 */
export async function processEvents(
  env: Env,
  items: { refs: EventRef[]; attempts: number }[],
  ctx: BatchContext = newBatchContext(),
): Promise<ProcessResult[]> {
  const works: Work[] = [];
  /** Items with an event that could not even be read (its organization or row): retried whole. */
  const unread = new Map<number, string>();
  const seen = new Set<string>();
  for (const [item, { refs }] of items.entries()) {
    for (const ref of refs) {
      try {
        const tenant = await batchTenant(env, ref.organization_id, ctx);
        const key = `${tenant.orgId}:${ref.event_id}`;
        const again = seen.has(key);
        seen.add(key);
        works.push({ item, tenant, again, row: again ? undefined : await eventRow(tenant, ref, ctx) });
      } catch (e) {
        console.error("events: reading failed, will retry", ref.event_id, e);
        unread.set(item, reasonOf(e));
      }
    }
  }
  await planAll(works, items, ctx);
  await writePlans(works);
  await inTurns(works, EVENTS_PER_TURN, async (w) => {
    if (!w.retry && !w.again && w.row && w.plan?.kind === "done") await notify(env, w);
  });
  return items.map((_, i) => {
    const failed = unread.get(i);
    if (failed !== undefined) return { action: "retry", reason: failed };
    const retry = works.find((w) => w.item === i && (w.retry || w.plan?.kind === "retry"));
    if (!retry) return ACK;
    return {
      action: "retry",
      reason: retry.retry ?? (retry.plan?.kind === "retry" ? retry.plan.reason : ""),
    };
  });
}

/** One stored event, prefetched or read (a prefetched row is used once). */
async function eventRow(tenant: Tenant, ref: EventRef, ctx: BatchContext) {
  const prefetched = ctx.rows.get(ref.event_id);
  ctx.rows.delete(ref.event_id);
  if (prefetched?.organizationId === tenant.orgId) return prefetched;
  return rowById(tenant, events, ref.event_id);
}

/** Read what the events name (per organization, a few queries), then plan each in order. */
async function planAll(works: Work[], items: { attempts: number }[], ctx: BatchContext) {
  const cacheOf = (tenant: Tenant) => cached(ctx.caches, tenant.orgId, () => new ResolveCache(tenant.orgId));
  const open = works.filter((w) => !w.again && w.row?.normalized === null);
  for (const w of open) w.draft = normalizeRow(w.row as EventRow);
  for (const tenant of new Map(open.map((w) => [w.tenant.orgId, w.tenant])).values()) {
    const drafts = open.flatMap((w) => (w.tenant.orgId === tenant.orgId && w.draft ? [w.draft] : []));
    // Each event is then resolved on its own.
    await cacheOf(tenant)
      .prefetch(tenant, drafts)
      .catch((e) => console.error("events: message prefetch failed", e));
  }
  await inTurns(works, EVENTS_PER_TURN, async (w) => {
    if (w.again || !w.row) return;
    const { tenant } = w;
    const apply: ApplyContext = {
      tenant,
      scoring: () => readOnce(tenant, "scoring", () => getScoring(tenant)),
      attribution: () => readOnce(tenant, "attribution", () => getAttributionSettings(tenant)),
      attempts: items[w.item]?.attempts ?? 1,
      rows: cacheOf(tenant),
    };
    try {
      w.plan = await planEvent(apply, w.row, w.draft === undefined ? normalizeRow(w.row) : w.draft);
    } catch (e) {
      console.error("events: processing failed, will retry", w.row.id, e);
      w.retry = reasonOf(e);
    }
  });
}

/**
 * Write the plans per organization in order, a D1 batch per ~200 statements: each event's effects,
 * then one statement for the write's A/B variant counts (apply/variant-counts.ts) and one that
 * marks the write's events applied (apply/mark.ts), instead of one each.
 */
async function writePlans(works: Work[]) {
  const byOrg = new Map<string, { works: Work[]; statements: PlanStatement[] }[]>();
  for (const w of works) {
    if (w.retry || w.plan?.kind !== "done" || !w.plan.statements.length) continue;
    // Chunks of whole events: a new chunk when this event's statements would pass the limit.
    const chunks = byOrg.get(w.tenant.orgId) ?? [];
    const last = chunks.at(-1);
    const mine = effectsOf(w.plan);
    if (last && last.statements.length + mine.length <= STATEMENTS_PER_WRITE) {
      last.works.push(w);
      last.statements.push(...mine);
    } else chunks.push({ works: [w], statements: [...mine] });
    byOrg.set(w.tenant.orgId, chunks);
  }
  for (const chunks of byOrg.values()) {
    for (const [i, chunk] of chunks.entries()) {
      try {
        const tenant = chunk.works[0]?.tenant;
        if (!tenant) continue;
        const plans = chunk.works.flatMap((w) => (w.plan?.kind === "done" ? [w.plan] : []));
        await tenantBatch(tenant, [
          ...chunk.statements.map((s) => asPrepared(tenant, s)),
          ...variantCountStatements(
            tenant,
            plans.flatMap((p) => (p.variant ? [p.variant.row] : [])),
          ),
          ...markStatements(
            tenant,
            plans.flatMap((p) => (p.mark ? [p.mark.row] : [])),
            now(),
          ),
        ]);
      } catch (e) {
        console.error("events: writing failed, will retry", e);
        for (const w of chunks.slice(i).flatMap((c) => c.works)) w.retry = reasonOf(e);
        break;
      }
    }
  }
}

/** A plan's statements but its own variant count and applied mark (writePlans writes those per write). */
const effectsOf = (plan: Extract<EventPlan, { kind: "done" }>) =>
  plan.statements.filter((s) => s !== plan.mark?.statement && s !== plan.variant?.statement);

/** A plan's statement as D1 runs it: fixed text as it is, a builder's statement built now. */
const asPrepared = (tenant: Tenant, s: PlanStatement): D1PreparedStatement =>
  isBuilder(s) ? builtStatement(tenant, s) : s;

/** The subscribers of one written event (see processEvents). */
async function notify(env: Env, w: Work) {
  const { tenant, plan } = w;
  const row = w.row as EventRow;
  if (plan?.kind !== "done" || plan.processed) return;
  // A fresh apply marked the row processed in its own batch (one write in the common case).
  const marked = plan.fresh || row.processedAt !== null;
  try {
    if (plan.applied) {
      for (const subscriber of eventSubscribers)
        await subscriber.handle(plan.applied.event, { env, tenant, effects: plan.applied.effects });
    }
    // A redelivery of an event whose subscribers had failed (or whose mark was lost) completes it.
    if (!plan.fresh) await setProcessed(tenant, row.id, now());
  } catch (e) {
    console.error("events: processing failed, will retry", row.id, e);
    // Not processed after all: the retry (or the DLQ) sees it so, and a replay completes it.
    if (marked) await setProcessed(tenant, row.id, null).catch(() => undefined);
    w.retry = reasonOf(e);
  }
}

/** One event on its own (the dead-letter queue's last attempt): processEvents for it alone. */
export async function processEvent(
  env: Env,
  body: EventRef,
  attempts: number,
  ctx: BatchContext = newBatchContext(),
): Promise<ProcessResult> {
  const [result] = await processEvents(env, [{ refs: [body], attempts }], ctx);
  return result ?? ACK;
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
