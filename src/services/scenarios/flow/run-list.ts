/**
 * A journey's runs (GET /scenarios/:id/runs, /runs/:run_id): the current run of each contact is
 * its contact_sequences row, earlier runs (re-entry) are journey_runs rows. A run's id is
 * `<contact id>.<run number>`. A steps sequence reads as one run; its "stopped" reads as exited.
 */
import { sequenceName } from "../../../contracts/sequence";
import { iso } from "../../../lib/clock";
import { notFound } from "../../../lib/errors";
import { parseJson } from "../../../lib/json";
import { decodeCursor, page } from "../../../lib/pagination";
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";
import type { SequenceState } from "../engine/state";
import { getScenario } from "../store";
import { loadFlow } from "./store";

export const RUN_STATUSES = ["active", "completed", "converted", "exited", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

interface RunRow {
  contact_id: string;
  run_no: number;
  status: string;
  node_id: string | null;
  reason: string | null;
  started_at: number;
  ended_at: number | null;
}

const runStatus = (s: string): RunStatus => (s === "stopped" ? "exited" : (s as RunStatus));

function runView(r: RunRow) {
  return {
    id: `${r.contact_id}.${r.run_no}`,
    contact_id: r.contact_id,
    run_no: r.run_no,
    status: runStatus(r.status),
    node_id: r.node_id,
    started_at: iso(r.started_at) as string,
    ended_at: r.status === "active" ? null : iso(r.ended_at),
    reason: r.reason,
  };
}

/** Current and earlier runs, by contact then run number (keyset pagination). */
const RUNS_SQL = `SELECT * FROM (
    SELECT contact_id, run_no, status, node_id, stop_reason AS reason, coalesce(run_started_at, created_at) AS started_at,
           CASE WHEN status = 'active' THEN NULL ELSE updated_at END AS ended_at
      FROM contact_sequences WHERE organization_id = ?1 AND scenario_id = ?2
    UNION ALL
    SELECT contact_id, run_no, status, node_id, reason, started_at, ended_at
      FROM journey_runs WHERE organization_id = ?1 AND scenario_id = ?2
  )
  WHERE (?3 IS NULL OR contact_id = ?3) AND (?4 IS NULL OR status IN (SELECT value FROM json_each(?4)))
    AND (contact_id > ?5 OR (contact_id = ?5 AND run_no > ?6))
  ORDER BY contact_id, run_no LIMIT ?7` as const;

export async function listRuns(
  tenant: Tenant,
  scenarioId: string,
  q: { limit: number; cursor?: string; contact_id?: string; status?: RunStatus },
) {
  await getScenario(tenant, scenarioId);
  const after = decodeCursor(q.cursor);
  const statuses = q.status === "exited" ? ["exited", "stopped"] : q.status ? [q.status] : null;
  const res = await tenantSql(
    tenant,
    RUNS_SQL,
    scenarioId,
    q.contact_id ?? null,
    statuses ? JSON.stringify(statuses) : null,
    after ? String(after[0]) : "",
    after ? Number(after[1]) : 0,
    q.limit + 1,
  ).all<RunRow>();
  const { items, next_cursor } = page(res.results, q.limit, (r) => [r.contact_id, r.run_no]);
  return { items: items.map(runView), next_cursor };
}

/**
 * One run with its history: each node it left, with the outcome and when. The current run and the
 * last 20 runs are read from the contact's SequenceDO (exact times); older ones from journey_runs.
 */
export async function getRun(env: Env, tenant: Tenant, scenarioId: string, runId: string) {
  const scenario = await getScenario(tenant, scenarioId);
  const m = /^(.+)\.(\d{1,6})$/.exec(runId);
  if (!m) throw notFound("run");
  const contactId = m[1] as string;
  const no = Number(m[2]);
  const row = await tenantSql(
    tenant,
    `SELECT * FROM (
       SELECT contact_id, run_no, status, node_id, stop_reason AS reason, coalesce(run_started_at, created_at) AS started_at,
              CASE WHEN status = 'active' THEN NULL ELSE updated_at END AS ended_at, path
         FROM contact_sequences WHERE organization_id = ?1 AND scenario_id = ?2 AND contact_id = ?3
       UNION ALL
       SELECT contact_id, run_no, status, node_id, reason, started_at, ended_at, path
         FROM journey_runs WHERE organization_id = ?1 AND scenario_id = ?2 AND contact_id = ?3
     ) WHERE run_no = ?4`,
    scenarioId,
    contactId,
    no,
  ).first<RunRow & { path: string | null }>();
  if (!row) throw notFound("run");
  const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(scenarioId, contactId)));
  const state = (await stub.inspect()) as unknown as SequenceState | null;
  const flow = state?.flow ?? (await loadFlow(tenant, scenario, scenario.stepsVersion)).flow;
  const typeOf = new Map(flow.nodes.map((n) => [n.id, n.type]));
  const entry = (node: string, outcome: string, at: number | null) => ({
    node_id: node,
    type: typeOf.get(node) ?? null,
    at: iso(at),
    outcome,
  });
  let history: ReturnType<typeof entry>[];
  const ended = state?.ended?.find((r) => r.no === no);
  if (state?.journey && state.journey.no === no)
    history = state.journey.path.map(([n, o, at]) => entry(n, o, at));
  else if (ended) history = ended.path.map(([n, o, at]) => entry(n, o, at));
  else if (state && !state.flow && no === 1)
    // A steps sequence: its sends, in order.
    history = state.runs
      .filter((r) => r.status !== "scheduled")
      .sort((a, b) => (a.sent_at ?? a.due_at) - (b.sent_at ?? b.due_at))
      .map((r) =>
        entry(`s${r.step_order}`, r.status === "executed" ? "sent" : r.status, r.sent_at ?? r.due_at),
      );
  else
    history = (parseJson<{ p?: [string, string, number?][] }>(row.path, {}).p ?? []).map(([n, o, at]) =>
      entry(n, o, at ?? null),
    );
  const waiting =
    state?.journey?.no === no && state.status === "active"
      ? (state.tokens ?? []).map((t) => ({ node_id: t.node, until: iso(t.hold ?? t.wake_at) }))
      : [];
  return { ...runView(row), history, waiting };
}
