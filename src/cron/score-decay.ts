import { tenantFor } from "../db/route";
import { asc, gt } from "drizzle-orm";
import { createDb } from "../db/client";
import { contacts, organizations } from "../db/schema";
import { now } from "../lib/clock";
import { randomToken } from "../lib/ids";
import { scoped, type Tenant } from "../lib/tenant";
import { getScoring } from "../services/events/apply/scoring";
import { getSettings, putSettings } from "../services/organizations/store";
import { tenantBatch, tenantSql } from "../lib/tenant-sql";

const ORG_PAGE = 100;
const CONTACT_PAGE = 500;
/** Org settings key recording the last ISO week decayed: a second run that week skips the organization. */
const DECAY_KEY = "scoring_decay";

/** ISO-8601 week of an instant, in UTC: "2022-W30". */
export function isoWeek(ms: number): string {
  const d = new Date(ms);
  // The ISO week belongs to the year of its Thursday.
  const thursday = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7)),
  );
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * Decay one page of an organization's positive scores, in one D1 batch (a transaction). The history
 * row's id is derived from (week, contact), so INSERT OR IGNORE writes it once per week whatever the
 * number of runs; only contacts whose row this run inserted (tagged with the run id) are lowered.
 * A run that died halfway and starts again therefore never decays anyone twice.
 */
async function decayPage(
  tenant: Tenant,
  week: string,
  decay: number,
  runId: string,
  after: string,
  last: string,
) {
  const idPrefix = `shd_${week}_`;
  // Raw D1: drizzle cannot batch raw SQL with parameters. Both statements run in one transaction.
  await tenantBatch(tenant, [
    tenantSql(
      tenant,
      `insert or ignore into score_history (id, organization_id, contact_id, delta, score_after, cause, event_id, created_at)
       select ?2 || c.id, c.organization_id, c.id, -min(c.score, ?3), max(0, c.score - ?3), 'decay', ?4, ?5
       from contacts c where c.organization_id = ?1 and c.score > 0 and c.id > ?6 and c.id <= ?7`,
      idPrefix,
      decay,
      runId,
      now(),
      after,
      last,
    ),
    tenantSql(
      tenant,
      `update contacts set score = (select h.score_after from score_history h where h.id = ?2 || contacts.id)
       where organization_id = ?1 and id > ?3 and id <= ?4
       and id in (select h.contact_id from score_history h where h.organization_id = ?1 and h.event_id = ?5)`,
      idPrefix,
      after,
      last,
      runId,
    ),
  ]);
}

/** Decay every positive score of one organization by its weekly decay, once per ISO week. */
export async function decayOrganization(
  tenant: Tenant,
  week: string,
  pageSize = CONTACT_PAGE,
): Promise<{ skipped: boolean; pages: number }> {
  const done = await getSettings<{ last_week: string | null }>(tenant, DECAY_KEY, { last_week: null });
  if (done.last_week === week) return { skipped: true, pages: 0 };
  const decay = Math.abs((await getScoring(tenant)).weekly_decay);
  let pages = 0;
  if (decay > 0) {
    const runId = `decay_${randomToken(12)}`;
    let after = "";
    for (;;) {
      const ids = await tenant.db
        .select({ id: contacts.id })
        .from(contacts)
        .where(scoped(tenant, contacts, gt(contacts.score, 0), gt(contacts.id, after)))
        .orderBy(asc(contacts.id))
        .limit(pageSize)
        .all();
      const last = ids[ids.length - 1]?.id;
      if (!last) break;
      await decayPage(tenant, week, decay, runId, after, last);
      pages++;
      after = last;
      if (ids.length < pageSize) break;
    }
  }
  await putSettings(tenant, DECAY_KEY, { last_week: week });
  return { skipped: false, pages };
}

/** Weekly Cron Trigger: lower every positive lead score by its organization's decay, never below 0. */
export async function runScoreDecay(_controller: ScheduledController, env: Env): Promise<void> {
  await decayAll(env);
}

/** All organizations, a page at a time; one failing organization does not stop the others. */
export async function decayAll(env: Env, at = now()): Promise<void> {
  const db = createDb(env.DB);
  const week = isoWeek(at);
  let after = "";
  for (;;) {
    const orgs = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(gt(organizations.id, after))
      .orderBy(asc(organizations.id))
      .limit(ORG_PAGE)
      .all();
    for (const org of orgs) {
      try {
        await decayOrganization(await tenantFor(env, org.id), week);
      } catch (e) {
        console.error("score decay failed for organization", org.id, e);
      }
    }
    const last = orgs[orgs.length - 1];
    if (!last || orgs.length < ORG_PAGE) break;
    after = last.id;
  }
}
