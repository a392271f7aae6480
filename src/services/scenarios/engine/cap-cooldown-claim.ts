/**
 * The facts a due step is decided on (scenario, contact, suppression) and the claim of its slot
 * (cross-scenario cooldown stamp, daily cap counter), on D1.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { contacts, scenarioDailyCounters, scenarios, suppressions } from "../../../db/schema";
import { scoped, type Tenant } from "../../../lib/tenant";
import { settingsOf } from "../store";
import type { ClaimRequest, ClaimResult, EngineContext } from "./ports";
import { emailHash, isSuppressed } from "../../suppressions/store";

type ScenarioRow = typeof scenarios.$inferSelect;
interface ContactRow {
  id: string;
  email: string;
  status: string;
  timezone: string | null;
  lastSentAt: number | null;
}

function contextQueries(tenant: Tenant, scenarioId: string, contactId: string, cachedHash: string | null) {
  const { db } = tenant;
  return [
    db
      .select()
      .from(scenarios)
      .where(scoped(tenant, scenarios, eq(scenarios.id, scenarioId)))
      .limit(1),
    db
      .select({
        id: contacts.id,
        email: contacts.email,
        status: contacts.status,
        timezone: contacts.timezone,
        lastSentAt: contacts.lastSentAt,
      })
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contactId)))
      .limit(1),
    db
      .select({ id: suppressions.id })
      .from(suppressions)
      .where(scoped(tenant, suppressions, eq(suppressions.emailHash, cachedHash ?? "")))
      .limit(1),
  ] as const;
}

/** The suppression lookup rode along with the cached key; only a changed address costs a query. */
async function contextOf(
  tenant: Tenant,
  scenario: ScenarioRow | undefined,
  contact: ContactRow | undefined,
  suppressedByCachedKey: boolean,
  cachedHash: string | null,
): Promise<EngineContext> {
  const settings = scenario ? settingsOf(scenario) : null;
  if (!contact) return { settings, contact: null };
  const hash = await emailHash(contact.email);
  const suppressed = hash === cachedHash ? suppressedByCachedKey : await isSuppressed(tenant, contact.email);
  return {
    settings,
    contact: {
      id: contact.id,
      status: contact.status,
      timezone: contact.timezone,
      last_sent_at: contact.lastSentAt,
      suppressed,
      email_hash: hash,
    },
  };
}

/** Scenario, contact and suppression in one D1 batch. */
export async function loadEngineContext(
  tenant: Tenant,
  scenarioId: string,
  contactId: string,
  cachedHash: string | null = null,
) {
  const [s, c, sup] = await tenant.db.batch(contextQueries(tenant, scenarioId, contactId, cachedHash));
  return contextOf(tenant, s[0], c[0], sup.length > 0, cachedHash);
}

/**
 * The claim's statements: stamp contacts.last_sent_at only when the cooldown allows it (across
 * scenarios), then take a cap slot only when that stamp was written: changes() is the row count
 * of the batch's previous write. `guarded` adds the gate to the stamp (scenario active, contact
 * subscribed, cached suppression key absent) for the fast path, which has not read them yet.
 */
function claimQueries(tenant: Tenant, req: ClaimRequest, guarded: boolean) {
  const { db } = tenant;
  const org = tenant.orgId;
  const T = req.commit_at;
  const guard = guarded
    ? sql`${contacts.status} = 'subscribed'
        AND EXISTS (SELECT 1 FROM scenarios WHERE organization_id = ${org} AND id = ${req.scenario_id} AND status = 'active')
        AND NOT EXISTS (SELECT 1 FROM suppressions WHERE organization_id = ${org} AND email_hash = ${req.email_hash ?? ""})`
    : undefined;
  const cooldownOk = sql`(${req.cooldown_ms} <= 0 OR ${contacts.lastSentAt} IS NULL OR ${contacts.lastSentAt} <= ${T - req.cooldown_ms}
    OR ${contacts.lastSentAt} = ${req.prev_commit_at})`;
  // Query builders, not db.run(sql): drizzle's batch does not bind a raw statement's parameters.
  const stamp = db
    .update(contacts)
    .set({ lastSentAt: T })
    .where(scoped(tenant, contacts, eq(contacts.id, req.contact_id), guard, cooldownOk))
    .returning({ lastSentAt: contacts.lastSentAt });
  const cap = db
    .insert(scenarioDailyCounters)
    .select(
      sql`SELECT ${req.scenario_id}, ${req.day}, 1 WHERE changes() = 1 AND ${req.daily_cap} IS NOT NULL`,
    )
    .onConflictDoUpdate({
      target: [scenarioDailyCounters.scenarioId, scenarioDailyCounters.day],
      set: { count: sql`${scenarioDailyCounters.count} + 1` },
      setWhere: sql`${scenarioDailyCounters.count} < ${req.daily_cap}`,
    })
    .returning({ count: scenarioDailyCounters.count });
  const current = db
    .select({ lastSentAt: contacts.lastSentAt })
    .from(contacts)
    .where(scoped(tenant, contacts, eq(contacts.id, req.contact_id)));
  return [stamp, cap, current] as const;
}

const lastSentOf = (rows: { lastSentAt: number | null }[]) => rows[0]?.lastSentAt ?? null;

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
  const [stamp, cap, current] = await tenant.db.batch(claimQueries(tenant, req, false));
  const rows = { stamp, cap, lastSent: lastSentOf(current) };
  return (await claimOutcome(tenant, req, rows, req.prev_last_sent_at)).claim;
}

/** The fast path: context and guarded claim in one batch (one round trip for the common case). */
export async function loadAndClaim(tenant: Tenant, scenarioId: string, contactId: string, req: ClaimRequest) {
  const [s, c, sup, stamp, cap, current] = await tenant.db.batch([
    ...contextQueries(tenant, scenarioId, contactId, req.email_hash),
    ...claimQueries(tenant, req, true),
  ]);
  const ctx = await contextOf(tenant, s[0], c[0], sup.length > 0, req.email_hash);
  // The contact row was read before the stamp, in the same transaction: its last send before ours.
  const before = c[0]?.lastSentAt ?? null;
  const rows = { stamp, cap, lastSent: lastSentOf(current) };
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
