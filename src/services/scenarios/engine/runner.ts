/**
 * The engine's effectful transitions, written against ports: the SequenceDO plugs in D1, the
 * queues and its SQLite storage (d1-ports.ts); the simulator plugs in memory and a simulated
 * clock (simulate.ts). Same code path, so a simulation shows what the engine would do.
 *
 * Rule of the Durable Object: every decision is persisted (`ports.persist`) before the await
 * that acts on it, and every outside write is idempotent, because the input gate opens during
 * I/O and the object may be evicted between any two awaits.
 */
import { DAY_MS, localDay, MINUTE_MS, nextAllowed, nextLocalMidnight } from "../planning";
import { chooseVariant } from "../variants";
import {
  capZone,
  endSequence,
  isFinal,
  MAX_ERRORS,
  markExecuted,
  move,
  PARK_RECHECK_MS,
  runOf,
  SEND_CHECK_MS,
  type SequenceState,
  type StepRun,
  skip,
  stepOf,
  windowFor,
} from "./state";
import {
  type ClaimResult,
  type EngineContext,
  type EnginePorts,
  type LedgerFinal,
  type LedgerState,
  WITHDRAWN_PAUSED,
  WITHDRAWN_STOPPED,
} from "./ports";
import { maybeComplete } from "./progress";

type Gate = { kind: "ok" } | { kind: "stop"; reason: string } | { kind: "park" };

/** Whether anything may be sent for this sequence now (scenario status, consent, suppression). */
function gate(ctx: EngineContext): Gate {
  if (!ctx.settings || ctx.settings.status === "stopped") return { kind: "stop", reason: "scenario_stopped" };
  if (!ctx.contact) return { kind: "stop", reason: "contact_erased" };
  if (ctx.contact.status !== "subscribed") return { kind: "stop", reason: `contact_${ctx.contact.status}` };
  if (ctx.contact.suppressed) return { kind: "stop", reason: "suppressed" };
  if (ctx.settings.status !== "active") return { kind: "park" };
  return { kind: "ok" };
}

/** Record a final ledger outcome on its run (idempotent: a final run ignores it). */
export async function applyOutcome(
  s: SequenceState,
  run: StepRun,
  status: LedgerFinal,
  reason: string | null,
  at: number,
  ports: EnginePorts,
) {
  if (isFinal(run)) return false;
  if (status === "executed") {
    markExecuted(s, run, at);
    maybeComplete(s, ports.now());
  } else if (status === "failed") {
    run.status = "failed";
    run.reason = reason ?? "send_failed";
    if (s.status === "active") await stop(s, "failed", `send_failed: ${run.reason}`, ports);
  } else {
    skip(run, reason ?? "send_skipped");
    if (s.status === "active")
      await stop(s, "stopped", reason === WITHDRAWN_STOPPED ? reason : `send_skipped: ${run.reason}`, ports);
  }
  ports.persist(s);
  return true;
}

/** End the sequence and withdraw the ledger rows nobody has claimed yet. */
export async function stop(
  s: SequenceState,
  status: "stopped" | "failed" | "completed",
  reason: string | null,
  ports: EnginePorts,
) {
  const inFlight = endSequence(s, status, reason);
  ports.persist(s);
  for (const run of inFlight) {
    const l = await ports.settleLedger(s, run, reason ?? status);
    if (!l) skip(run, reason ?? status);
    else if (l.status !== "pending" && l.status !== "sending")
      await applyOutcome(s, run, l.status, l.reason, l.at, ports);
    // Claimed by the SEND consumer: its onSendResult will finish the run.
  }
  ports.persist(s);
}

/** Handle every run whose time has come. */
export async function processDue(s: SequenceState, ports: EnginePorts) {
  const t = ports.now();
  const due = s.runs
    .filter(
      (r) =>
        (r.status === "scheduled" || r.status === "committing" || r.status === "sending") && r.run_at <= t,
    )
    .sort((a, b) => a.run_at - b.run_at || a.step_order - b.step_order);
  let ctx: EngineContext | null = null;
  for (const run of due) {
    if (run.status !== "sending" && s.status !== "active") continue;
    try {
      if (run.status === "sending") {
        await checkSending(s, run, ports);
        continue;
      }
      if (!ctx) {
        ctx = await ports.loadContext(s);
        const g = gate(ctx);
        if (ctx.settings) s.settings = ctx.settings;
        if (ctx.contact) {
          s.contact_timezone = ctx.contact.timezone;
          s.email_hash = ctx.contact.email_hash ?? s.email_hash;
        }
        if (g.kind === "stop") {
          await stop(s, "stopped", g.reason, ports);
          break;
        }
        if (g.kind === "park") {
          s.parked_until = t + PARK_RECHECK_MS;
          ports.persist(s);
          break;
        }
        s.parked_until = null;
      }
      await attemptSend(s, run, ctx, t, ports);
    } catch (e) {
      onError(s, run, e, t);
      ports.persist(s);
    }
  }
  maybeComplete(s, ports.now());
  ports.persist(s);
}

function onError(s: SequenceState, run: StepRun, e: unknown, t: number) {
  run.errors++;
  const message = e instanceof Error ? e.message : String(e);
  console.error(`sequence ${s.scenario_id}:${s.contact_id} step ${run.step_order}: ${message}`);
  // A run already handed to the ledger may still be sent: keep checking it, never fail it here.
  if (run.errors >= MAX_ERRORS && run.status !== "sending") {
    run.status = "failed";
    run.reason = `engine_error: ${message}`.slice(0, 300);
    return;
  }
  move(run, "retry", t + Math.min(60 * MINUTE_MS, MINUTE_MS * 2 ** (run.errors - 1)));
}

