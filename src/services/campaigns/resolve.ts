import type { CampaignPageMessage, CampaignResumeMessage } from "../../contracts/queue-messages";
import type { SendMessage } from "../../contracts/queue-messages";
import { tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import type { Tenant } from "../../lib/tenant";
import { idempotencyKey } from "../ledger/create";
import { audiencePage, audiencePlan } from "./audience";
import { CAMPAIGN_PAUSED } from "./constants";
import { type CampaignRow, getCampaign } from "./store";
import { sendAll } from "../../lib/queue";
import { revive } from "../ledger/settle";
import { bulkInsertSql, pendingByKeysStatement } from "../ledger/create";
import { endTestPhase, splitForTest, testPhase } from "./ab-test";
import { asTenantSql, tenantBatch, tenantSql } from "../../lib/tenant-sql";

const PAGE = 500;
const PAGES_PER_MESSAGE = 10;

export { CAMPAIGN_CANCELLED, CAMPAIGN_PAUSED } from "./constants";

export const campaignKey = (orgId: string, campaignId: string, contactId: string) =>
  idempotencyKey([orgId, "campaign", campaignId, contactId]);

/** Start resolving (or continue after a resume) from the campaign's cursor. */
export async function enqueueResolution(env: Env, tenant: Tenant, c: CampaignRow) {
  const body: CampaignPageMessage = {
    kind: "campaign",
    campaign_id: c.id,
    organization_id: tenant.orgId,
    after_contact_id: c.cursor,
  };
  await env.ENROLL_QUEUE.send(body);
}

/** One resolution message: up to 10 pages of 500 contacts, then its continuation. */
export async function resolveCampaignPages(env: Env, body: CampaignPageMessage): Promise<number> {
  const tenant = await tenantFor(env, body.organization_id);
  const campaign = await getCampaign(tenant, body.campaign_id).catch(() => null);
  // Paused: the cursor is kept, resume continues from it. Cancelled or gone: nothing more.
  if (campaign?.status !== "sending" || campaign.resolvedAt !== null) return 0;
  const plan = await audiencePlan(tenant, campaign);
  const phase = testPhase(campaign);
  let after = body.after_contact_id;
  let queued = 0;
  for (let p = 0; p < PAGES_PER_MESSAGE; p++) {
    const page = await audiencePage(tenant, plan, after, PAGE);
    const done = page.scanned < PAGE || !page.lastId;
    const verdicts = await splitForTest(campaign, phase, page.verdicts);
    // The test group's scan ends the test phase, not the resolution: the rest waits for the winner.
    queued += await writePage(
      env.SEND_QUEUE,
      tenant,
      campaign,
      verdicts,
      page.lastId ?? after,
      done && !phase.testing,
    );
    if (done) {
      if (phase.testing) await endTestPhase(tenant, campaign);
      return queued;
    }
    after = page.lastId;
  }
  const next: CampaignPageMessage = { ...body, after_contact_id: after };
  await env.ENROLL_QUEUE.send(next);
  return queued;
}

async function writePage(
  sendQueue: Queue,
  tenant: Tenant,
  campaign: CampaignRow,
  verdicts: Awaited<ReturnType<typeof audiencePage>>["verdicts"],
  cursor: string | null,
  done: boolean,
): Promise<number> {
  const at = now();
  const recipients = await Promise.all(
    verdicts.map(async (v) => ({
      contact_id: v.contact.id,
      status: v.reason ? "skipped" : "queued",
      reason: v.reason,
      variant_name: v.variant?.name ?? null,
      template_id: v.variant?.template_id ?? null,
      ledger_id: v.reason ? null : newId("op", at),
      key: v.reason ? null : await campaignKey(tenant.orgId, campaign.id, v.contact.id),
    })),
  );
  const queued = recipients.filter((r) => r.status === "queued");
  const payload = JSON.stringify({ source: { campaign_id: campaign.id } });
  const [, , , rows] = await tenantBatch<{ ledger_id: string; status: string }>(tenant, [
    // The ledger rows first: a row that exists (an earlier delivery of this page) keeps its id.
    tenantSql(
      tenant,
      asTenantSql(
        bulkInsertSql(
          `SELECT j.value ->> 'ledger_id', ?1, j.value ->> 'key', 'send', ?2, j.value ->> 'contact_id', j.value ->> 'variant_name',
             j.value ->> 'template_id', 'pending', 0, ?4, ?3, ?3
           FROM json_each(?5) AS j WHERE true`,
        ),
      ),
      campaign.id,
      at,
      payload,
      JSON.stringify(queued),
    ),
    tenantSql(
      tenant,
      `UPDATE campaigns SET queued_count = queued_count + changes(), cursor = ?3,
           resolved_at = CASE WHEN ?4 THEN ?5 ELSE resolved_at END,
           status = CASE WHEN ?4 AND status = 'sending' AND finished_count >= queued_count + changes() THEN 'sent' ELSE status END,
           completed_at = CASE WHEN ?4 AND status = 'sending' AND finished_count >= queued_count + changes() THEN ?5 ELSE completed_at END,
           updated_at = ?5
         WHERE organization_id = ?1 AND id = ?2`,
      campaign.id,
      cursor,
      done ? 1 : 0,
      at,
    ),
    tenantSql(
      tenant,
      `INSERT INTO campaign_recipients (campaign_id, contact_id, organization_id, status, reason, variant_name, ledger_id, created_at)
         SELECT ?2, j.value ->> 'contact_id', ?1, j.value ->> 'status', j.value ->> 'reason', j.value ->> 'variant_name',
           (SELECT l.id FROM operation_ledger l WHERE l.idempotency_key = j.value ->> 'key'), ?3
         FROM json_each(?4) AS j WHERE true ON CONFLICT DO NOTHING`,
      campaign.id,
      at,
      JSON.stringify(recipients),
    ),
    // What to enqueue: this page's rows still pending (new, or left by an earlier delivery).
    pendingByKeysStatement(
      tenant,
      queued.map((q) => q.key as string),
    ),
  ]);
  const messages = (rows?.results ?? []).map((r) => ({
    body: { ledger_id: r.ledger_id, organization_id: tenant.orgId } satisfies SendMessage,
  }));
  await sendAll(sendQueue, messages);
  return messages.length;
}

/**
 * A page of the resume sweep: this campaign's queued recipients whose ledger row a pause withdrew
 * (skipped with campaign_paused) become pending again and go back to SEND.
 */
export async function resumeCampaignPage(env: Env, body: CampaignResumeMessage): Promise<number> {
  const tenant = await tenantFor(env, body.organization_id);
  const recipients = await tenantSql(
    tenant,
    `SELECT contact_id, ledger_id FROM campaign_recipients
     WHERE campaign_id = ?2 AND contact_id > ?3 AND status = 'queued' AND organization_id = ?1
     ORDER BY contact_id LIMIT ?4`,
    body.campaign_id,
    body.after_contact_id ?? "",
    PAGE,
  ).all<{ contact_id: string; ledger_id: string | null }>();
  const ids = recipients.results.map((r) => r.ledger_id).filter((x): x is string => !!x);
  const revived = await revive(tenant, ids, CAMPAIGN_PAUSED, now());
  const messages = revived.map((id) => ({
    body: { ledger_id: id, organization_id: tenant.orgId } satisfies SendMessage,
  }));
  await sendAll(env.SEND_QUEUE, messages);
  const last = recipients.results.at(-1);
  if (recipients.results.length === PAGE && last)
    await env.ENROLL_QUEUE.send({
      ...body,
      after_contact_id: last.contact_id,
    } satisfies CampaignResumeMessage);
  return messages.length;
}

/**
 * The SEND side reports finished sends of campaigns (one UPDATE per campaign per batch): once the
 * audience is resolved and every queued send finished, the campaign is sent.
 */
export function finishedStatement(tenant: Tenant, campaignId: string, n: number, at: number) {
  return tenantSql(
    tenant,
    `UPDATE campaigns SET finished_count = finished_count + ?3,
         status = CASE WHEN status = 'sending' AND resolved_at IS NOT NULL AND finished_count + ?3 >= queued_count THEN 'sent' ELSE status END,
         completed_at = CASE WHEN status = 'sending' AND resolved_at IS NOT NULL AND finished_count + ?3 >= queued_count THEN ?4 ELSE completed_at END,
         updated_at = ?4
       WHERE organization_id = ?1 AND id = ?2`,
    campaignId,
    n,
    at,
  );
}
