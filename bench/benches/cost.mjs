// 1. Cost per 1,000 emails: a two-step scenario (entry, then clicked) for CONTACTS contacts with the
// log provider, and the events a share of readers cause; every metered unit per 1,000 emails.
import { config } from "../harness/config.mjs";
import { api, cpuMsOf, summary, waitFor } from "../harness/lib.mjs";
import {
  importContacts,
  newOrg,
  resetMetrics,
  scenario,
  sentMessages,
  settle,
  simulateEvents,
  startScenario,
  stepCount,
  template,
} from "../harness/platform.mjs";
import { PRICES, priceOf, SES_PER_1000 } from "../harness/prices.mjs";
import { fmt, span, sqlCell, usd, usdSpan } from "../harness/report.mjs";

const { CONTACTS, CLICK_DELAY_MINUTES, SHARES } = config;
const TARGET_USD = 0.005;

async function run(p, n) {
  const { main } = p;
  const org = await newOrg(p, "cost");
  const [t1, t2] = [await template(p, org, "Welcome"), await template(p, org, "Thanks for clicking")];
  await importContacts(p, org, CONTACTS, `cost${n}-`);
  const id = await scenario(p, org, "log", [
    { step_order: 1, name: "Welcome", trigger: "entry", template_id: t1 },
    {
      step_order: 2,
      name: "Clicked",
      trigger: "clicked",
      parent_step_order: 1,
      delay_minutes: CLICK_DELAY_MINUTES,
      template_id: t2,
    },
  ]);
  await settle(p, { timeoutMs: 30_000 });
  await resetMetrics(p);
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await startScenario(p, org, id);
  await waitFor(`step 1 sent to ${CONTACTS} contacts`, () => stepCount(p, id, 1) >= CONTACTS, {
    timeoutMs: 120_000 + CONTACTS * 150,
    intervalMs: 1000,
  });
  p.say(
    `  cost run ${n}: step 1 sent to ${CONTACTS} contacts in ${((Date.now() - t0) / 1000).toFixed(1)} s; simulating events`,
  );
  const ev1 = await simulateEvents(p, org, await sentMessages(p, org, id, 1));
  // The clicked step fires CLICK_DELAY_MINUTES after each click, through the EVENTS consumer and the SequenceDO.
  await waitFor(`step 2 sent to ${ev1.clicked} clickers`, () => stepCount(p, id, 2) >= ev1.clicked, {
    timeoutMs: 300_000 + ev1.clicked * 100,
    intervalMs: 1000,
  });
  p.say(`  cost run ${n}: step 2 sent to ${ev1.clicked} clickers; simulating their events`);
  const ev2 = await simulateEvents(p, org, await sentMessages(p, org, id, 2));
  const quiet = await settle(p, { timeoutMs: 180_000 });
  const { statements = [], ...usage } = await api(main.base, "/api/v1/admin/metrics?statements=1", {
    token: p.run.admin,
  });
  const cpuMs = cpuMsOf(main.workerdPids()) - cpu0;
  const emails = stepCount(p, id, 1) + stepCount(p, id, 2);
  const events = Object.fromEntries(
    ["delivered", "opened", "clicked", "failures"].map((k) => [k, ev1[k] + ev2[k]]),
  );
  const per1000 = Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, (v * 1000) / emails]));
  const billable = {
    workerRequests: per1000.workerRequests,
    d1RowsRead: per1000.d1RowsRead,
    d1RowsWritten: per1000.d1RowsWritten,
    doRequests: per1000.doRequests,
    doRowsRead: per1000.doRowsRead,
    doRowsWritten: per1000.doRowsWritten,
    queueOperations: per1000.queueWrites + per1000.queueReads + per1000.queueDeletes,
  };
  const price = priceOf(billable);
  const cpuPer1000 = (cpuMs * 1000) / emails;
  p.say(`  cost run ${n}: ${emails} emails, $${price.total.toFixed(5)} per 1,000 (settled: ${quiet})`);
  const per = (x) => ({
    ...x,
    rowsWrittenPer1000: (x.rowsWritten * 1000) / emails,
    rowsReadPer1000: (x.rowsRead * 1000) / emails,
    queriesPer1000: (x.queries * 1000) / emails,
  });
  return {
    emails,
    events,
    topStatements: statements.slice(0, 25).map(per),
    topReads: [...statements]
      .sort((a, b) => b.rowsRead - a.rowsRead)
      .slice(0, 10)
      .map(per),
    seconds: (Date.now() - t0) / 1000,
    usage,
    per1000,
    billable,
    price,
    cpuMsPer1000UpperBound: cpuPer1000,
    cpuUsdPer1000UpperBound: (cpuPer1000 * PRICES.workerCpuMs.perMillion) / 1e6,
    settled: quiet,
  };
}

