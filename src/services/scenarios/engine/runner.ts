/**
 * The engine's effectful transitions, written against ports: the SequenceDO plugs in D1, the
 * queues and its SQLite storage (d1-ports.ts); the simulator plugs in memory and a simulated
 * clock (simulate.ts). Same code path, so a simulation shows what the engine would do.
 *
 * Rule of the Durable Object: every decision is persisted (`ports.persist`) before the await
 * that acts on it, and every outside write is idempotent, because the input gate opens during
 * I/O and the object may be evicted between any two awaits.
 */
import { DAY_MS, localDay, MINUTE_MS, nextAllowed } from "../planning";
import type { StepDef } from "../types";
import { chooseVariant } from "../variants";
import { afterClaim, checkSending } from "./commit";
import { stop } from "./outcome";
import type { ClaimRequest, ClaimResult, EngineContext, EnginePorts } from "./ports";
import { advance } from "./graph";
import { gate, learn } from "./gate";
import { maybeComplete } from "./progress";
import {
  capZone,
  MAX_ERRORS,
  move,
  PARK_RECHECK_MS,
  runOf,
  type SequenceState,
  type StepRun,
  skip,
  stepOf,
  windowFor,
} from "./state";

export { applyOutcome, stop } from "./outcome";
export { checkSending } from "./commit";

/** Handle every run whose time has come. */
export async function processDue(s: SequenceState, ports: EnginePorts) {
  // A flow run first walks its tokens whose time has come (waits ended, deadlines passed): they
  // may reach email nodes due now, which the loop below sends like steps.
  if (s.flow) await advance(s, ports);
  const t = ports.now();
  const due = s.runs
    .filter(
      (r) =>
        (r.status === "scheduled" || r.status === "committing" || r.status === "sending") && r.run_at <= t,
    )
    .sort((a, b) => a.run_at - b.run_at || a.step_order - b.step_order);
  let ctx: EngineContext | null = null;
  /** One due run: checked, claimed and sent (or moved); "stop" when the sequence must look no further. */
  const one = async (run: StepRun): Promise<"next" | "stop"> => {
    try {
      if (run.status === "sending") {
        await checkSending(s, run, ports);
        return "next";
      }
      if (!ctx) {
        const fast = await tryFastClaim(s, run, t, ports);
        if (fast === "done") {
          ctx = null; // the next due run (rare) reads a fresh context
          return "next";
        }
        ctx = fast ?? (await ports.loadContext(s));
        learn(s, ctx);
        const g = gate(ctx);
        if (g.kind === "stop") {
          await stop(s, "stopped", g.reason, ports);
          return "stop";
        }
        if (g.kind === "park") {
          s.parked_until = t + PARK_RECHECK_MS;
          ports.persist(s);
          return "stop";
        }
        s.parked_until = null;
      }
      await attemptSend(s, run, ctx, t, ports);
    } catch (e) {
      onError(s, run, e, t);
      ports.persist(s);
      // Out of retries: the step failed, and so does the sequence (visible, not silently dropped).
      if (run.status === "failed" && s.status === "active") {
        await stop(s, "failed", run.reason, ports).catch(() => undefined);
      }
    }
    return "next";
  };
  for (const run of due) {
    if (run.status !== "sending" && s.status !== "active") continue;
    // A journey's email node, or a steps scenario's step: the bench compares what each costs.
    const label = s.flow ? "node:email" : "step";
    const next = await (ports.measure ? ports.measure(label, () => one(run)) : one(run));
    if (next === "stop") break;
  }
  if (s.flow) await advance(s, ports);
  else maybeComplete(s, ports.now());
  // The caller saves the transition (SequenceDO.finish).
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

/**
 * The common case in one D1 round trip instead of two: when the facts the sequence already holds
 * say the run may go now, read the context and take the claim in the same batch (whose SQL
 * re-checks status, consent and suppression), then confirm with the fresh facts; a claim that
 * does not hold up is given back and the ordinary path decides. Answers "done" when the run was
 * handled, the fresh context when the ordinary path must continue, or null when not tried.
 */
async function tryFastClaim(s: SequenceState, run: StepRun, t: number, ports: EnginePorts) {
  if (!ports.loadAndClaim || run.status !== "scheduled" || s.parked_until !== null) return null;
  const step = stepOf(s, run.step_order);
  if (!step || nextAllowed(t, windowFor(s)) !== t) return null;
  const parent =
    step.trigger === "not_opened" && step.parent_step_order !== null
      ? runOf(s, step.parent_step_order)
      : null;
  if (step.trigger === "not_opened" && (!parent || parent.branch === "opened")) return null;
  const req = await commitRun(s, run, step, t, ports);
  ports.persist(s);
  const res = await ports.loadAndClaim(s, req);
  learn(s, res.ctx);
  const same =
    gate(res.ctx).kind === "ok" &&
    res.ctx.contact?.email_hash === req.email_hash &&
    nextAllowed(t, windowFor(s)) === t &&
    cooldownMs(s) === req.cooldown_ms &&
    s.settings.daily_cap === req.daily_cap &&
    localDay(t, capZone(s)) === req.day;
  if (!same) {
    if (res.claim.ok) await ports.releaseClaim?.(req, res.cap_taken);
    run.status = "scheduled";
    run.commit_at = null;
    ports.persist(s);
    return res.ctx;
  }
  if (parent) parent.branch = "not_opened";
  s.parked_until = null;
  await afterClaim(s, run, res.claim, t, ports);
  return "done" as const;
}

const cooldownMs = (s: SequenceState) => (s.settings.cooldown_days ?? 0) * DAY_MS;

/** Decide the variant and the claim instant (the caller persists them before the claim's I/O). */
async function commitRun(s: SequenceState, run: StepRun, step: StepDef, t: number, ports: EnginePorts) {
  const variants = step.variants;
  // A decided A/B winner (services/ab-winner) goes to every contact whose variant is chosen after it.
  const winner = variants.length > 1 && ports.winnerOf ? await ports.winnerOf(step.step_id) : null;
  run.variant =
    winner && variants.some((v) => v.name === winner)
      ? winner
      : (await chooseVariant(s.scenario_id, s.contact_id, run.step_order, variants)).name;
  run.status = "committing";
  run.commit_at = t;
  run.day = localDay(t, capZone(s));
  return claimRequest(s, run, t, null);
}

function claimRequest(s: SequenceState, run: StepRun, t: number, lastSent: number | null): ClaimRequest {
  return {
    scenario_id: s.scenario_id,
    contact_id: s.contact_id,
    commit_at: run.commit_at ?? t,
    prev_commit_at: run.prev_commit_at,
    cooldown_ms: cooldownMs(s),
    daily_cap: s.settings.daily_cap,
    day: run.day ?? localDay(t, capZone(s)),
    prev_last_sent_at: lastSent,
    email_hash: s.email_hash,
  };
}

/** The ordinary path, with the context read: window, cooldown, variant, claim, ledger. */
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
    if (cooldownMs(s) > 0 && lastSent !== null && !mine && lastSent + cooldownMs(s) > t) {
      move(run, "cooldown", nextAllowed(lastSent + cooldownMs(s), w));
      ports.persist(s);
      return;
    }
    await commitRun(s, run, step, t, ports);
    ports.persist(s);
  }
  if (run.status === "committing") {
    // After a crash mid-claim: the stamp on the contact being ours means the claim committed.
    const claimed = resumed && lastSent !== null && lastSent === run.commit_at;
    const res: ClaimResult = claimed ? { ok: true } : await ports.claim(claimRequest(s, run, t, lastSent));
    await afterClaim(s, run, res, t, ports);
  }
}
