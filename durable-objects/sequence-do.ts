import { DurableObject } from "cloudflare:workers";
import { tenantFor } from "../src/db/route";
import { now } from "../src/lib/clock";
import { countFor, measured, meteredEnv } from "../src/lib/metering";
import { seamed } from "../src/lib/seams";
import { archiveRunRow, d1Ports } from "../src/services/scenarios/engine/d1-ports";
import { type MirrorWrite, mirrorWrite } from "../src/services/scenarios/engine/mirror";
import {
  advance,
  archiveRun,
  mayStartRun,
  newFlowSequence,
  nextRun,
  reflowTo,
} from "../src/services/scenarios/engine/graph";
import {
  type EnrollPrefetch,
  enrolledState,
  loadEnrollPrefetch,
} from "../src/services/scenarios/engine/prefetch";
import { applySequenceEvent } from "../src/services/scenarios/engine/events";
import type { EnginePorts } from "../src/services/scenarios/engine/ports";
import { applyOutcome, processDue, stop } from "../src/services/scenarios/engine/runner";
import { rowShows, rowView, syncKey } from "../src/services/scenarios/engine/progress";
import { runOf, type SequenceState, type SequenceStatus } from "../src/services/scenarios/engine/state";
import type { EnrollInput, SendOutcome, SequenceEvent, StartRunInput } from "../src/contracts/sequence";
import { SequenceStorage } from "./sequence/storage";
import { finishTransition } from "./sequence/finish";

/**
 * One object per (scenario, contact): `idFromName(sequenceName(scenarioId, contactId))`. It owns
 * the contact's journey through the scenario: enrollment, the step timers (one alarm, set to the
 * earliest), the send results and the events. Transitions run one at a time, and each decision
 * is written to the object's SQLite storage before any await on D1 or a queue, whose writes are
 * idempotent (ledger key, conditional updates), so a retry or eviction at any await is safe.
 */