const UNITS = [
  ["workerRequests", "Worker invocations"],
  ["d1RowsRead", "D1 rows read"],
  ["d1RowsWritten", "D1 rows written"],
  ["doRequests", "DO requests (RPC + alarms)"],
  ["doRowsRead", "DO SQLite rows read"],
  ["doRowsWritten", "DO SQLite rows written"],
  ["queueOperations", "Queue operations"],
];

function report(runs) {
  const lines = [`| unit | per 1,000 emails | $ per 1,000 emails |`, `| --- | ---: | ---: |`];
  const result = { units: {}, total: summary(runs.map((r) => r.price.total)) };
  for (const [k, label] of UNITS) {
    const count = summary(runs.map((r) => r.billable[k]));
    const price = summary(runs.map((r) => r.price.lines.find((l) => l.unit === k)?.usd ?? 0));
    result.units[k] = { count, usd: price };
    lines.push(`| ${label} | ${span(count, 0)} | ${usdSpan(price)} |`);
  }
  const doAlarms = summary(runs.map((r) => r.per1000.doAlarms));
  const d1Queries = summary(runs.map((r) => r.per1000.d1Queries));
  const cpu = summary(runs.map((r) => r.cpuUsdPer1000UpperBound));
  const cpuMs = summary(runs.map((r) => r.cpuMsPer1000UpperBound));
  lines.push(`| **total (metered units)** | | **${usdSpan(result.total)}** |`);
  lines.push(
    `| Worker CPU, upper bound (workerd process CPU, ${fmt(cpuMs.median, 0)} ms) | ${span(cpuMs, 0)} ms | ${usdSpan(cpu)} |`,
  );
  const mid = runs[Math.floor(runs.length / 2)];
  const dominant = [...mid.price.lines].sort((a, b) => b.usd - a.usd)[0];
  Object.assign(result, {
    dominant: { unit: dominant.unit, share: dominant.usd / mid.price.total },
    cpuUsdUpperBound: cpu,
    cpuMsUpperBound: cpuMs,
    doAlarms,
    d1Queries,
    targetMet: result.total.median <= TARGET_USD,
    cpuMsPerEmailUpperBound: cpuMs.median / 1000,
  });
  lines.push(
    "",
    `SES: ${usd(SES_PER_1000)} per 1,000 emails; the platform adds ${usd(result.total.median)} (${fmt((result.total.median / SES_PER_1000) * 100, 1)}% of SES). ` +
      `Dominant unit: ${PRICES[dominant.unit].unit} (${fmt(result.dominant.share * 100, 0)}% of the metered cost). ` +
      `Also per 1,000 emails: ${fmt(d1Queries.median, 0)} D1 queries, ${fmt(doAlarms.median, 0)} DO alarms. ` +
      `Target <= $${TARGET_USD}: ${result.targetMet ? "met" : `missed by ${usd(result.total.median - TARGET_USD)} (${fmt(result.total.median / TARGET_USD, 1)}x)`}.`,
    `Worker CPU per email, all work included (upper bound: every workerd process, local D1 and queues included): ${fmt(result.cpuMsPerEmailUpperBound, 2)} ms. Target <= 5 ms: ${result.cpuMsPerEmailUpperBound <= 5 ? "met" : "missed"}.`,
  );
  const statementTable = (title, rows, key) => {
    if (!rows.length) return;
    lines.push(
      "",
      title,
      "",
      `| rows ${key === "rowsWrittenPer1000" ? "written" : "read"} | queries | statement |`,
      "| ---: | ---: | --- |",
    );
    for (const x of rows)
      lines.push(`| ${fmt(x[key], 0)} | ${fmt(x.queriesPer1000, 0)} | ${sqlCell(x.sql)} |`);
  };
  statementTable(
    `D1 statements writing the most rows (run ${runs.indexOf(mid) + 1}, per 1,000 emails):`,
    (mid.topStatements ?? []).slice(0, 12),
    "rowsWrittenPer1000",
  );
  statementTable(
    "D1 statements reading the most rows (per 1,000 emails):",
    (mid.topReads ?? []).slice(0, 5),
    "rowsReadPer1000",
  );
  const e = runs[0].events;
  const title =
    `Cost per 1,000 emails — ${CONTACTS.toLocaleString("en-US")} contacts, scenario entry -> clicked (+${CLICK_DELAY_MINUTES} min), log provider; ` +
    `events: ${fmt(SHARES.delivered * 100, 0)}% delivered, ${fmt(SHARES.opened * 100, 0)}% opened, ${fmt(SHARES.clicked * 100, 0)}% clicked ` +
    `(run 1: ${runs[0].emails} emails, ${e.delivered} delivered, ${e.opened} opens, ${e.clicked} clicks)`;
  return { title, lines, result, figure: result.total.median };
}

export const costBench = { name: "cost", runs: config.COST_RUNS, run, report };
