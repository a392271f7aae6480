import { DurableObject } from "cloudflare:workers";
import { now } from "../src/lib/clock";
import { countFor, meteredEnv } from "../src/lib/metering";
import type { ScheduledAction } from "../src/services/rules/types";

/** The queue's longest delay: an item is handed to the queue once it is this close to due. */
const HANDOFF_MS = 12 * 60 * 60 * 1000;

interface DueRow extends Record<string, SqlStorageValue> {
  key: string;
  due_at: number;
  body: string;
}

/**
 * One object per organization (`idFromName(organizationId)`) holding the rule actions due more than
 * 12 hours ahead, beyond what a queue delay can express. It keeps them in its SQLite storage and one
 * alarm at the earliest hand-off time; the alarm puts each item on the ACTIONS queue with the rest
 * of its delay (at most 12 hours). A redelivered schedule() of the same action replaces its row.
 */
export class RuleTimerDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS due (key TEXT PRIMARY KEY, due_at INTEGER NOT NULL, body TEXT NOT NULL)",
      );
    });
  }

  /** Keep an action until it is 12 hours from due. Idempotent per (run, action). */
  async schedule(message: ScheduledAction): Promise<void> {
    const key = `${message.run_id}:${message.action_index}`;
    this.ctx.storage.sql.exec(
      "INSERT INTO due (key, due_at, body) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET due_at = excluded.due_at, body = excluded.body",
      key,
      message.due_at,
      JSON.stringify(message),
    );
    await this.arm();
  }

  /** How many actions wait here (tests, diagnostics). */
  async pending(): Promise<number> {
    const row = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM due").one();
    return row.n;
  }

  /** Hand every item within 12 hours of due to the queue, then re-arm for the next one. */
  override async alarm(): Promise<void> {
    countFor(this.env, "doAlarms");
    countFor(this.env, "doRequests");
    const at = now();
    const rows = this.ctx.storage.sql
      .exec<DueRow>(
        "SELECT key, due_at, body FROM due WHERE due_at <= ? ORDER BY due_at LIMIT 100",
        at + HANDOFF_MS,
      )
      .toArray();
    if (rows.length) {
      await this.enqueue(
        rows.map((r) => ({
          body: JSON.parse(r.body) as ScheduledAction,
          delaySeconds: Math.max(0, Math.ceil((r.due_at - at) / 1000)),
        })),
      );
      // Deleted only once the queue accepted them: a failed send leaves them for the retried alarm.
      for (const r of rows) this.ctx.storage.sql.exec("DELETE FROM due WHERE key = ?", r.key);
    }
    await this.arm();
  }

  /** The queue hand-off; a seam tests replace to see what would be enqueued. */
  protected async enqueue(items: { body: ScheduledAction; delaySeconds: number }[]): Promise<void> {
    await this.env.ACTIONS_QUEUE.sendBatch(items);
  }

  private async arm(): Promise<void> {
    const next = this.ctx.storage.sql
      .exec<{ due_at: number | null }>("SELECT min(due_at) AS due_at FROM due")
      .one().due_at;
    if (next === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Never in the past: an item already inside the window is handed off at the next alarm, soon.
    await this.ctx.storage.setAlarm(Math.max(next - HANDOFF_MS, Date.now() + 1000));
  }
}
