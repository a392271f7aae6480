/**
 * A journey's numbers (GET /flow `stats`, the canvas's counts): per node how many runs entered,
 * wait there now and left it, by outcome (yes/no, a split's paths); per email node its sends,
 * opens and clicks over every version (an email node keeps its number), and the orders and revenue
 * attributed to its messages; the journey's runs, conversions, orders and revenue. Read from each run's compact path (contact_sequences for the current runs,
 * journey_runs for earlier ones) and the steps' counters.
 */
import type { Flow } from "../../../contracts/flow";
import type { FlowStats, NodeStats } from "../../../contracts/flow-graph";

export type { FlowStats, NodeStats };
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";

const ENDED_STATUSES = ["completed", "converted", "exited", "failed", "stopped"];
const RUN_ENDS = new Set(["converted", "exited", "failed", "completed"]);

export async function flowStats(tenant: Tenant, scenarioId: string, flow: Flow): Promise<FlowStats> {
  const [left, waiting, statuses, emails, money] = await Promise.all([
    tenantSql(
      tenant,
      `SELECT node, outcome, sum(n) AS n FROM (
         SELECT p.value ->> '$[0]' AS node, p.value ->> '$[1]' AS outcome, count(*) AS n
           FROM contact_sequences s, json_each(s.path, '$.p') p
           WHERE s.organization_id = ?1 AND s.scenario_id = ?2 AND s.path IS NOT NULL GROUP BY 1, 2
         UNION ALL
         SELECT p.value ->> '$[0]', p.value ->> '$[1]', count(*)
           FROM journey_runs r, json_each(r.path, '$.p') p
           WHERE r.organization_id = ?1 AND r.scenario_id = ?2 AND r.path IS NOT NULL GROUP BY 1, 2
       ) GROUP BY node, outcome`,
      scenarioId,
    ).all<{ node: string; outcome: string; n: number }>(),
    tenantSql(
      tenant,
      `SELECT w.value AS node, count(*) AS n FROM contact_sequences s, json_each(s.path, '$.w') w
       WHERE s.organization_id = ?1 AND s.scenario_id = ?2 AND s.status = 'active' AND s.path IS NOT NULL GROUP BY 1`,
      scenarioId,
    ).all<{ node: string; n: number }>(),
    tenantSql(
      tenant,
      `SELECT status, sum(n) AS n FROM (
         SELECT status, count(*) AS n FROM contact_sequences WHERE organization_id = ?1 AND scenario_id = ?2 GROUP BY 1
         UNION ALL
         SELECT status, count(*) FROM journey_runs WHERE organization_id = ?1 AND scenario_id = ?2 GROUP BY 1
       ) GROUP BY status`,
      scenarioId,
    ).all<{ status: string; n: number }>(),
    tenantSql(
      tenant,
      `SELECT s.step_order AS step_order, sum(v.sent) AS sent, sum(v.opened) AS opened, sum(v.clicked) AS clicked
       FROM scenario_steps s JOIN step_variants v ON v.step_id = s.id AND v.organization_id = s.organization_id
       WHERE s.organization_id = ?1 AND s.scenario_id = ?2 GROUP BY s.step_order`,
      scenarioId,
    ).all<{ step_order: number; sent: number; opened: number; clicked: number }>(),
    // Orders attributed to the journey's emails (the org's attributed orders, each message by its id).
    tenantSql(
      tenant,
      `SELECT m.step_order AS step_order, count(*) AS orders, sum(o.amount) AS revenue
       FROM orders o JOIN messages m ON m.id = o.attributed_message_id
       WHERE o.organization_id = ?1 AND o.attributed_message_id IS NOT NULL AND m.scenario_id = ?2
       GROUP BY m.step_order`,
      scenarioId,
    ).all<{ step_order: number; orders: number; revenue: number }>(),
  ]);
  const nodes: Record<string, NodeStats> = {};
  for (const n of flow.nodes) {
    const s: NodeStats = { entered: 0, waiting: 0, completed: 0 };
    if (n.type === "wait_for" || n.type === "condition") Object.assign(s, { yes: 0, no: 0 });
    if (n.type === "split") s.by_path = Object.fromEntries(n.paths.map((p) => [p.name, 0]));
    if (n.type === "email") Object.assign(s, { sent: 0, opened: 0, clicked: 0, orders: 0, revenue: 0 });
    nodes[n.id] = s;
  }
  for (const r of left.results) {
    const s = nodes[r.node];
    if (!s) continue;
    const n = Number(r.n);
    s.entered += n;
    // A run that ended there (converted, exited, failed) entered the node and did not leave it.
    if (!RUN_ENDS.has(r.outcome)) s.completed += n;
    if ((r.outcome === "yes" || r.outcome === "no") && s.yes !== undefined)
      s[r.outcome] = (s[r.outcome] ?? 0) + n;
    if (s.by_path && r.outcome in s.by_path) s.by_path[r.outcome] = (s.by_path[r.outcome] ?? 0) + n;
  }
  for (const r of waiting.results) {
    const s = nodes[r.node];
    if (!s) continue;
    s.waiting += Number(r.n);
    s.entered += Number(r.n);
  }
  const byOrder = new Map(emails.results.map((e) => [Number(e.step_order), e]));
  for (const [id, order] of Object.entries(flow.orders)) {
    const s = nodes[id];
    const e = byOrder.get(order);
    if (!s || !e) continue;
    s.sent = Number(e.sent);
    s.opened = Number(e.opened);
    s.clicked = Number(e.clicked);
  }
  const earned = new Map(money.results.map((r) => [Number(r.step_order), r]));
  let revenue = 0;
  let orders = 0;
  for (const [id, order] of Object.entries(flow.orders)) {
    const s = nodes[id];
    const r = earned.get(order);
    if (!s || !r) continue;
    s.orders = Number(r.orders);
    s.revenue = Math.round(Number(r.revenue) * 100) / 100;
  }
  for (const r of money.results) {
    orders += Number(r.orders);
    revenue += Number(r.revenue);
  }
  const count = (st: string) => Number(statuses.results.find((r) => r.status === st)?.n ?? 0);
  const runs = count("active") + ENDED_STATUSES.reduce((a, st) => a + count(st), 0);
  const converted = count("converted");
  return {
    runs,
    active: count("active"),
    converted,
    conversion_rate: runs ? Math.round((converted / runs) * 10_000) / 10_000 : 0,
    orders,
    revenue: Math.round(revenue * 100) / 100,
    nodes,
  };
}
