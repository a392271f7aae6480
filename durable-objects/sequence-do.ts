import { DurableObject } from "cloudflare:workers";
import { tenantFor } from "../src/db/route";
import { now } from "../src/lib/clock";
import { countFor, meteredEnv } from "../src/lib/metering";
import { seamed } from "../src/lib/seams";
import { d1Ports, syncSequenceRow } from "../src/services/scenarios/engine/d1-ports";
import { type EnrollPrefetch, loadEnrollPrefetch } from "../src/services/scenarios/engine/prefetch";
import { applySequenceEvent } from "../src/services/scenarios/engine/events";
import type { EnginePorts } from "../src/services/scenarios/engine/ports";
import { applyOutcome, processDue, stop } from "../src/services/scenarios/engine/runner";
import { nextWake, rowView } from "../src/services/scenarios/engine/progress";
import {
  newSequence,
  runOf,
  type SequenceState,
  type SequenceStatus,
} from "../src/services/scenarios/engine/state";
import type { EnrollInput, SendOutcome, SequenceEvent } from "../src/contracts/sequence";
import { SequenceStorage } from "./sequence/storage";

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
    return this.serial(async () => {
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
      const s = newSequence(
        input,
        pre.steps,
        pre.settings,
        pre.contact_timezone,
        pre.enrolled_at,
        pre.email_hash ?? null,
      );
      // The consumer wrote the row with the same plan: no mirror write needed for enrollment.
      if (prefetch) s.synced = JSON.stringify(rowView(s));
      this.store.save(s);
      await this.finish(s);
      return { created: true, status: s.status };
    });
  }

  /** The SEND consumer's report once a ledger row is final (idempotent per ledger row). */
  async onSendResult(outcome: SendOutcome): Promise<{ applied: boolean }> {
    return this.serial(async () => {
      const s = this.store.load();
      const run = s ? runOf(s, outcome.step_order) : undefined;
      if (!s || !run) return { applied: false };
      // A result for another attempt's row (withdrawn by a pause) is not this run's.
      if (run.ledger_id && run.ledger_id !== outcome.ledger_id) return { applied: false };
      if (!run.ledger_id && run.status === "sending") run.ledger_id = outcome.ledger_id;
      const ports = await this.ports(s.organization_id);
      const applied = await applyOutcome(s, run, outcome.status, outcome.reason ?? null, outcome.at, ports);
      await this.finish(s);
      return { applied };
    });
  }

  /** An event about the contact (EVENTS consumer), applied once per event id. */
  async onEvent(event: SequenceEvent): Promise<{ result: string }> {
    return this.serial(async () => {
      const s = this.store.load();
      if (!s) return { result: "not_enrolled" };
      if (this.store.seen(event.event_id)) return { result: "duplicate" };
      const result = await applySequenceEvent(s, event, await this.ports(s.organization_id));
      this.store.markSeen(event.event_id);
      this.store.save(s);
      await this.finish(s);
      return { result };
    });
  }

  /** Resume: due steps that waited during the pause are looked at now (the alarm fires at once). */
  async wake(): Promise<void> {
    await this.serial(async () => {
      const s = this.store.load();
      if (!s) return;
      const t = now();
      s.parked_until = null;
      for (const r of s.runs) if (r.status === "sending" && r.run_at > t) r.run_at = t;
      this.store.save(s);
      await this.finish(s);
    });
  }

  /** End the sequence (scenario stopped): steps not yet sent are skipped with the reason. */
  async stop(reason: string): Promise<void> {
    await this.serial(async () => {
      const s = this.store.load();
      if (s?.status !== "active") return;
      await stop(s, "stopped", reason, await this.ports(s.organization_id));
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
    await this.serial(async () => {
      const s = this.store.load();
      if (!s) return;
      await processDue(s, await this.ports(s.organization_id));
      await this.finish(s);
    });
  }

  /** One transition at a time: the input gate opens during D1 and queue I/O. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private tenant(orgId: string) {
    return tenantFor(this.env, orgId);
  }

  private async ports(orgId: string): Promise<EnginePorts> {
    return d1Ports(await this.tenant(orgId), this.env.SEND_QUEUE, (s) => this.store.save(s));
  }

  /** Arm the single alarm at the earliest timer, then mirror the row into D1 if it changed. */
  private async finish(s: SequenceState) {
    const wake = nextWake(s, now());
    if (wake === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(wake);
    const view = rowView(s);
    const key = JSON.stringify(view);
    if (key === s.synced) return;
    s.synced = key;
    this.store.save(s);
    try {
      await syncSequenceRow(await this.tenant(s.organization_id), s, view);
    } catch (e) {
      // Best effort: the next transition writes it again.
      console.error(`contact_sequences sync failed for ${s.sequence_id}`, e instanceof Error ? e.message : e);
      s.synced = null;
      this.store.save(s);
    }
  }
}
