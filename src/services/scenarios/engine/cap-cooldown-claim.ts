/**
 * The facts a due step is decided on (scenario, contact, suppression) and the claim of its slot
 * (cross-scenario cooldown stamp, daily cap counter), on D1.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { contacts, scenarioDailyCounters } from "../../../db/schema";
import { scoped, type Tenant } from "../../../lib/tenant";
import { tenantBatch, tenantSql } from "../../../lib/tenant-sql";
import { type SettingsColumns, settingsOf } from "../store";
import type { ClaimRequest, ClaimResult, EngineContext } from "./ports";
import { emailHash, isSuppressed } from "../../suppressions/store";

/**
 * The statements are fixed text (one text per statement, values bound): they run once per send,
 * and building them with the query builder was a tenth of the isolate's time in a journey's
 * enrollment (bench/README.md, section 6). The scenario's columns come back under the row's own
 * names, for settingsOf; SQLite answers its booleans as 0 or 1.
 */
type ScenarioFacts = Omit<SettingsColumns, "stopOnReply" | "stopOnUnsubscribe"> & {
  stopOnReply: number;
  stopOnUnsubscribe: number;
};
interface ContactRow {
  id: string;
  email: string;
  status: string;
  timezone: string | null;
  last_sent_at: number | null;
}

const SCENARIO_FACTS = `SELECT id, organization_id AS organizationId, status, timezone, send_window_start AS sendWindowStart,
    send_window_end AS sendWindowEnd, send_days AS sendDays, daily_cap AS dailyCap, cooldown_days AS cooldownDays,
    stop_on_reply AS stopOnReply, stop_on_unsubscribe AS stopOnUnsubscribe
    FROM scenarios WHERE organization_id = ?1 AND id = ?2 LIMIT 1`;
const CONTACT_FACTS =
  "SELECT id, email, status, timezone, last_sent_at FROM contacts WHERE organization_id = ?1 AND id = ?2 LIMIT 1";
const SUPPRESSED = "SELECT id FROM suppressions WHERE organization_id = ?1 AND email_hash = ?2 LIMIT 1";

function contextQueries(tenant: Tenant, scenarioId: string, contactId: string, cachedHash: string | null) {
  return [
    tenantSql(tenant, SCENARIO_FACTS, scenarioId),
    tenantSql(tenant, CONTACT_FACTS, contactId),
    tenantSql(tenant, SUPPRESSED, cachedHash ?? ""),
  ];
}

const settingsOfFacts = (s: ScenarioFacts) =>
  settingsOf({ ...s, stopOnReply: s.stopOnReply === 1, stopOnUnsubscribe: s.stopOnUnsubscribe === 1 });

/** The suppression lookup rode along with the cached key; only a changed address costs a query. */
async function contextOf(
  tenant: Tenant,
  scenario: ScenarioFacts | undefined,
  contact: ContactRow | undefined,
  suppressedByCachedKey: boolean,
  cachedHash: string | null,
): Promise<EngineContext> {
  const settings = scenario ? settingsOfFacts(scenario) : null;
  if (!contact) return { settings, contact: null };
  const hash = await emailHash(contact.email);
  const suppressed = hash === cachedHash ? suppressedByCachedKey : await isSuppressed(tenant, contact.email);
  return {
    settings,
    contact: {
      id: contact.id,
      status: contact.status,
      timezone: contact.timezone,
      last_sent_at: contact.last_sent_at,
      suppressed,
      email_hash: hash,
    },
  };
}

type Rows = D1Result<Record<string, unknown>>[];
const rowsOf = <T>(res: Rows, i: number) => (res[i]?.results ?? []) as T[];

/** Scenario, contact and suppression in one D1 batch. */
export async function loadEngineContext(
  tenant: Tenant,
  scenarioId: string,
  contactId: string,
  cachedHash: string | null = null,
) {
  const res = await tenantBatch<Record<string, unknown>>(
    tenant,
    contextQueries(tenant, scenarioId, contactId, cachedHash),
  );
  const sup = rowsOf(res, 2);
  return contextOf(
    tenant,
    rowsOf<ScenarioFacts>(res, 0)[0],
    rowsOf<ContactRow>(res, 1)[0],
    sup.length > 0,
    cachedHash,
  );
}

/** Stamp the contact when its cooldown allows (?4 ms; ?6 is the run's own earlier stamp). */
const STAMP = `UPDATE contacts SET last_sent_at = ?3 WHERE organization_id = ?1 AND id = ?2
    AND (?4 <= 0 OR last_sent_at IS NULL OR last_sent_at <= ?5 OR last_sent_at = ?6) RETURNING last_sent_at`;
/** The same, gated for the fast path, which has not read the facts yet: scenario ?7, suppression key ?8. */
const GATED_STAMP = `UPDATE contacts SET last_sent_at = ?3 WHERE organization_id = ?1 AND id = ?2
    AND (?4 <= 0 OR last_sent_at IS NULL OR last_sent_at <= ?5 OR last_sent_at = ?6)
    AND status = 'subscribed'
    AND EXISTS (SELECT 1 FROM scenarios WHERE organization_id = ?1 AND id = ?7 AND status = 'active')
    AND NOT EXISTS (SELECT 1 FROM suppressions WHERE organization_id = ?1 AND email_hash = ?8)
    RETURNING last_sent_at`;
