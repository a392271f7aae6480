import { backoffSeconds } from "../src/lib/result";
import { runRfmStep } from "../src/services/rfm/job";
import { resolveCampaignPages, resumeCampaignPage } from "../src/services/campaigns/resolve";
import { tenantFor } from "../src/db/route";
import { activatePage } from "../src/services/scenarios/activation";
import { enrollPage, sweepPage } from "../src/services/scenarios/enrollment";
import { type ActivateMessage, EnrollQueueBody } from "../src/contracts/queue-messages";
import { tenantSql } from "../src/lib/tenant-sql";

/** Delay before contacts whose SequenceDO call failed are tried again (their rows exist). */
const RETRY_FAILED_SECONDS = 30;
/** How many times the DLQ puts a message back before giving up on it (with a log line). */
const MAX_REDRIVES = 3;
const REDRIVE_DELAY_SECONDS = 900;

/** A failed page waits up to 5 s, 10 s, 20 s ... 10 minutes (lib/result.ts backoffSeconds). */
const ENROLL_BACKOFF = { baseSeconds: 5, maxSeconds: 600 };

/**
 * ENROLL consumer: enrollment pages (scan after a contact id, or listed contact ids), activations
 * (the contacts' SequenceDOs, once their first step is near) and sweeps (resume wakes, stop ends
 * every active sequence). Each message is idempotent, so redelivery only costs reads. Contacts
 * whose object call failed come back as one activation message; a D1 or queue failure retries the
 * whole message with backoff.
 */
export async function consumeEnroll(
  batch: MessageBatch<unknown>,
  env: Env,
  _ctx?: ExecutionContext,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = EnrollQueueBody.safeParse(message.body);
    if (!parsed.success) {
      console.error(`ENROLL: invalid message ${message.id} acked: ${parsed.error.message}`);
      message.ack();
      continue;
    }
    try {
      const body = parsed.data;
      if (!("kind" in body)) await enrollPage(env, body);
      else if (body.kind === "sweep") await sweepPage(env, body);
      else if (body.kind === "campaign") await resolveCampaignPages(env, body);
      else if (body.kind === "campaign_resume") await resumeCampaignPage(env, body);
      else if (body.kind === "rfm") await runRfmStep(env, body);
      else {
        const failed = await activatePage(env, body);
        if (failed.length) {
          const retry: ActivateMessage = { ...body, contact_ids: failed };
          await env.ENROLL_QUEUE.send(retry, { delaySeconds: RETRY_FAILED_SECONDS });
        }
      }
      message.ack();
    } catch (e) {
      console.error(
        `ENROLL: message ${message.id} failed (attempt ${message.attempts})`,
        e instanceof Error ? e.message : e,
      );
      message.retry({ delaySeconds: backoffSeconds(message.attempts, undefined, ENROLL_BACKOFF) });
    }
  }
}

/**
 * ENROLL dead letters: a page that kept failing would end its scan and leave contacts out, so it
 * goes back on the queue after a pause (a D1 outage passes), a few times, then is logged loudly.
 */
export async function consumeEnrollDlq(
  batch: MessageBatch<unknown>,
  env: Env,
  _ctx?: ExecutionContext,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = EnrollQueueBody.safeParse(message.body);
    const raw = message.body as { redrives?: unknown } | null;
    const redrives = typeof raw?.redrives === "number" ? raw.redrives : 0;
    if (!parsed.success || redrives >= MAX_REDRIVES) {
      console.error(`ENROLL DLQ: giving up on message ${message.id}`, JSON.stringify(message.body));
      message.ack();
      continue;
    }
    try {
      const tenant = await tenantFor(env, parsed.data.organization_id);
      const body = parsed.data;
      // Redriven while its scenario (or campaign) can still use it.
      const owner =
        "job_id" in body
          ? { status: "active" }
          : "campaign_id" in body
            ? await tenantSql(
                tenant,
                "SELECT status FROM campaigns WHERE organization_id = ?1 AND id = ?2",
                body.campaign_id,
              ).first<{ status: string }>()
            : await tenantSql(
                tenant,
                "SELECT status FROM scenarios WHERE organization_id = ?1 AND id = ?2",
                body.scenario_id,
              ).first<{ status: string }>();
      if (owner && !["draft", "cancelled", "sent", "stopped"].includes(owner.status)) {
        await env.ENROLL_QUEUE.send(
          { ...parsed.data, redrives: redrives + 1 },
          { delaySeconds: REDRIVE_DELAY_SECONDS },
        );
      }
      message.ack();
    } catch (e) {
      console.error(`ENROLL DLQ: message ${message.id} not redriven`, e instanceof Error ? e.message : e);
      message.retry({ delaySeconds: 60 });
    }
  }
}
