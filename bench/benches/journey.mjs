// 6. Journeys: what a journey costs per email and per node. The journey email -> wait_for(clicked,
// 1 min) -> email beside the same thing written as steps (entry -> clicked), each on its own
// JOURNEY_N contacts and its own metrics window; then a journey of the other node types (condition,
// split, action, wait, exit). Rows per node type come from the metering labels (lib/metering:
// what runs inside a node is counted under node:<type>), visits from the runs' paths.
import { config } from "../harness/config.mjs";
import { api, summary, waitFor } from "../harness/lib.mjs";
import {
  importContacts,
  metrics,
  newOrg,
  prefixSegment,
  query,
  resetMetrics,
  scenario,
  sentMessages,
  settle,
  simulateEvents,
  startScenario,
  stepCount,
  template,
} from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { JOURNEY_N: N } = config;
const WITHIN = { minutes: 1 };

/** A scenario (log provider) whose journey is this flow. */
async function journey(p, org, flow) {
  const s = await api(p.main.base, "/api/v1/scenarios", {
    token: org.key,
    body: { name: "bench journey", from_email: "news@sender.example", provider: "log" },
    expect: 201,
  });
  await api(p.main.base, `/api/v1/scenarios/${s.id}/flow`, { token: org.key, method: "PUT", body: flow });
  return s.id;
}

/** Rows and requests of a metrics window, per email. */
const perEmail = (u, emails) => ({
  emails,
  d1RowsWritten: u.d1RowsWritten / emails,
  d1RowsRead: u.d1RowsRead / emails,
  doRowsWritten: u.doRowsWritten / emails,
  doRequests: (u.doRequests + u.doAlarms) / emails,
  queueOps: (u.queueWrites + u.queueReads + u.queueDeletes) / emails,
});

/** Node visits by type, from the paths of the runs (every node a run left, and where it ended). */
function visits(p, scenarioId) {
  const rows = query(
    p,
    `SELECT p.value ->> '$[0]' AS node, count(*) AS n FROM contact_sequences s, json_each(s.path, '$.p') p
     WHERE s.scenario_id = ? GROUP BY 1`,
    scenarioId,
  );
  return Object.fromEntries(rows.map((r) => [r.node, Number(r.n)]));
}

/** One side of the comparison: start, send the first email, the clicks, the second, then settle. */
async function side(p, org, id, until) {
  await settle(p, { timeoutMs: 30_000 });
  await resetMetrics(p);
  await startScenario(p, org, id);
  await waitFor(`first email to ${N}`, () => stepCount(p, id, 1) >= N, {
    timeoutMs: 120_000 + N * 150,
    intervalMs: 1000,
  });
  const ev = await simulateEvents(p, org, await sentMessages(p, org, id, 1));
  await waitFor(`second email to ${ev.clicked} clickers`, () => stepCount(p, id, 2) >= ev.clicked, {
    timeoutMs: 180_000 + ev.clicked * 100,
    intervalMs: 1000,
  });
  if (until) await until();
  await settle(p, { timeoutMs: 180_000 });
  const usage = await metrics(p);
  const emails = stepCount(p, id, 1) + stepCount(p, id, 2);
  return { usage, emails, clicks: ev.clicked };
}

