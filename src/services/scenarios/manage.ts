/**
 * Editing, duplicating and deleting scenarios, and the checks before a start: the provider is
 * configured, the audience fits the organization's max_audience.
 */
import { entersBySegment } from "./flow/entry";
import { eq } from "drizzle-orm";
import {
  contactSequences,
  journeyRuns,
  scenarioFlows,
  scenarioSteps,
  scenarios,
  stepVariants,
} from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError } from "../../lib/errors";
import { scoped, type Tenant } from "../../lib/tenant";
import { getAudienceSettings } from "../settings/audience";
import { resolveProviderAccount } from "../settings/provider-accounts";
import { getSegment } from "../segments/store";
import { getScenario, scenarioColumns, type ScenarioInput, type ScenarioRow, scenarioView } from "./store";
import { eligibleCountSql, scenarioAudience } from "./eligibility";
import { tenantSql } from "../../lib/tenant-sql";

/** Fields that decide who enters or how mail leaves: frozen while the scenario is active. */
const FROZEN_WHILE_ACTIVE = [
  "segment_id",
  "min_validation_score",
  "only_deliverable",
  "exclude_domains",
  "provider",
  "from_email",
] as const;

/** A segment id given to a scenario must name one of the organization's segments (404 otherwise). */
export async function assertSegment(tenant: Tenant, segmentId: string | null | undefined) {
  if (segmentId) await getSegment(tenant, segmentId);
}

export async function updateScenario(
  tenant: Tenant,
  id: string,
  patch: Partial<ScenarioInput>,
): Promise<ScenarioRow> {
  const row = await getScenario(tenant, id);
  if (row.status === "active") {
    const frozen = FROZEN_WHILE_ACTIVE.filter((f) => patch[f] !== undefined);
    if (frozen.length)
      throw new ApiError(
        "CONFLICT",
        `pause the scenario to change ${frozen.join(", ")}: it decides who enters or how mail leaves`,
        frozen.map((field) => ({ field, message: "cannot change while the scenario is active" })),
      );
  }
  await assertSegment(tenant, patch.segment_id);
  // The same rules as creation: build the row the input describes, keep what the patch leaves out.
  const current = scenarioView(row);
  const merged: ScenarioInput = {
    name: current.name,
    provider: current.provider,
    from_email: current.from_email,
    from_name: current.from_name,
    reply_to: current.reply_to,
    daily_cap: current.daily_cap,
    cooldown_days: current.cooldown_days,
    send_window_start: current.send_window_start,
    send_window_end: current.send_window_end,
    send_days: current.send_days,
    timezone: current.timezone,
    min_validation_score: current.min_validation_score,
    only_deliverable: current.only_deliverable,
    exclude_domains: current.exclude_domains,
    segment_id: current.segment_id,
    stop_on_reply: current.stop_on_reply,
    stop_on_unsubscribe: current.stop_on_unsubscribe,
    include_unsubscribe: current.include_unsubscribe,
    utm: current.utm,
    ...patch,
  };
  const start = merged.send_window_start ?? "00:00";
  const end = merged.send_window_end ?? "24:00";
  if (end <= start)
    throw new ApiError("VALIDATION_ERROR", "send_window_end: must be after send_window_start", [
      { field: "send_window_end", message: "must be after send_window_start" },
    ]);
  const fields = scenarioColumns(merged);
  await tenant.db
    .update(scenarios)
    .set({ ...fields, updatedAt: now() })
    .where(scoped(tenant, scenarios, eq(scenarios.id, id)));
  return getScenario(tenant, id);
}

/** Delete a draft or stopped scenario with its steps, flows, sequence rows and runs (messages stay, as history). */
export async function deleteScenario(tenant: Tenant, id: string): Promise<void> {
  const row = await getScenario(tenant, id);
  if (row.status !== "draft" && row.status !== "stopped")
    throw new ApiError("ILLEGAL_TRANSITION", `stop the scenario before deleting it (it is ${row.status})`);
  const { db } = tenant;
  const steps = db
    .select({ id: scenarioSteps.id })
    .from(scenarioSteps)
    .where(scoped(tenant, scenarioSteps, eq(scenarioSteps.scenarioId, id)));
  await db.batch([
    db.delete(stepVariants).where(scoped(tenant, stepVariants, eq(stepVariants.stepId, steps))),
    db.delete(scenarioSteps).where(scoped(tenant, scenarioSteps, eq(scenarioSteps.scenarioId, id))),
    db.delete(contactSequences).where(scoped(tenant, contactSequences, eq(contactSequences.scenarioId, id))),
    db.delete(journeyRuns).where(scoped(tenant, journeyRuns, eq(journeyRuns.scenarioId, id))),
    db.delete(scenarioFlows).where(scoped(tenant, scenarioFlows, eq(scenarioFlows.scenarioId, id))),
    db
      .delete(scenarios)
      .where(scoped(tenant, scenarios, eq(scenarios.id, id), eq(scenarios.status, row.status))),
  ]);
}

/**
 * Before a start: the scenario's provider must be configured (422 PROVIDER_NOT_CONFIGURED) and its
 * audience must fit max_audience (422 SEGMENT_TOO_LARGE).
 */
export async function assertStartable(tenant: Tenant, encryptionKey: string, row: ScenarioRow) {
  await assertProvider(tenant, encryptionKey, row.provider);
  if (!entersBySegment(row)) return;
  const segment = await scenarioAudience(tenant, row);
  const count = eligibleCountSql(row, 2, segment);
  const res = await tenantSql(tenant, `SELECT ${count.sql} AS n`, ...count.params).first<{ n: number }>();
  await assertAudience(tenant, res?.n ?? 0);
}

export async function assertProvider(tenant: Tenant, encryptionKey: string, provider: string) {
  if (provider === "log") return;
  const account = await resolveProviderAccount(tenant, encryptionKey, provider as "ses" | "brevo").catch(
    () => null,
  );
  if (!account)
    throw new ApiError(
      "PROVIDER_NOT_CONFIGURED",
      `provider ${provider} is not configured for this organization`,
      [{ field: "provider", message: "configure it with PUT /api/v1/settings/providers" }],
    );
}

export async function assertAudience(tenant: Tenant, size: number) {
  const { max_audience } = await getAudienceSettings(tenant);
  if (size > max_audience)
    throw new ApiError(
      "SEGMENT_TOO_LARGE",
      `the audience has ${size} contacts; the limit is ${max_audience}`,
      [{ field: "segment_id", message: `at most ${max_audience} contacts (settings/audience max_audience)` }],
    );
}
