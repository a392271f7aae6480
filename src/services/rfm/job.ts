import type { RfmJobMessage } from "../../contracts/queue-messages";
import { tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations/store";
import { recomputeFitPage, recomputePairs, recomputeRfmScores, segmentChangeEvents } from "./compute";
import { tenantsWith } from "../organizations/active";

/** One step of an RFM recompute on the ENROLL queue: pairs, then scores, then fit scores in pages. */
export interface RfmJob {
  id: string;
  status: "queued" | "running" | "done";
  phase: RfmJobMessage["phase"] | null;
  pairs: number;
  purchasers_changed: number;
  segment_changes: number;
  fit_changed: number;
  requested_at: string;
  finished_at: string | null;
}

const KEY = "rfm_job";
export const getRfmJob = (tenant: Tenant) => getSettings<Partial<RfmJob>>(tenant, KEY, {});
const saveJob = (tenant: Tenant, job: RfmJob) => putSettings(tenant, KEY, job);

/** Queue a recompute (POST /api/v1/rfm/recompute, and the nightly cron); answers the job. */
export async function startRfmJob(env: Env, tenant: Tenant): Promise<RfmJob> {
  const job: RfmJob = {
    id: newId("rfm", now()),
    status: "queued",
    phase: null,
    pairs: 0,
    purchasers_changed: 0,
    segment_changes: 0,
    fit_changed: 0,
    requested_at: new Date(now()).toISOString(),
    finished_at: null,
  };
  await saveJob(tenant, job);
  const body: RfmJobMessage = {
    kind: "rfm",
    organization_id: tenant.orgId,
    job_id: job.id,
    phase: "pairs",
    after: null,
  };
  await env.ENROLL_QUEUE.send(body);
  return job;
}

/** One step. A step of a job that was replaced by a newer one does nothing. */
export async function runRfmStep(env: Env, body: RfmJobMessage): Promise<void> {
  const tenant = await tenantFor(env, body.organization_id);
  const job = (await getRfmJob(tenant)) as RfmJob;
  if (job.id !== body.job_id || job.status === "done") return;
  job.status = "running";
  job.phase = body.phase;
  let next: RfmJobMessage | null = null;
  if (body.phase === "pairs") {
    job.pairs = await recomputePairs(tenant);
    next = { ...body, phase: "rfm" };
  } else if (body.phase === "rfm") {
    const changes = await recomputeRfmScores(tenant);
    job.segment_changes += changes.length;
    await segmentChangeEvents(env, tenant, job.id, changes);
    next = { ...body, phase: "fit", after: null };
  } else {
    const page = await recomputeFitPage(tenant, body.after);
    job.fit_changed += page.changed;
    next = page.next ? { ...body, after: page.next } : null;
  }
  if (!next) {
    job.status = "done";
    job.finished_at = new Date(now()).toISOString();
  }
  await saveJob(tenant, job);
  if (next) await env.ENROLL_QUEUE.send(next);
}

/** Nightly: a recompute for every organization that has purchasers. */
export async function nightlyRfm(env: Env): Promise<number> {
  let n = 0;
  for await (const tenant of tenantsWith(env, "orders")) {
    await startRfmJob(env, tenant);
    n++;
  }
  return n;
}

export async function rfmJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await nightlyRfm(env);
  if (n) console.log(`rfm: ${n} recompute(s) queued`);
}