async function run(p, n) {
  // Steps: entry -> clicked.
  const orgS = await newOrg(p, "journey-steps");
  const [s1, s2] = [await template(p, orgS, "Welcome"), await template(p, orgS, "Thanks for clicking")];
  await importContacts(p, orgS, N, `js${n}-`);
  const steps = await scenario(p, orgS, "log", [
    { step_order: 1, name: "Welcome", trigger: "entry", template_id: s1 },
    { step_order: 2, name: "Clicked", trigger: "clicked", parent_step_order: 1, template_id: s2 },
  ]);
  await api(p.main.base, `/api/v1/scenarios/${steps}`, {
    token: orgS.key,
    method: "PATCH",
    body: { segment_id: await prefixSegment(p, orgS, `js${n}-`) },
  });
  const stepsSide = await side(p, orgS, steps);
  p.say(`  journey run ${n}: steps side done (${stepsSide.emails} emails)`);

  // The journey: email -> wait_for(clicked) -> email.
  const orgJ = await newOrg(p, "journey-flow");
  const [j1, j2] = [await template(p, orgJ, "Welcome"), await template(p, orgJ, "Thanks for clicking")];
  await importContacts(p, orgJ, N, `jf${n}-`);
  const flowId = await journey(p, orgJ, {
    entry: { type: "segment", segment_id: await prefixSegment(p, orgJ, `jf${n}-`) },
    start: "welcome",
    nodes: [
      { id: "welcome", type: "email", template_id: j1, next: "clicked" },
      { id: "clicked", type: "wait_for", event: "clicked", within: WITHIN, yes: "thanks", no: "end" },
      { id: "thanks", type: "email", template_id: j2 },
      { id: "end", type: "exit" },
    ],
  });
  const ended = () =>
    waitFor(
      "every run to end (the wait_for's deadline)",
      () =>
        query(
          p,
          "SELECT count(*) AS n FROM contact_sequences WHERE scenario_id = ? AND status = 'active'",
          flowId,
        )[0].n === 0,
      { timeoutMs: 240_000 + N * 50, intervalMs: 1000 },
    );
  const flowSide = await side(p, orgJ, flowId, ended);
  const flowVisits = visits(p, flowId);
  p.say(`  journey run ${n}: journey side done (${flowSide.emails} emails)`);

  // The other node types.
  const orgX = await newOrg(p, "journey-nodes");
  await importContacts(p, orgX, N, `jx${n}-`);
  const extras = await journey(p, orgX, {
    entry: { type: "manual" },
    start: "vip",
    nodes: [
      {
        id: "vip",
        type: "condition",
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "vip" }] },
        yes: "done",
        no: "ab",
      },
      {
        id: "ab",
        type: "split",
        paths: [
          { name: "A", percent: 50, next: "tag" },
          { name: "B", percent: 50, next: "pause" },
        ],
      },
      { id: "tag", type: "action", action: { type: "add_tag", config: { tag: "bench" } }, next: "pause" },
      { id: "pause", type: "wait", minutes: 1, next: "done" },
      { id: "done", type: "exit" },
    ],
  });
  await api(p.main.base, `/api/v1/scenarios/${extras}/start`, { token: orgX.key, method: "POST" });
  const ids = query(p, "SELECT id FROM contacts WHERE organization_id = ? ORDER BY id", orgX.id).map(
    (r) => r.id,
  );
  await settle(p, { timeoutMs: 30_000 });
  await resetMetrics(p);
  for (let i = 0; i < ids.length; i += 1000)
    await api(p.main.base, `/api/v1/scenarios/${extras}/enroll`, {
      token: orgX.key,
      body: { contact_ids: ids.slice(i, i + 1000) },
      expect: 202,
      timeoutMs: 600_000,
    });
  await waitFor(
    "every run of the node journey to end",
    () =>
      query(
        p,
        "SELECT count(*) AS n FROM contact_sequences WHERE scenario_id = ? AND status = 'active'",
        extras,
      )[0].n === 0,
    { timeoutMs: 240_000 + N * 50, intervalMs: 1000 },
  );
  await settle(p, { timeoutMs: 120_000 });
  const nodesUsage = await metrics(p);
  const nodeVisits = visits(p, extras);
  p.say(`  journey run ${n}: node journey done (${ids.length} runs)`);

  const byType = {};
  const add = (labels, visitsById, types) => {
    for (const [id, type] of Object.entries(types)) {
      const v = visitsById[id] ?? 0;
      byType[type] ??= { visits: 0 };
      byType[type].visits += v;
    }
    for (const [label, u] of Object.entries(labels ?? {}))
      if (label.startsWith("node:")) {
        const type = label.slice(5);
        byType[type] ??= { visits: 0 };
        for (const k of ["d1RowsWritten", "d1RowsRead", "doRowsWritten", "d1Queries"])
          byType[type][k] = (byType[type][k] ?? 0) + u[k];
      }
  };
  add(flowSide.usage.labels, flowVisits, {
    welcome: "email",
    clicked: "wait_for",
    thanks: "email",
    end: "exit",
  });
  add(nodesUsage.labels, nodeVisits, {
    vip: "condition",
    ab: "split",
    tag: "action",
    pause: "wait",
    done: "exit",
  });
  const step = stepsSide.usage.labels?.step ?? {};
  return {
    steps: perEmail(stepsSide.usage, stepsSide.emails),
    journey: perEmail(flowSide.usage, flowSide.emails),
    stepInside: {
      d1RowsWritten: (step.d1RowsWritten ?? 0) / stepsSide.emails,
      doRowsWritten: (step.doRowsWritten ?? 0) / stepsSide.emails,
    },
    byType,
    runs: { journey: N, nodes: ids.length },
  };
}

