/**
 * What a campaign did, read from its messages (the messages_campaign index holds only campaign
 * messages), its recipients and its link clicks: no counter is written per event for it.
 */
import { iso } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { type AutoWinner, bestProbabilities } from "../ab-winner/decide";
import type { Tenant } from "../../lib/tenant";
import { EXCLUSION_REASONS } from "./audience";
import type { CampaignRow } from "./store";
import { asTenantSql, tenantBatch, tenantSql } from "../../lib/tenant-sql";

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : 0);

interface Counts {
  sent: number;
  delivered: number;
  opened: number;
  machine_opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  failed: number;
}

const COUNTS = `
  sum(CASE WHEN m.sent_at IS NOT NULL THEN 1 ELSE 0 END) AS sent,
  sum(CASE WHEN m.delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered,
  sum(CASE WHEN m.open_count > 0 THEN 1 ELSE 0 END) AS opened,
  sum(CASE WHEN m.machine_open_count > 0 THEN 1 ELSE 0 END) AS machine_opened,
  sum(CASE WHEN m.click_count > 0 THEN 1 ELSE 0 END) AS clicked,
  sum(CASE WHEN m.replied_at IS NOT NULL THEN 1 ELSE 0 END) AS replied,
  sum(CASE WHEN m.status = 'bounced' THEN 1 ELSE 0 END) AS bounced,
  sum(CASE WHEN m.status = 'complained' THEN 1 ELSE 0 END) AS complained,
  sum(CASE WHEN m.unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END) AS unsubscribed,
  sum(CASE WHEN m.status = 'failed' THEN 1 ELSE 0 END) AS failed`;

const withRates = (c: Counts) => {
  const base = c.delivered || c.sent;
  return {
    ...c,
    open_rate: rate(c.opened, base),
    click_rate: rate(c.clicked, base),
    reply_rate: rate(c.replied, base),
  };
};

const zero = (c: Partial<Counts> | null | undefined): Counts => ({
  sent: c?.sent ?? 0,
  delivered: c?.delivered ?? 0,
  opened: c?.opened ?? 0,
  machine_opened: c?.machine_opened ?? 0,
  clicked: c?.clicked ?? 0,
  replied: c?.replied ?? 0,
  bounced: c?.bounced ?? 0,
  complained: c?.complained ?? 0,
  unsubscribed: c?.unsubscribed ?? 0,
  failed: c?.failed ?? 0,
});

export async function campaignStats(tenant: Tenant, c: CampaignRow) {
  const [total, variants, links, reasons, lost, revenue, domains, bounces, held] = await tenantBatch<
    Record<string, unknown>
  >(tenant, [
    tenantSql(
      tenant,
      `SELECT ${COUNTS} FROM messages m WHERE m.campaign_id = ?2 AND m.organization_id = ?1`,
      c.id,
    ),
    tenantSql(
      tenant,
      `SELECT m.variant_name AS variant, ${COUNTS} FROM messages m
         WHERE m.campaign_id = ?2 AND m.organization_id = ?1 GROUP BY m.variant_name ORDER BY m.variant_name`,
      c.id,
    ),
    tenantSql(
      tenant,
      `SELECT url, sum(clicks) AS clicks, count(*) AS unique_clicks FROM campaign_link_clicks
         WHERE campaign_id = ?2 AND organization_id = ?1 GROUP BY url_hash ORDER BY clicks DESC LIMIT 100`,
      c.id,
    ),
    tenantSql(
      tenant,
      `SELECT reason, count(*) AS n FROM campaign_recipients
         WHERE campaign_id = ?2 AND organization_id = ?1 AND status = 'skipped' GROUP BY reason`,
      c.id,
    ),
    // Sends that failed before any message was built (dead-lettered, unbuildable).
    tenantSql(
      tenant,
      `SELECT count(*) AS n FROM campaign_recipients r JOIN operation_ledger l ON l.id = r.ledger_id
         WHERE r.campaign_id = ?2 AND r.organization_id = ?1 AND l.status = 'failed' AND l.message_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = 'msg_' || substr(l.id, 4))`,
      c.id,
    ),
    // Orders attributed to the campaign's messages (orders_attributed index, by message id).
    tenantSql(
      tenant,
      `SELECT count(*) AS orders, coalesce(sum(o.amount), 0) AS revenue
         FROM messages m JOIN orders o ON o.organization_id = m.organization_id AND o.attributed_message_id = m.id
         WHERE m.campaign_id = ?2 AND m.organization_id = ?1`,
      c.id,
    ),
    // By recipient domain (is one mailbox provider bouncing us?): the top 20 by sends.
    tenantSql(
      tenant,
      `SELECT lower(substr(m.to_email, instr(m.to_email, '@') + 1)) AS domain, ${COUNTS}
         FROM messages m WHERE m.campaign_id = ?2 AND m.organization_id = ?1 AND m.to_email IS NOT NULL
         GROUP BY 1 ORDER BY sent DESC, domain LIMIT 20`,
      c.id,
    ),
    tenantSql(
      tenant,
      `SELECT coalesce(m.failure_reason, 'unknown') AS reason, count(*) AS count
         FROM messages m WHERE m.campaign_id = ?2 AND m.organization_id = ?1 AND m.status = 'bounced'
         GROUP BY 1 ORDER BY count DESC, reason LIMIT 20`,
      c.id,
    ),
    // Sends past their domain's warm-up allowance for today: pending until the next UTC day.
    tenantSql(
      tenant,
      `SELECT count(*) AS n FROM campaign_recipients r JOIN operation_ledger l ON l.id = r.ledger_id
         WHERE r.campaign_id = ?2 AND r.organization_id = ?1 AND l.status = 'pending' AND l.reason = 'warmup'`,
      c.id,
    ),
  ]);
  const counts = zero(total?.results[0] as Partial<Counts>);
  counts.failed += Number((lost?.results[0] as { n?: number } | undefined)?.n ?? 0);
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<string, number>;
  for (const r of (reasons?.results ?? []) as { reason: string; n: number }[]) excluded[r.reason] = r.n;
  const variantRows = (variants?.results ?? []) as (Partial<Counts> & { variant: string | null })[];
  const metric = parseJson<AutoWinner | null>(c.autoWinner, null)?.metric ?? "click_rate";
  const best =
    variantRows.length > 1
      ? bestProbabilities(
          variantRows.map((v) => ({
            name: v.variant ?? "default",
            sent: Number(v.sent ?? 0),
            opened: Number(v.opened ?? 0),
            clicked: Number(v.clicked ?? 0),
            replied: Number(v.replied ?? 0),
          })),
          metric,
        )
      : null;
  const money = (revenue?.results[0] ?? {}) as { orders?: number; revenue?: number };
  const orders = Number(money.orders ?? 0);
  return {
    recipients: c.queuedCount,
    ...withRates(counts),
    orders,
    revenue: Math.round(Number(money.revenue ?? 0) * 100) / 100,
    conversion_rate: rate(orders, counts.delivered || counts.sent),
    by_domain: ((domains?.results ?? []) as (Partial<Counts> & { domain: string })[]).map((d) => ({
      domain: d.domain,
      sent: Number(d.sent ?? 0),
      delivered: Number(d.delivered ?? 0),
      opened: Number(d.opened ?? 0),
      clicked: Number(d.clicked ?? 0),
      bounced: Number(d.bounced ?? 0),
    })),
    bounce_reasons: ((bounces?.results ?? []) as { reason: string; count: number }[]).map((b) => ({
      reason: b.reason,
      count: Number(b.count),
    })),
    excluded,
    waiting_warmup: Number((held?.results[0] as { n?: number } | undefined)?.n ?? 0),
    by_variant: Object.fromEntries(
      variantRows.map((v) => [
        v.variant ?? "default",
        {
          ...withRates(zero(v)),
          ...(best ? { probability_best: best.get(v.variant ?? "default") ?? 0 } : {}),
        },
      ]),
    ),
    links: ((links?.results ?? []) as { url: string; clicks: number; unique_clicks: number }[]).map((l) => ({
      url: l.url,
      clicks: l.clicks,
      unique_clicks: l.unique_clicks,
    })),
  };
}

