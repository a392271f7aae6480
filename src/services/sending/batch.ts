import { ACK, type Disposition } from "../../lib/result";
import { configOf, systemSender } from "../../config";
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import type { ResolvedAccount } from "../settings/provider-accounts";
import { archiveRaw } from "./archive";
import { loadSendJobs } from "./load";
import { isScenarioSend, outcomeFor, writeSequenceRows } from "./notify";
import { renotifyFinal } from "./renotify";
import type { MirrorWrite } from "../scenarios/engine/mirror";
import { type Composed, composeWithinBudget, noPause } from "./fairness";
import { yieldToEventLoop } from "../../lib/turns";
import type { BatchDeps, Group, Sent } from "./batch-types";
import { sendPaced } from "./batch-send";

export type { BatchDeps } from "./batch-types";
import { accountKey, compose, resolveAccounts } from "./batch-prepare";
import { recordWithRetries } from "./record-retries";
import { claimLedgers } from "../ledger/claim";
import { releaseClaims } from "../ledger/settle";
import { WARMUP_REASON, warmupGate } from "../domains/warmup-gate";

/**
 * Work a SEND batch to the end, every organization's messages together:
 * 1. claim each organization's rows in one UPDATE (pending -> sending) and load them in a few reads;
 * 2. each organization in its own lane, concurrently: compose its messages within its render budget
 *    (the rest waits for the next batch), yielding after each, so one organization's heavy template
 *    cannot hold another's mail;
 * 3. take send slots from each provider account's pacer (one call per account) and call the
 *    provider once per message, concurrently; slots beyond `maxPaceWaitMs` are retried later;
 * 4. archive the raw MIME (one R2 object per organization), record every outcome in one D1 batch
 *    per organization, give transient failures back, and tell the sequences.
 * Never throws after a provider accepted a message: a throw there would release the claim and send
 * twice. Answers a disposition per ledger id.
 */
export async function runSendBatch(
  env: Env,
  tenants: Map<string, { tenant: Tenant; ledgerIds: string[] }>,
  deps: BatchDeps,
): Promise<Map<string, Disposition>> {
  const out = new Map<string, Disposition>();
  const config = configOf(env);
  const at = now();
  const groups: Group[] = [];
  // Rows this batch could not claim that are final already: their sequences are told again.
  const retold: Promise<void>[] = [];
  await Promise.all(
    [...tenants.values()].map(async ({ tenant, ledgerIds }) => {
      const group: Group = { tenant, ledgerIds, claimed: [], jobs: [], outcomes: [], retries: [] };
      try {
        group.claimed = await claimLedgers(tenant, ledgerIds, at);
        const claimed = new Set(group.claimed.map((r) => r.id));
        const unclaimed = ledgerIds.filter((id) => !claimed.has(id));
        if (unclaimed.length) retold.push(renotifyFinal(env, tenant, unclaimed, deps.notify));
        const loaded = await loadSendJobs(tenant, group.claimed, {
          fromEmail: systemSender(config),
          signingKey: config.ENCRYPTION_KEY,
        });
        for (const row of group.claimed) {
          const res = loaded.get(row.id);
          if (!res) continue;
          if (res.ok) group.jobs.push(res.job);
          else if (res.status === "skipped")
            group.outcomes.push({ kind: "skipped", ledgerId: row.id, reason: res.reason });
          else group.outcomes.push({ kind: "failed", ledgerId: row.id, reason: res.reason, attempted: null });
        }
        // A domain warming up sends today's allowance; the rest waits for tomorrow (reason warmup).
        const gate = await warmupGate(tenant, group.jobs, at);
        group.jobs = gate.admitted;
        for (const job of gate.held)
          group.retries.push({
            id: job.ledger.id,
            reason: WARMUP_REASON,
            afterSeconds: gate.afterSeconds,
            backoff: false,
          });
        groups.push(group);
      } catch (e) {
        // D1 hiccup before anything was sent: give the claims back and try the whole group again.
        console.error(
          `SEND: organization ${tenant.orgId} batch failed to load`,
          e instanceof Error ? e.message : e,
        );
        await releaseClaims(
          tenant,
          group.claimed.map((r) => ({ id: r.id, reason: "internal error" })),
          now(),
        ).catch(() => undefined);
        for (const id of ledgerIds) out.set(id, { action: "retry", reason: "internal error", backoff: true });
      }
    }),
  );

  const accounts = await resolveAccounts(env, groups);
  const byOrg = new Map<string, Group>(groups.map((g) => [g.tenant.orgId, g]));
  // Each organization in its own lane, concurrently: compose, send, record.
  await Promise.all(groups.map((g) => runLane(env, g, byOrg, accounts, deps, out)));
  await Promise.all(retold);
  return out;
}