const TYPES = ["email", "wait_for", "wait", "condition", "split", "action", "exit"];

function report(runs) {
  const rows = [
    ["d1RowsWritten", "D1 rows written"],
    ["d1RowsRead", "D1 rows read"],
    ["doRowsWritten", "DO rows written"],
    ["doRequests", "DO requests + alarms"],
    ["queueOps", "queue operations"],
  ];
  const lines = [
    `| per email, all work included | steps (entry -> clicked) | journey (email -> wait_for -> email) |`,
    "| --- | ---: | ---: |",
  ];
  const result = { perEmail: {}, perNode: {} };
  for (const [k, label] of rows) {
    const a = summary(runs.map((r) => r.steps[k]));
    const b = summary(runs.map((r) => r.journey[k]));
    result.perEmail[k] = { steps: a, journey: b };
    lines.push(`| ${label} | ${span(a, 2)} | ${span(b, 2)} |`);
  }
  lines.push(
    "",
    "Rows per node type, counted inside the node (per visit; a run's own row and the object's final save are per transition, not per node):",
    "",
    "| node type | visits | D1 rows written | D1 rows read | DO rows written |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  const mid = runs[Math.floor(runs.length / 2)];
  for (const type of TYPES) {
    const t = mid.byType[type];
    if (!t?.visits) continue;
    const per = (k) => (t[k] ?? 0) / t.visits;
    result.perNode[type] = {
      visits: t.visits,
      d1RowsWritten: per("d1RowsWritten"),
      doRowsWritten: per("doRowsWritten"),
    };
    lines.push(
      `| ${type} | ${t.visits} | ${fmt(per("d1RowsWritten"), 2)} | ${fmt(per("d1RowsRead"), 1)} | ${fmt(per("doRowsWritten"), 2)} |`,
    );
  }
  const step = mid.stepInside;
  const email = result.perNode.email ?? { d1RowsWritten: 0, doRowsWritten: 0 };
  const others = TYPES.filter((x) => x !== "email" && result.perNode[x]);
  const budget = others.every(
    (x) =>
      result.perNode[x].d1RowsWritten <= (x === "action" ? 1.0001 : 0.0001) &&
      result.perNode[x].doRowsWritten <= 1.0001,
  );
  const j = result.perEmail.d1RowsWritten.journey.median;
  const s = result.perEmail.d1RowsWritten.steps.median;
  Object.assign(result, {
    emailNodeVsStep: { node: email, step },
    nonEmailBudgetMet: budget,
    journeyD1PerEmail: j,
  });
  lines.push(
    "",
    `Inside the object, an email node writes ${fmt(email.d1RowsWritten, 2)} D1 rows and ${fmt(email.doRowsWritten, 2)} DO rows per send; a scenario step ${fmt(step.d1RowsWritten, 2)} and ${fmt(step.doRowsWritten, 2)}. ` +
      `Per email, all work included: ${fmt(j, 2)} D1 rows written for the journey, ${fmt(s, 2)} for the steps (${fmt(j / s, 2)}x; the journey's runs also end, where steps listen 30 days). ` +
      `Non-email nodes: no D1 row beyond their effect (a tag: one contact row), at most one DO row: ${budget ? "met" : "missed"}.`,
  );
  return {
    title: `Journeys — ${N.toLocaleString("en-US")} contacts per side, email -> wait_for(clicked, 1 min) -> email vs steps entry -> clicked; then condition, split, action, wait, exit`,
    lines,
    result,
    figure: j,
  };
}

export const journeyBench = { name: "journey", runs: config.RUNS, run, report };
