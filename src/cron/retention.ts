import { tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { MIME_PREFIX } from "../services/sending/archive";
import { crossTenantSql, tenantSql } from "../lib/tenant-sql";

/** Days kept by default: raw MIME in R2, applied raw events in D1 (then in R2 only). */
export const DEFAULT_MIME_RETENTION_DAYS = 365;
export const DEFAULT_EVENTS_RETENTION_DAYS = 30;
export const EVENTS_PREFIX = "events/";
const DAY_MS = 86_400_000;
/** Events archived per statement, and at most this many per organization per run. */
const EVENT_PAGE = 500;
const MAX_EVENT_PAGES_PER_ORG = 20;

const days = (v: string | undefined, fallback: number) => {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : fallback;
};
const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);
const idFloor = (at: number) => `ev_${Math.floor(at).toString(16).padStart(12, "0")}`;

/**
 * What grows with every email leaves D1 (10 GB per database) on a schedule:
 * - raw MIME (R2, `mime/<day>/...`): whole days past MIME_RETENTION_DAYS are deleted;
 * - applied raw events past EVENTS_RETENTION_DAYS: written to R2 as NDJSON
 *   (`events/<day>/<organization>/<first id>.ndjson`), then deleted from D1, a page at a time.
 *   Events not applied yet (or whose processing failed) stay in D1 whatever their age.
 * Idempotent: a page archived twice (a crash between the put and the delete) is the same object.
 */
export async function runRetention(env: Env, at = now()) {
  const bucket = env.ARCHIVE;
  if (!bucket) return { mimeDaysDeleted: 0, eventsArchived: 0 };
  const mimeDays = days(env.MIME_RETENTION_DAYS, DEFAULT_MIME_RETENTION_DAYS);
  const eventDays = days(env.EVENTS_RETENTION_DAYS, DEFAULT_EVENTS_RETENTION_DAYS);
  const mimeDaysDeleted = await deleteOldDays(bucket, MIME_PREFIX, utcDay(at - mimeDays * DAY_MS));
  const eventsArchived = await archiveEvents(env, bucket, at - eventDays * DAY_MS);
  return { mimeDaysDeleted, eventsArchived };
}

/** Delete every object under `<prefix><day>/` for the days before `before` (YYYY-MM-DD). */
async function deleteOldDays(bucket: R2Bucket, prefix: string, before: string): Promise<number> {
  const listed = await bucket.list({ prefix, delimiter: "/" });
  let deleted = 0;
  for (const dayPrefix of listed.delimitedPrefixes) {
    const day = dayPrefix.slice(prefix.length, -1);
    if (day >= before) continue;
    let cursor: string | undefined;
    do {
      const page = await bucket.list({ prefix: dayPrefix, cursor });
      if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    deleted++;
  }
  return deleted;
}

interface ArchivedEvent {
  id: string;
  source: string;
  type: string;
  contact_id: string | null;
  message_id: string | null;
  occurred_at: number;
  raw: string;
  normalized: string | null;
  processed_at: number | null;
  created_at: number;
}

/** Applied events created before `before`, organization by organization (on the primary key). */
async function archiveEvents(env: Env, bucket: R2Bucket, before: number): Promise<number> {
  const orgs = await crossTenantSql(env.DB, "SELECT id FROM organizations ORDER BY id").all<{ id: string }>();
  let total = 0;
  for (const { id: org } of orgs.results) {
    const tenant = await tenantFor(env, org);
    for (let page = 0; page < MAX_EVENT_PAGES_PER_ORG; page++) {
      const rows = await tenantSql(
        tenant,
        `SELECT id, source, type, contact_id, message_id, occurred_at, raw, normalized, processed_at, created_at
         FROM events WHERE organization_id = ?1 AND id < ?2 AND processed_at IS NOT NULL ORDER BY id LIMIT ?3`,
        idFloor(before),
        EVENT_PAGE,
      ).all<ArchivedEvent>();
      const events = rows.results;
      const first = events[0];
      if (!first) break;
      const key = `${EVENTS_PREFIX}${utcDay(first.created_at)}/${org}/${first.id}.ndjson`;
      await bucket.put(key, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`, {
        httpMetadata: { contentType: "application/x-ndjson" },
      });
      await tenantSql(
        tenant,
        "DELETE FROM events WHERE organization_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
        JSON.stringify(events.map((e) => e.id)),
      ).run();
      total += events.length;
      if (events.length < EVENT_PAGE) break;
    }
  }
  return total;
}

/** Daily Cron Trigger. */
export async function retentionJob(_controller: ScheduledController, env: Env): Promise<void> {
  const out = await runRetention(env);
  if (out.mimeDaysDeleted || out.eventsArchived)
    console.log(
      `retention: ${out.mimeDaysDeleted} day(s) of raw MIME deleted, ${out.eventsArchived} event(s) archived`,
    );
}