/** One organization's part of the batch after its claim: compose within its budget, send, settle. */
async function runLane(
  env: Env,
  g: Group,
  byOrg: Map<string, Group>,
  accounts: Map<string, ResolvedAccount | null | string>,
  deps: BatchDeps,
  out: Map<string, Disposition>,
) {
  const jobs = g.jobs.filter((job) => {
    const account = accounts.get(accountKey(g.tenant, job.provider));
    if (typeof account !== "string") return true;
    g.outcomes.push({ kind: "failed", ledgerId: job.ledger.id, reason: account, attempted: null });
    return false;
  });
  let composed: Composed[];
  try {
    composed = await composeWithinBudget(
      g.tenant.orgId,
      jobs,
      (job, orgId) => compose(env, orgId, job),
      deps.budget,
      byOrg.size > 1 ? yieldToEventLoop : noPause,
    );
  } catch (e) {
    // A bug while composing (no provider call made for this organization): its claims go back.
    console.error(`SEND: composing for ${g.tenant.orgId} failed`, e instanceof Error ? e.message : e);
    await releaseClaims(
      g.tenant,
      g.claimed.map((r) => ({ id: r.id, reason: "internal error" })),
      now(),
    ).catch(() => undefined);
    for (const r of g.claimed) out.set(r.id, { action: "retry", reason: "internal error", backoff: true });
    return;
  }
  for (const c of composed) {
    if (c.kind === "deferred")
      g.retries.push({
        id: c.job.ledger.id,
        reason: "organization render budget spent",
        afterSeconds: 1,
        backoff: false,
      });
    else if (c.kind === "failed")
      g.outcomes.push({
        kind: "failed",
        ledgerId: c.job.ledger.id,
        reason: c.reason,
        attempted: { job: c.job, email: null, provider: c.job.provider, rawRef: null },
      });
  }
  const sent = await sendPaced(
    composed.filter((c): c is Extract<Composed, { kind: "ok" }> => c.kind === "ok"),
    byOrg,
    accounts,
    env,
    deps,
  );
  await settle(env, g, sent.get(g.tenant.orgId) ?? [], deps, out);
}

/** Archive, record, release and notify one organization's part; set its dispositions. */
async function settle(env: Env, g: Group, sent: Sent[], deps: BatchDeps, out: Map<string, Disposition>) {
  const attempted = sent.filter((s) => s.result.ok || !s.result.retryable);
  const refs = await archiveRaw(
    env.ARCHIVE,
    g.tenant.orgId,
    now(),
    attempted.map((s) => ({ messageId: s.email.messageId, raw: s.email.raw })),
  );
  for (const s of sent) {
    const rawRef = refs.get(s.email.messageId) ?? null;
    if (s.result.ok) {
      g.outcomes.push({
        kind: "sent",
        job: s.job,
        email: s.email,
        provider: s.provider,
        externalId: s.result.externalId,
        rawRef,
      });
    } else if (!s.result.retryable) {
      g.outcomes.push({
        kind: "failed",
        ledgerId: s.job.ledger.id,
        reason: s.result.reason,
        attempted: { job: s.job, email: s.email, provider: s.provider, rawRef },
      });
    } else {
      g.retries.push({
        id: s.job.ledger.id,
        reason: s.result.reason,
        afterSeconds: s.result.retryAfterSeconds,
        backoff: true,
      });
    }
  }
  await recordWithRetries(g.tenant, g.outcomes, g.claimed);
  for (const r of g.retries)
    out.set(r.id, {
      action: "retry",
      reason: r.reason,
      retryAfterSeconds: r.afterSeconds,
      backoff: r.backoff,
    });
  await releaseClaims(g.tenant, g.retries, now()).catch((e) =>
    console.error(
      "SEND: could not give claims back (their lease expires)",
      e instanceof Error ? e.message : e,
    ),
  );
  const rows = new Map(g.claimed.map((r) => [r.id, r]));
  // The objects hand their contact_sequences rows back: one statement for the batch, not one each.
  const sequenceRows: MirrorWrite[] = [];
  await Promise.all(
    g.outcomes.map(async (o) => {
      const ledger = o.kind === "sent" ? o.job.ledger : rows.get(o.ledgerId);
      if (!ledger) return;
      out.set(ledger.id, ACK);
      if (!isScenarioSend(ledger)) return;
      const outcome =
        o.kind === "sent"
          ? outcomeFor(ledger, "executed", now(), { message_id: o.email.messageId })
          : outcomeFor(ledger, o.kind, now(), { reason: o.reason });
      await deps.notify(env, ledger, outcome, sequenceRows);
    }),
  );
  await writeSequenceRows(env, g.tenant, sequenceRows);
}