export const BUCKETS = { hour: 3_600_000, day: 86_400_000 } as const;

/** Counts per hour (or day): sent, delivered, first opens, first clicks, unsubscribes. */
export async function campaignTimeline(tenant: Tenant, c: CampaignRow, bucket: keyof typeof BUCKETS) {
  const size = BUCKETS[bucket];
  const metrics = [
    ["sent", "sent_at"],
    ["delivered", "delivered_at"],
    ["opened", "first_opened_at"],
    ["clicked", "first_clicked_at"],
    ["unsubscribed", "unsubscribed_at"],
  ] as const;
  const sql = metrics
    .map(
      ([name, col]) =>
        `SELECT '${name}' AS metric, m.${col} - (m.${col} % CAST(?3 AS INTEGER)) AS bucket, count(*) AS n FROM messages m
         WHERE m.campaign_id = ?2 AND m.organization_id = ?1 AND m.${col} IS NOT NULL GROUP BY bucket`,
    )
    .join(" UNION ALL ");
  const res = await tenantSql(tenant, asTenantSql(`${sql} ORDER BY bucket`), c.id, size).all<{
    metric: string;
    bucket: number;
    n: number;
  }>();
  const rows = new Map<number, Record<string, number>>();
  for (const r of res.results) {
    const row = rows.get(r.bucket) ?? Object.fromEntries(metrics.map(([m]) => [m, 0]));
    row[r.metric] = r.n;
    rows.set(r.bucket, row);
  }
  return {
    bucket,
    items: [...rows.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([at, counts]) => ({ at: iso(at) as string, ...counts })),
  };
}

export interface RecipientRow {
  contact_id: string;
  email: string | null;
  status: string;
  reason: string | null;
  variant_name: string | null;
  send_status: string | null;
  message_id: string | null;
  message_status: string | null;
}

/** A page of recipients in contact id order, with where their send stands. */
export async function recipientsPage(
  tenant: Tenant,
  campaignId: string,
  after: string | null,
  limit: number,
) {
  const res = await tenantSql(
    tenant,
    `SELECT r.contact_id, c.email, r.status, coalesce(l.reason, r.reason) AS reason, r.variant_name,
         l.status AS send_status, l.message_id, m.status AS message_status
       FROM campaign_recipients r
       LEFT JOIN operation_ledger l ON l.id = r.ledger_id
       LEFT JOIN messages m ON m.id = l.message_id
       LEFT JOIN contacts c ON c.id = r.contact_id
       WHERE r.campaign_id = ?2 AND r.organization_id = ?1 AND r.contact_id > ?3
       ORDER BY r.contact_id LIMIT ?4`,
    campaignId,
    after ?? "",
    limit,
  ).all<RecipientRow>();
  return res.results;
}