async function attemptSend(
  s: SequenceState,
  run: StepRun,
  ctx: EngineContext,
  t: number,
  ports: EnginePorts,
) {
  const step = stepOf(s, run.step_order);
  if (!step) {
    skip(run, "step_missing");
    return;
  }
  const w = windowFor(s);
  const cooldownMs = (s.settings.cooldown_days ?? 0) * DAY_MS;
  const lastSent = ctx.contact?.last_sent_at ?? null;
  // A run already committing when we got here is one whose claim was interrupted (eviction, error).
  const resumed = run.status === "committing";
  if (run.status === "scheduled") {
    if (step.trigger === "not_opened" && step.parent_step_order !== null) {
      const parent = runOf(s, step.parent_step_order);
      // An open (or click) within the deadline already cancelled us; this guards the same instant.
      if (!parent || parent.branch === "opened") {
        skip(run, "parent_opened");
        ports.persist(s);
        return;
      }
      parent.branch = "not_opened";
    }
    const allowed = nextAllowed(t, w);
    if (allowed > t) {
      move(run, "window", allowed);
      ports.persist(s);
      return;
    }
    const mine = lastSent !== null && (lastSent === run.commit_at || lastSent === run.prev_commit_at);
    if (cooldownMs > 0 && lastSent !== null && !mine && lastSent + cooldownMs > t) {
      move(run, "cooldown", nextAllowed(lastSent + cooldownMs, w));
      ports.persist(s);
      return;
    }
    run.variant = (await chooseVariant(s.scenario_id, s.contact_id, step.step_order, step.variants)).name;
    run.status = "committing";
    run.commit_at = t;
    run.day = localDay(t, capZone(s));
    ports.persist(s);
  }
  if (run.status === "committing") {
    // After a crash mid-claim: the stamp on the contact being ours means the claim committed.
    const claimed = resumed && lastSent !== null && lastSent === run.commit_at;
    const res: ClaimResult = claimed
      ? { ok: true }
      : await ports.claim({
          scenario_id: s.scenario_id,
          contact_id: s.contact_id,
          commit_at: run.commit_at ?? t,
          prev_commit_at: run.prev_commit_at,
          cooldown_ms: cooldownMs,
          daily_cap: s.settings.daily_cap,
          day: run.day ?? localDay(t, capZone(s)),
          prev_last_sent_at: lastSent,
        });
    if (run.status !== "committing") return; // stopped while we waited
    if (!res.ok) {
      run.status = "scheduled";
      run.commit_at = null;
      if (res.reason === "cooldown") move(run, "cooldown", nextAllowed(Math.max(res.until, t), w));
      else move(run, "cap", nextAllowed(nextLocalMidnight(t, capZone(s)), w));
      ports.persist(s);
      return;
    }
    run.status = "sending";
    run.run_at = t + SEND_CHECK_MS;
    ports.persist(s);
  }
  if (run.status === "sending" && !run.ledger_id) await commit(s, run, ports);
}

async function commit(s: SequenceState, run: StepRun, ports: EnginePorts) {
  const step = stepOf(s, run.step_order);
  const variant = step?.variants.find((v) => v.name === run.variant) ?? step?.variants[0];
  if (!step || !variant) {
    skip(run, "step_missing");
    return;
  }
  const res = await ports.commitSend({
    state: s,
    run,
    template_id: variant.template_id,
    variant_id: variant.id,
    step_id: step.step_id,
  });
  if (run.status !== "sending" || run.ledger_id) return;
  run.ledger_id = res.ledger_id;
  ports.persist(s);
  if (res.status === "executed" || res.status === "failed" || res.status === "skipped")
    await settleFromLedger(s, run, res, ports);
}

async function settleFromLedger(s: SequenceState, run: StepRun, l: LedgerState, ports: EnginePorts) {
  if (l.status === "skipped" && l.reason === WITHDRAWN_PAUSED && s.status === "active") {
    // Withdrawn by a pause before anyone claimed it: nothing was sent, so plan it again.
    run.attempt++;
    run.prev_commit_at = run.commit_at;
    run.commit_at = null;
    run.ledger_id = null;
    run.status = "scheduled";
    move(run, "paused", ports.now());
    ports.persist(s);
    return;
  }
  if (l.status === "executed" || l.status === "failed" || l.status === "skipped") {
    await applyOutcome(s, run, l.status, l.reason, l.at, ports);
  }
}

/** A run handed to the ledger: make sure the row exists, then look whether it became final. */
export async function checkSending(s: SequenceState, run: StepRun, ports: EnginePorts) {
  if (!run.ledger_id) {
    await commit(s, run, ports);
    return;
  }
  const l = await ports.ledgerState(run.ledger_id);
  if (run.status !== "sending") return;
  if (!l) {
    skip(run, "ledger_missing");
    ports.persist(s);
    return;
  }
  if (l.status === "pending" || l.status === "sending") {
    run.run_at = ports.now() + SEND_CHECK_MS;
    ports.persist(s);
    return;
  }
  await settleFromLedger(s, run, l, ports);
}
