import { and, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { ruleRuns } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import type { RuleAction } from "./definitions";
import type { Rule } from "./store";
import type { ActionStatus, RuleEvent, RunActionRecord } from "./types";

export type RunRow = typeof ruleRuns.$inferSelect;

/** How long a worker holds a run's immediate actions (or one queued action) before another may resume it. */
export const RUN_LEASE_MS = 2 * 60_000;

/** Thrown when another worker holds the run: the caller retries the event later (it is not lost). */
export class RunBusyError extends Error {
  constructor(readonly runId: string) {
    super(`rule run ${runId} is being processed by another worker`);
  }
}

/** A run as stored: parsed JSON columns. */
export interface Run {
  id: string;
  ruleId: string;
  status: string;
  actions: RunActionRecord[];
  event: RuleEvent;
  plan: RuleAction[];
  createdAt: number;
}

export const parseRun = (r: RunRow): Run => ({
  id: r.id,
  ruleId: r.ruleId,
  status: r.status,
  actions: parseJson<RunActionRecord[]>(r.actions, []),
  event: parseJson<RuleEvent>(r.event, {} as RuleEvent),
  plan: parseJson<RuleAction[]>(r.plan, []),
  createdAt: r.createdAt,
});

/** Actions that leave the inline pass: a delay, or an outbound call that retries with backoff on the queue. */
export const isQueued = (a: RuleAction) =>
  a.delay_minutes > 0 || a.type === "trigger_webhook" || a.type === "send_sms";

/**
 * Open the run of (rule, event), or find the one a previous delivery opened. A new run is born
 * claimed by the caller, with immediate actions `pending` and queued ones `scheduled` (so a consumer
 * can claim them as soon as they are enqueued). An existing run still `running` whose lease expired
 * (its worker crashed) is claimed again and resumed; one held by a live worker throws RunBusyError.
 */
export async function openRun(
  tenant: Tenant,
  rule: Rule,
  event: RuleEvent,
): Promise<{ run: Run; resumed: boolean; done: boolean }> {
  const at = now();
  const actions: RunActionRecord[] = rule.actions.map((a, index) =>
    isQueued(a)
      ? { index, type: a.type, status: "scheduled", due_at: at + a.delay_minutes * 60_000 }
      : { index, type: a.type, status: "pending" },
  );
  const [inserted] = await tenant.db
    .insert(ruleRuns)
    .values({
      id: newId("run", at),
      organizationId: tenant.orgId,
      ruleId: rule.id,
      eventId: event.id,
      contactId: event.contact_id,
      trigger: event.trigger,
      status: "running",
      actions: JSON.stringify(actions),
      event: JSON.stringify(event),
      plan: JSON.stringify(rule.actions),
      claimedUntil: at + RUN_LEASE_MS,
      createdAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { run: parseRun(inserted), resumed: false, done: false };
  const where = scoped(tenant, ruleRuns, eq(ruleRuns.ruleId, rule.id), eq(ruleRuns.eventId, event.id));
  const existing = await tenant.db.select().from(ruleRuns).where(where).get();
  if (!existing) throw new Error("rule run vanished after a conflicting insert");
  if (existing.status !== "running") return { run: parseRun(existing), resumed: true, done: true };
  const [claimed] = await tenant.db
    .update(ruleRuns)
    .set({ claimedUntil: at + RUN_LEASE_MS })
    .where(
      and(
        where,
        eq(ruleRuns.status, "running"),
        or(isNull(ruleRuns.claimedUntil), lt(ruleRuns.claimedUntil, at)),
      ),
    )
    .returning();
  if (!claimed) throw new RunBusyError(existing.id);
  return { run: parseRun(claimed), resumed: true, done: false };
}

export type ActionPatch = Partial<
  Pick<RunActionRecord, "status" | "reason" | "at" | "claimed_until" | "attempts" | "caused">
>;

/** json_set arguments for one action's fields: paths are bound parameters, never spliced into the SQL. */
function setArgs(index: number, patch: ActionPatch): SQL[] {
  const args: SQL[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    // Arrays and objects go in as JSON, not as a string holding JSON.
    const bound =
      value !== null && typeof value === "object" ? sql`json(${JSON.stringify(value)})` : sql`${value}`;
    args.push(sql`${`$[${index}].${key}`}`, bound);
  }
  return args;
}

/**
 * Record the outcome of several actions of a run in one UPDATE, leaving its other actions as they
 * are (a queue consumer may be running one of them). `finish`: "done" closes the inline pass,
 * "release" gives up the lease after an error so the retried event resumes at once.
 */
export async function recordActions(
  tenant: Tenant,
  runId: string,
  patches: Map<number, ActionPatch>,
  finish?: "done" | "release",
) {
  const args = [...patches].flatMap(([i, p]) => setArgs(i, p));
  if (!args.length && !finish) return;
  const set: SQLiteUpdateSetSource<typeof ruleRuns> = {};
  if (args.length) set.actions = sql`json_set(${ruleRuns.actions}, ${sql.join(args, sql`, `)})`;
  if (finish === "done") set.status = "done";
  if (finish) set.claimedUntil = null;
  await tenant.db
    .update(ruleRuns)
    .set(set)
    .where(scoped(tenant, ruleRuns, eq(ruleRuns.id, runId)));
}

/**
 * Claim one queued action (scheduled -> running, or a running one whose holder's lease expired) in
 * one conditional UPDATE. Null when another delivery holds it or it is already final.
 */
export async function claimAction(tenant: Tenant, runId: string, index: number): Promise<Run | null> {
  const at = now();
  const path = (key: string) => `$[${index}].${key}`;
  const status = sql`json_extract(${ruleRuns.actions}, ${path("status")})`;
  const until = sql`coalesce(json_extract(${ruleRuns.actions}, ${path("claimed_until")}), 0)`;
  const [row] = await tenant.db
    .update(ruleRuns)
    .set({
      actions: sql`json_set(${ruleRuns.actions}, ${path("status")}, 'running', ${path("claimed_until")}, ${at + RUN_LEASE_MS})`,
    })
    .where(
      scoped(
        tenant,
        ruleRuns,
        eq(ruleRuns.id, runId),
        sql`(${status} = 'scheduled' or (${status} = 'running' and ${until} < ${at}))`,
      ),
    )
    .returning();
  return row ? parseRun(row) : null;
}

/** The status a run shows: from its actions, whatever stage each is at. */
export function runStatus(actions: RunActionRecord[]): "running" | "scheduled" | "completed" | "failed" {
  const has = (...s: ActionStatus[]) => actions.some((a) => s.includes(a.status));
  if (has("pending", "running")) return "running";
  if (has("scheduled")) return "scheduled";
  return has("failed") ? "failed" : "completed";
}

/** The public shape of a run (GET /api/v1/rules/:id/runs). */
export function runView(r: Run) {
  return {
    id: r.id,
    rule_id: r.ruleId,
    event_id: r.event.id ?? null,
    trigger: r.event.trigger ?? null,
    contact_id: r.event.contact_id ?? null,
    depth: r.event.depth ?? 0,
    status: runStatus(r.actions),
    actions: r.actions.map((a) => ({
      index: a.index,
      type: a.type,
      status: a.status,
      reason: a.reason ?? null,
      due_at: iso(a.due_at),
      at: iso(a.at),
      attempts: a.attempts ?? 0,
    })),
    created_at: iso(r.createdAt) as string,
  };
}

/** A rule's runs, newest first. */
export async function listRuns(tenant: Tenant, ruleId: string, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(ruleRuns)
    .where(
      scoped(
        tenant,
        ruleRuns,
        eq(ruleRuns.ruleId, ruleId),
        after ? lt(ruleRuns.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(desc(ruleRuns.id))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.id]);
  return { items: items.map(parseRun), next_cursor };
}

export async function getRun(tenant: Tenant, runId: string): Promise<Run | null> {
  const row = await tenant.db
    .select()
    .from(ruleRuns)
    .where(scoped(tenant, ruleRuns, eq(ruleRuns.id, runId)))
    .get();
  return row ? parseRun(row) : null;
}
