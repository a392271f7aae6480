/**
 * A campaign's A/B test (auto_winner with test_percent): the audience is resolved twice. The first
 * pass queues only the test group (test_percent of the audience, split across the variants by
 * their weights; who is in it depends only on the campaign and the contact); the rest waits.
 * `decide_after_hours` later, the decision job (cron/campaign-winners.ts) picks the winner, or the
 * leader when no variant reached the probability, and a second pass sends everyone else the
 * winner. Recipients of the first pass keep their variant (their ledger rows exist: the second
 * pass's inserts do nothing for them).
 */
import { parseJson } from "../../lib/json";
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import type { AutoWinner, WinnerDecision } from "../ab-winner/decide";
import { draw } from "../scenarios/variants";
import type { Verdict } from "./audience";
import type { CampaignRow } from "./store";
import { tenantSql } from "../../lib/tenant-sql";

export interface TestPhase {
  settings: AutoWinner | null;
  /** First pass: only the test group is queued. */
  testing: boolean;
  /** Second pass: everyone gets this variant (unless a recommendation picked the template). */
  winner: WinnerDecision | null;
}

export function testPhase(c: CampaignRow): TestPhase {
  const settings = parseJson<AutoWinner | null>(c.autoWinner, null);
  const winner = parseJson<WinnerDecision | null>(c.winner, null);
  const split = !!settings?.test_percent && settings.test_percent < 100;
  return { settings, testing: split && !winner && c.testResolvedAt === null, winner };
}

/** The verdicts this pass writes: in the test phase, the test group (and the skipped); after it, the winner for the rest. */
export async function splitForTest(
  c: CampaignRow,
  phase: TestPhase,
  verdicts: Verdict[],
): Promise<Verdict[]> {
  if (phase.testing && phase.settings?.test_percent) {
    const share = phase.settings.test_percent / 100;
    const out: Verdict[] = [];
    for (const v of verdicts)
      if (v.reason || (await draw(`${c.id}:${v.contact.id}:test`)) < share) out.push(v);
    return out;
  }
  if (phase.winner) {
    const variants =
      parseJson<{ name: string; template_id: string; weight: number }[] | null>(c.variants, null) ?? [];
    const win = variants.find((x) => x.name === phase.winner?.variant);
    if (win)
      for (const v of verdicts)
        if (!v.reason && v.variant && variants.some((x) => x.name === v.variant?.name)) v.variant = win;
  }
  return verdicts;
}

/** The test group is queued: the cursor goes back to the start for the second pass, and the clock starts. */
export async function endTestPhase(tenant: Tenant, c: CampaignRow) {
  const at = now();
  const hours = parseJson<AutoWinner | null>(c.autoWinner, null)?.decide_after_hours ?? 24;
  await tenantSql(
    tenant,
    `UPDATE campaigns SET test_resolved_at = ?3, decide_at = ?4, cursor = NULL, updated_at = ?3
       WHERE organization_id = ?1 AND id = ?2 AND test_resolved_at IS NULL`,
    c.id,
    at,
    at + hours * 3_600_000,
  ).run();
}