export class SequenceDO extends DurableObject<Env> {
  private readonly store: SequenceStorage;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, seamed(meteredEnv(env)));
    this.store = new SequenceStorage(
      ctx.storage.kv,
      (read, written) => {
        countFor(env, "doRowsRead", read);
        countFor(env, "doRowsWritten", written);
      },
      ctx.storage.sql,
    );
  }

  /** Liveness probe used by tests and the health of the binding. */
  async ping(): Promise<string> {
    return "pong";
  }

  /**
   * Enroll the contact (idempotent: a second call answers `created: false`). The ENROLL consumer
   * passes `prefetch` (steps, settings, zone, instant) read once per page; without it the object
   * reads them from D1.
   */
  async enroll(
    input: EnrollInput,
    prefetch?: EnrollPrefetch,
  ): Promise<{ created: boolean; status: SequenceStatus }> {
    return this.serial("do:enroll", async () => {
      const existing = this.store.load();
      if (existing) return { created: false, status: existing.status };
      const pre =
        prefetch ??
        (await loadEnrollPrefetch(
          await this.tenant(input.organization_id),
          input.scenario_id,
          input.contact_id,
          input.steps_version,
          now(),
        ));
      // Re-check after the await: a concurrent enroll may have won while the input gate was open.
      const raced = this.store.load();
      if (raced) return { created: false, status: raced.status };
      const s = enrolledState(input, pre);
      // The consumer wrote the row with the same plan: no mirror write needed for enrollment.
      if (prefetch) s.synced = syncKey(s);
      // A journey walks at once to its first wait or email, and an email due now is sent in this
      // same transition (runner.ts processDue walks, then sends what is due), without an alarm in
      // between; finish saves the state once.
      if (s.flow) await processDue(s, await this.ports(s.organization_id));
      // A journey that starts at an email: the consumer wrote the row as the walk leaves it (its
      // token at the email, the send in flight), so this transition mirrors nothing.
      if (prefetch?.row && rowShows(prefetch.row, s, now())) s.synced = syncKey(s);
      // Without a prefetch nobody wrote the row (POST /enroll of a steps journey): this writes it.
      await this.finish(s, !prefetch);
      return { created: true, status: s.status };
    });
  }

  /**
   * The SEND consumer's report once a ledger row is final (idempotent per ledger row). With
   * `hand_back_row` the contact_sequences row is not written here but answered as `row`, for the
   * consumer to write with the rest of its batch; a report heard before answers the row as it
   * stands, in case the first answer was lost (the write's revision guard makes it harmless).
   */
  async onSendResult(
    outcome: SendOutcome,
    opts: { hand_back_row?: boolean } = {},
  ): Promise<{ applied: boolean; row?: MirrorWrite }> {
    return this.serial("do:send-result", async () => {
      const s = this.store.load();
      const run = s ? runOf(s, outcome.step_order) : undefined;
      if (!s || !run) return { applied: false };
      // A result for another attempt's row (withdrawn by a pause) is not this run's.
      if (run.ledger_id && run.ledger_id !== outcome.ledger_id) return { applied: false };
      if (!run.ledger_id && run.status === "sending") run.ledger_id = outcome.ledger_id;
      const ports = await this.ports(s.organization_id);
      const applied = await applyOutcome(s, run, outcome.status, outcome.reason ?? null, outcome.at, ports);
      // A journey's token at that email moves on (a wait, a wait_for, the next node ...), and an
      // email it reaches is sent now.
      if (applied && s.flow) await processDue(s, ports);
      const handBack = opts.hand_back_row === true;
      const row = await this.finish(s, false, handBack);
      if (row || !handBack || applied || s.row_missing) return { applied, row };
      return { applied, row: mirrorWrite(s, rowView(s)) };
    });
  }

  /** An event about the contact (EVENTS consumer), applied once per event id. */
  async onEvent(event: SequenceEvent): Promise<{ result: string }> {
    return this.serial("do:event", async () => {
      const s = this.store.load();
      if (!s) return { result: "not_enrolled" };
      if (this.store.seen(event.event_id)) return { result: "duplicate" };
      const ports = await this.ports(s.organization_id);
      const result = await applySequenceEvent(s, event, ports);
      this.store.markSeen(event.event_id);
      if (s.flow) await processDue(s, ports);
      await this.finish(s);
      return { result };
    });
  }

  /** Resume: due steps that waited during the pause are looked at now (the alarm fires at once). */
  async wake(): Promise<void> {
    await this.serial("do:wake", async () => {
      const s = this.store.load();
      if (!s) return;
      const t = now();
      s.parked_until = null;
      for (const r of s.runs) if (r.status === "sending" && r.run_at > t) r.run_at = t;
      await this.finish(s);
    });
  }

  /** End the sequence (scenario stopped): steps not yet sent are skipped with the reason. */
  async stop(reason: string): Promise<void> {
    await this.serial("do:stop", async () => {
      const s = this.store.load();
      if (s?.status !== "active") return;
      await stop(s, "stopped", reason, await this.ports(s.organization_id));
      await this.finish(s);
    });
  }

  /**
   * Start a run of a flow journey for this contact (an event entry, a date, POST /enroll, an
   * enroll_in_scenario action), by the journey's re-entry policy: a contact has one active run at
   * most, `once` runs once ever, `after_days` waits since the last run ended, and a dedup value
   * (an order id) starts one run at most. Answers whether it started, else why not.
   */
  async startRun(input: StartRunInput): Promise<{ started: boolean; reason?: string; run_no?: number }> {
    return this.serial("do:start-run", async () => {
      const tenant = await this.tenant(input.organization_id);
      const existing = this.store.load();
      const version = input.steps_version;
      const at = now();
      if (!existing) {
        const pre = await loadEnrollPrefetch(tenant, input.scenario_id, input.contact_id, version, at);
        if (!pre.flow) return { started: false, reason: "not_a_journey" };
        if (this.store.load()) return { started: false, reason: "active_run" };
        const s = newFlowSequence(
          input,
          pre.flow,
          pre.steps,
          pre.settings,
          pre.contact_timezone,
          at,
          null,
          input.cause,
          input.dedup ?? null,
          input.at_time ?? null,
        );
        await processDue(s, await this.ports(s.organization_id));
        await this.finish(s, true);
        return { started: true, run_no: 1 };
      }
      if (!existing.flow)
        return { started: false, reason: existing.status === "active" ? "active_run" : "already_ran" };
      const pre = await loadEnrollPrefetch(tenant, input.scenario_id, input.contact_id, version, at);
      const s = this.store.load() ?? existing;
      if (!pre.flow) return { started: false, reason: "not_a_journey" };
      const may = mayStartRun(s, pre.flow.reentry, input.dedup ?? null, at);
      if (!may.ok) return { started: false, reason: may.reason };
      // The ended run goes to journey_runs first (keyed by its number: a retry writes nothing new).
      const ended = archiveRun(s);
      if (ended) await archiveRunRow(tenant, s, ended);
      nextRun(s, { ...pre, flow: pre.flow }, version, at, input, ended);
      await processDue(s, await this.ports(s.organization_id));
      await this.finish(s, true);
      return { started: true, run_no: s.journey?.no };
    });
  }

  /**
   * A journey saved again (PUT /flow) while this run was on it: the run goes on in the new version
   * at the node ids that are still there; a branch at a removed node ends, and a run left with
   * nothing ends `exited` with reason node_removed.
   */
  async reflow(version: number): Promise<{ result: string }> {
    return this.serial("do:reflow", async () => {
      const s = this.store.load();
      if (!s?.flow || s.status !== "active" || s.steps_version >= version) return { result: "unchanged" };
      const tenant = await this.tenant(s.organization_id);
      const pre = await loadEnrollPrefetch(tenant, s.scenario_id, s.contact_id, version, now());
      if (!pre.flow) return { result: "unchanged" };
      const removed = reflowTo(s, pre.flow, pre.steps, version);
      const ports = await this.ports(s.organization_id);
      if (removed && !s.tokens?.length && !s.runs.some((r) => r.status === "sending"))
        await stop(s, "exited", "node_removed", ports);
      else await advance(s, ports);
      await this.finish(s);
      return { result: removed ? "moved, some branches removed" : "moved" };
    });
  }

  /** Write the contact_sequences row again: a caller it was handed back to could not write it. */
  async resync(): Promise<void> {
    await this.serial("do:resync", async () => {
      const s = this.store.load();
      if (!s) return;
      s.synced = null;
      await this.finish(s);
    });
  }

  /** The journey state, for tests and support. */
  async inspect(): Promise<SequenceState | null> {
    return this.store.load();
  }

  override async alarm(): Promise<void> {
    countFor(this.env, "doAlarms");
    countFor(this.env, "doRequests");
    await this.serial("do:alarm", async () => {
      const s = this.store.load();
      if (!s) return;
      await processDue(s, await this.ports(s.organization_id));
      await this.finish(s);
    });
  }

  /**
   * One transition at a time: the input gate opens during D1 and queue I/O. The bench counts what
   * each kind of transition costs beyond its nodes under `label` (lib/metering).
   */
  private serial<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const run = () => measured(this.env, label, fn);
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private tenant(orgId: string) {
    return tenantFor(this.env, orgId);
  }

  private async ports(orgId: string): Promise<EnginePorts> {
    return d1Ports(await this.tenant(orgId), this.env, (s) => this.store.save(s));
  }

  /** End of a transition (sequence/finish.ts): save, arm the alarm, mirror the row or hand it back. */
  private finish(s: SequenceState, createRow = false, handBack = false): Promise<MirrorWrite | undefined> {
    const deps = {
      storage: this.ctx.storage,
      store: this.store,
      tenant: () => this.tenant(s.organization_id),
    };
    return finishTransition(deps, s, createRow, handBack);
  }
}