/** A cap slot only when the stamp was written (changes() counts the batch's previous write). */
const CAP = `INSERT INTO scenario_daily_counters (scenario_id, day, count)
    SELECT ?2, ?3, 1 WHERE changes() = 1 AND ?4 IS NOT NULL
      AND EXISTS (SELECT 1 FROM scenarios WHERE organization_id = ?1 AND id = ?2)
    ON CONFLICT (scenario_id, day) DO UPDATE SET count = count + 1 WHERE count < ?4
    RETURNING count`;
const LAST_SENT = "SELECT last_sent_at FROM contacts WHERE organization_id = ?1 AND id = ?2";

/**
 * The claim's statements: stamp contacts.last_sent_at only when the cooldown allows it (across
 * scenarios), then take a cap slot only when that stamp was written. `guarded` adds the gate to
 * the stamp (scenario active, contact subscribed, cached suppression key absent) for the fast
 * path, which has not read them yet.
 */
function claimQueries(tenant: Tenant, req: ClaimRequest, guarded: boolean) {
  const T = req.commit_at;
  const cooldown = [req.contact_id, T, req.cooldown_ms, T - req.cooldown_ms, req.prev_commit_at];
  return [
    guarded
      ? tenantSql(tenant, GATED_STAMP, ...cooldown, req.scenario_id, req.email_hash ?? "")
      : tenantSql(tenant, STAMP, ...cooldown),
    tenantSql(tenant, CAP, req.scenario_id, req.day, req.daily_cap),
    tenantSql(tenant, LAST_SENT, req.contact_id),
  ];
}

const lastSentOf = (rows: { last_sent_at: number | null }[]) => rows[0]?.last_sent_at ?? null;

/** Read a claim's rows; over the cap, the stamp is given back (another scenario must not wait on a send that did not happen). */
async function claimOutcome(
  tenant: Tenant,
  req: ClaimRequest,
  rows: { stamp: unknown[]; cap: unknown[]; lastSent: number | null },
  prevLastSent: number | null,
): Promise<{ claim: ClaimResult; cap_taken: boolean }> {
  if (!rows.stamp.length) {
    return {
      claim: { ok: false, reason: "cooldown", until: (rows.lastSent ?? req.commit_at) + req.cooldown_ms },
      cap_taken: false,
    };
  }
  if (req.daily_cap !== null && !rows.cap.length) {
    await releaseClaim(tenant, { ...req, prev_last_sent_at: prevLastSent }, false);
    return { claim: { ok: false, reason: "cap" }, cap_taken: false };
  }
  return { claim: { ok: true }, cap_taken: req.daily_cap !== null };
}

/** Cooldown and cap in one D1 batch (a transaction). */
export async function claimSlot(tenant: Tenant, req: ClaimRequest): Promise<ClaimResult> {
  const res = await tenantBatch<Record<string, unknown>>(tenant, claimQueries(tenant, req, false));
  const rows = { stamp: rowsOf(res, 0), cap: rowsOf(res, 1), lastSent: lastSentOf(rowsOf(res, 2)) };
  return (await claimOutcome(tenant, req, rows, req.prev_last_sent_at)).claim;
}

/** The fast path: context and guarded claim in one batch (one round trip for the common case). */
export async function loadAndClaim(tenant: Tenant, scenarioId: string, contactId: string, req: ClaimRequest) {
  const res = await tenantBatch<Record<string, unknown>>(tenant, [
    ...contextQueries(tenant, scenarioId, contactId, req.email_hash),
    ...claimQueries(tenant, req, true),
  ]);
  const contact = rowsOf<ContactRow>(res, 1)[0];
  const ctx = await contextOf(
    tenant,
    rowsOf<ScenarioFacts>(res, 0)[0],
    contact,
    rowsOf(res, 2).length > 0,
    req.email_hash,
  );
  // The contact row was read before the stamp, in the same transaction: its last send before ours.
  const before = contact?.last_sent_at ?? null;
  const rows = { stamp: rowsOf(res, 3), cap: rowsOf(res, 4), lastSent: lastSentOf(rowsOf(res, 5)) };
  const out = await claimOutcome(tenant, { ...req, prev_last_sent_at: before }, rows, before);
  return { ctx, ...out };
}

/** Give a claim back: the stamp (only if still ours) and the cap slot. */
export async function releaseClaim(tenant: Tenant, req: ClaimRequest, capTaken: boolean) {
  const { db } = tenant;
  const unstamp = db
    .update(contacts)
    .set({ lastSentAt: req.prev_last_sent_at })
    .where(scoped(tenant, contacts, eq(contacts.id, req.contact_id), eq(contacts.lastSentAt, req.commit_at)));
  if (!capTaken) {
    await unstamp;
    return;
  }
  await db.batch([
    unstamp,
    db
      .update(scenarioDailyCounters)
      .set({ count: sql`${scenarioDailyCounters.count} - 1` })
      .where(
        and(
          eq(scenarioDailyCounters.scenarioId, req.scenario_id),
          eq(scenarioDailyCounters.day, req.day),
          gt(scenarioDailyCounters.count, 0),
        ),
      ),
  ]);
}
