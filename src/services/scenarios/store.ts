import { asc, eq, gt } from "drizzle-orm";
import { scenarios } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import type { ScenarioSettings } from "./types";

export type ScenarioRow = typeof scenarios.$inferSelect;

export interface ScenarioInput {
  name: string;
  provider?: "log" | "ses" | "brevo";
  from_email: string;
  from_name?: string | null;
  reply_to?: string | null;
  daily_cap?: number | null;
  cooldown_days?: number | null;
  send_window_start?: string | null;
  send_window_end?: string | null;
  send_days?: string[] | null;
  timezone?: string | null;
  min_validation_score?: number | null;
  only_deliverable?: boolean;
  exclude_domains?: string[];
  segment_id?: string | null;
  stop_on_reply?: boolean;
  stop_on_unsubscribe?: boolean;
  include_unsubscribe?: boolean;
  utm?: Utm | null;
}

/** UTM parameters added to tracked links (campaigns and scenarios). */
export interface Utm {
  source: string;
  medium: string;
  campaign: string;
  content?: string;
}

/** The public fields of a scenario (API.md), without steps and statistics. */
export function scenarioView(s: ScenarioRow) {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    paused_reason: s.pausedReason,
    provider: s.provider,
    from_email: s.fromEmail,
    from_name: s.fromName,
    reply_to: s.replyTo,
    daily_cap: s.dailyCap,
    cooldown_days: s.cooldownDays,
    send_window_start: s.sendWindowStart,
    send_window_end: s.sendWindowEnd,
    send_days: parseJson<string[] | null>(s.sendDays, null),
    timezone: s.timezone,
    min_validation_score: s.minValidationScore,
    only_deliverable: s.onlyDeliverable,
    exclude_domains: parseJson<string[]>(s.excludeDomains, []),
    segment_id: s.segmentId,
    stop_on_reply: s.stopOnReply,
    stop_on_unsubscribe: s.stopOnUnsubscribe,
    include_unsubscribe: s.includeUnsubscribe,
    utm: parseJson<Utm | null>(s.utm, null),
    steps_version: s.stepsVersion,
    progress: {
      enrolled: s.enrolledCount,
      eligible: s.eligibleCount,
      complete: s.enrollmentDoneAt !== null,
    },
    started_at: iso(s.startedAt),
    created_at: iso(s.createdAt) as string,
    updated_at: iso(s.updatedAt) as string,
  };
}

/** The columns of a scenario row that its settings come from. */
export type SettingsColumns = Pick<
  ScenarioRow,
  | "id"
  | "organizationId"
  | "status"
  | "timezone"
  | "sendWindowStart"
  | "sendWindowEnd"
  | "sendDays"
  | "dailyCap"
  | "cooldownDays"
  | "stopOnReply"
  | "stopOnUnsubscribe"
>;

/** What the engine needs of a scenario row. */
export function settingsOf(s: SettingsColumns): ScenarioSettings {
  return {
    id: s.id,
    organization_id: s.organizationId,
    status: s.status,
    timezone: s.timezone,
    send_window_start: s.sendWindowStart,
    send_window_end: s.sendWindowEnd,
    send_days: parseJson<string[] | null>(s.sendDays, null),
    daily_cap: s.dailyCap,
    cooldown_days: s.cooldownDays,
    stop_on_reply: s.stopOnReply,
    stop_on_unsubscribe: s.stopOnUnsubscribe,
  };
}

export async function createScenario(tenant: Tenant, input: ScenarioInput): Promise<ScenarioRow> {
  const at = now();
  const [row] = await tenant.db
    .insert(scenarios)
    .values({
      id: newId("scn", at),
      organizationId: tenant.orgId,
      ...scenarioColumns(input),
      status: "draft",
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row as ScenarioRow;
}

export async function getScenario(tenant: Tenant, id: string): Promise<ScenarioRow> {
  const row = await tenant.db
    .select()
    .from(scenarios)
    .where(scoped(tenant, scenarios, eq(scenarios.id, id)))
    .get();
  if (!row) throw notFound("scenario");
  return row;
}

export async function listScenarios(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(scenarios)
    .where(scoped(tenant, scenarios, after ? gt(scenarios.id, String(after[0])) : undefined))
    .orderBy(asc(scenarios.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

/** A scenario input as its columns (create, and PATCH on the merged input). */
export function scenarioColumns(input: ScenarioInput) {
  return {
    name: input.name,
    provider: input.provider ?? "log",
    fromEmail: input.from_email,
    fromName: input.from_name ?? null,
    replyTo: input.reply_to ?? null,
    dailyCap: input.daily_cap ?? null,
    cooldownDays: input.cooldown_days ?? null,
    sendWindowStart: input.send_window_start ?? null,
    sendWindowEnd: input.send_window_end ?? null,
    sendDays: input.send_days?.length ? JSON.stringify([...new Set(input.send_days)]) : null,
    timezone: input.timezone ?? null,
    minValidationScore: input.min_validation_score ?? null,
    onlyDeliverable: input.only_deliverable ?? false,
    excludeDomains: JSON.stringify([
      ...new Set((input.exclude_domains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, ""))),
    ]),
    segmentId: input.segment_id ?? null,
    stopOnReply: input.stop_on_reply ?? true,
    stopOnUnsubscribe: input.stop_on_unsubscribe ?? true,
    includeUnsubscribe: input.include_unsubscribe ?? true,
    utm: input.utm ? JSON.stringify(input.utm) : null,
  };
}
