/**
 * Campaign lifecycle: draft -> sending (send now) or scheduled (at send_at) -> sending -> sent;
 * sending <-> paused; anything not finished -> cancelled. Each transition is one conditional
 * UPDATE, so two requests (or the schedule's alarm and the cron) cannot both win; anything else
 * answers 409 ILLEGAL_TRANSITION.
 */
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import { assertAudience, assertProvider } from "../scenarios/manage";
import { audiencePlan, audienceSize } from "./audience";
import { assertSendingDomain } from "../domains/enforce";
import { assertTemplatesSendable } from "../templates/sendable";
import { enqueueResolution } from "./resolve";
import { type CampaignRow, campaignTemplates, getCampaign, inputOf, validateCampaign } from "./store";
import type { CampaignResumeMessage } from "../../contracts/queue-messages";
import { tenantSql } from "../../lib/tenant-sql";

export type CampaignTransition = "send" | "schedule" | "pause" | "resume" | "cancel";

const FROM: Record<CampaignTransition, CampaignRow["status"][]> = {
  send: ["draft", "scheduled"],
  schedule: ["draft"],
  pause: ["sending", "scheduled"],
  resume: ["paused"],
  cancel: ["draft", "scheduled", "sending", "paused"],
};

function illegal(t: CampaignTransition, status: string) {
  return new ApiError("ILLEGAL_TRANSITION", `cannot ${t} a campaign that is ${status}`, [
    { field: "status", message: `${t} needs status ${FROM[t].join(" or ")}` },
  ]);
}

async function update(tenant: Tenant, id: string, from: string[], set: string, ...params: unknown[]) {
  const res = await tenantSql(
    tenant,
    `UPDATE campaigns SET ${set}, updated_at = ?3 WHERE organization_id = ?1 AND id = ?2 AND status IN (SELECT value FROM json_each(?4))`,
    id,
    now(),
    JSON.stringify(from),
    ...params,
  ).run();
  return res.meta.changes > 0;
}

/** The checks before mail can leave: content and audience, the provider, the audience limit. */
async function assertSendable(env: Env, tenant: Tenant, c: CampaignRow) {
  await validateCampaign(tenant, inputOf(c));
  await assertTemplatesSendable(
    tenant,
    await campaignTemplates(tenant, inputOf(c)),
    configOf(env).PUBLIC_BASE_URL,
  );
  await assertProvider(tenant, configOf(env).ENCRYPTION_KEY, c.provider);
  await assertSendingDomain(tenant, c.fromEmail);
  await assertAudience(tenant, await audienceSize(tenant, await audiencePlan(tenant, c)));
}

export async function transitionCampaign(
  env: Env,
  tenant: Tenant,
  id: string,
  t: CampaignTransition,
  opts: { send_at?: string; reason?: string } = {},
): Promise<CampaignRow> {
  const c = await getCampaign(tenant, id);
  if (!FROM[t].includes(c.status)) throw illegal(t, c.status);
  let ok = false;
  if (t === "send") {
    await assertSendable(env, tenant, c);
    ok = await update(tenant, id, FROM.send, "status = 'sending', started_at = ?3, paused_reason = NULL");
    if (ok) await enqueueResolution(env, tenant, { ...c, cursor: null });
  } else if (t === "schedule") {
    const at = opts.send_at ? Date.parse(opts.send_at) : c.sendAt;
    if (!at || Number.isNaN(at) || at <= now())
      throw new ApiError("VALIDATION_ERROR", "send_at: must be a time in the future (UTC, ISO-8601)", [
        { field: "send_at", message: "must be in the future" },
      ]);
    await assertSendable(env, tenant, c);
    ok = await update(tenant, id, FROM.schedule, "status = 'scheduled', send_at = ?5", at);
    if (ok) await armClock(env, tenant.orgId, id, at);
  } else if (t === "pause") {
    ok = await update(
      tenant,
      id,
      FROM.pause,
      "status = 'paused', paused_reason = ?5",
      opts.reason ?? "manual",
    );
  } else if (t === "resume") {
    await assertSendingDomain(tenant, c.fromEmail);
    // A campaign paused before its time goes back to waiting for it.
    const waiting = c.startedAt === null && c.sendAt !== null && c.sendAt > now();
    ok = await update(
      tenant,
      id,
      FROM.resume,
      `status = '${waiting ? "scheduled" : "sending"}', paused_reason = NULL`,
    );
    if (ok && waiting) await armClock(env, tenant.orgId, id, c.sendAt as number);
    if (ok && !waiting) {
      if (c.startedAt === null) await update(tenant, id, ["sending"], "started_at = ?3");
      if (c.resolvedAt === null) await enqueueResolution(env, tenant, c);
      const sweep: CampaignResumeMessage = {
        kind: "campaign_resume",
        campaign_id: id,
        organization_id: tenant.orgId,
        after_contact_id: null,
      };
      await env.ENROLL_QUEUE.send(sweep);
    }
  } else {
    ok = await update(tenant, id, FROM.cancel, "status = 'cancelled', completed_at = ?3");
  }
  if (!ok) {
    const current = await getCampaign(tenant, id).catch(() => null);
    if (!current) throw notFound("campaign");
    throw illegal(t, current.status);
  }
  return getCampaign(tenant, id);
}

/** The schedule's own alarm (CampaignClockDO); the 5-minute cron is the fallback. */
async function armClock(env: Env, orgId: string, campaignId: string, at: number) {
  try {
    await env.CAMPAIGN_CLOCK.get(env.CAMPAIGN_CLOCK.idFromName(campaignId)).arm(orgId, campaignId, at);
  } catch (e) {
    console.error(
      `campaign ${campaignId}: alarm not armed, the cron will start it`,
      e instanceof Error ? e.message : e,
    );
  }
}

/**
 * Start a scheduled campaign whose time has come: one conditional UPDATE (scheduled -> sending with
 * send_at <= now), so the alarm and the cron, or two crons, start it once. Answers whether it won.
 */
export async function startScheduled(env: Env, orgId: string, campaignId: string): Promise<boolean> {
  const tenant = await tenantFor(env, orgId);
  const at = now();
  const res = await tenantSql(
    tenant,
    `UPDATE campaigns SET status = 'sending', started_at = ?3, updated_at = ?3
     WHERE organization_id = ?1 AND id = ?2 AND status = 'scheduled' AND send_at <= ?3`,
    campaignId,
    at,
  ).run();
  if (!res.meta.changes) return false;
  await enqueueResolution(env, tenant, await getCampaign(tenant, campaignId));
  return true;
}
