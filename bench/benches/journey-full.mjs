// 6b. One FULL_JOURNEY_N-recipient journey end to end (BENCH_FULL=1): a segment-entered journey
// email -> exit to every imported contact, with the SES stand-in, from the start to the last
// provider call and then until every run has ended. Each recipient's run lives in its SequenceDO
// (enrollment, the commit of its send, the send's result, the run's end).
import { config } from "../harness/config.mjs";
import { api, cpuMsOf, waitFor } from "../harness/lib.mjs";
import {
  baselineRates,
  importContacts,
  metrics,
  newOrg,
  perEmail,
  prefixSegment,
  query,
  rates,
  resetMetrics,
  settle,
  startScenario,
  template,
  useSesStandIn,
} from "../harness/platform.mjs";
import { fmt } from "../harness/report.mjs";

const N = config.FULL_JOURNEY_N;

async function run(p) {
  const { main, ses } = p;
  const org = await newOrg(p, "journey full");
  await useSesStandIn(p, org);
  const t = await template(p, org, "journey full");
  p.say(`  journey full: importing ${N} contacts`);
  await importContacts(p, org, N, "jfull-");
  const s = await api(main.base, "/api/v1/scenarios", {
    token: org.key,
    body: { name: "journey full", from_email: "news@sender.example", provider: "ses" },
    expect: 201,
  });
  await api(main.base, `/api/v1/scenarios/${s.id}/flow`, {
    token: org.key,
    method: "PUT",
    body: {
      entry: { type: "segment", segment_id: await prefixSegment(p, org, "jfull-") },
      start: "welcome",
      nodes: [
        { id: "welcome", type: "email", template_id: t, next: "end" },
        { id: "end", type: "exit" },
      ],
    },
  });
  await settle(p, { timeoutMs: 60_000 });
  await resetMetrics(p);
  await ses.reset();
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await startScenario(p, org, s.id);
  let lastLog = Date.now();
  await waitFor(
    `${N} journey sends`,
    async () => {
      const n = (await ses.stats()).count;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        p.say(`    ${n} sent (${(n / ((Date.now() - t0) / 1000)).toFixed(1)} emails/s)`);
      }
      return n >= N;
    },
    { timeoutMs: 600_000 + N * 200, intervalMs: 500 },
  );
  const r = rates(await ses.stats(), t0, N);
  const active = () =>
    query(
      p,
      "SELECT count(*) AS n FROM contact_sequences WHERE scenario_id = ? AND status = 'active'",
      s.id,
    )[0].n;
  await waitFor("every run to end", () => active() === 0, { timeoutMs: 300_000 + N * 20, intervalMs: 1000 });
  const endedSeconds = (Date.now() - t0) / 1000;
  await settle(p, { timeoutMs: 300_000 });
  const usage = await metrics(p);
  const cpuMs = cpuMsOf(main.workerdPids()) - cpu0;
  // The baseline in the same run: a bare queue -> fetch consumer making the same N calls.
  const baseline = await baselineRates(p, N, 120_000 + N * 20);
  const result = {
    emails: N,
    ...r,
    endedSeconds,
    baseline,
    ratio: r.perSec / baseline.perSec,
    ...perEmail(usage, N, cpuMs),
    usage,
  };
  p.say(
    `  journey full: ${N} emails in ${r.seconds.toFixed(0)} s, ${r.perSec.toFixed(1)} emails/s, ${result.d1RowsWrittenPerEmail.toFixed(2)} D1 rows/email`,
  );
  return result;
}

function report(runs) {
  const r = runs[0];
  const lines = [
    `| ${N.toLocaleString("en-US")}-recipient journey (email -> exit), SES stand-in | value |`,
    `| --- | ---: |`,
    `| start -> last provider call | ${fmt(r.seconds, 0)} s |`,
    `| emails/s (whole send) | ${fmt(r.perSec, 1)} |`,
    `| steady emails/s (10th-90th pct) | ${fmt(r.steadyPerSec, 1)} |`,
    `| baseline: bare queue -> fetch, same calls (emails/s) | ${fmt(r.baseline.perSec, 0)} |`,
    `| ratio (target >= 0.5) | ${fmt(r.ratio, 3)} |`,
    `| start -> every run ended | ${fmt(r.endedSeconds, 0)} s |`,
    `| D1 rows written per email (enrollment included) | ${fmt(r.d1RowsWrittenPerEmail, 2)} |`,
    `| DO SQLite rows written per email | ${fmt(r.doRowsWrittenPerEmail, 2)} |`,
    `| DO requests per email | ${fmt(r.doRequestsPerEmail, 2)} |`,
    `| queue operations per email | ${fmt(r.queueOpsPerEmail, 2)} |`,
    `| workerd CPU per email (upper bound) | ${fmt(r.cpuMsPerEmailUpperBound, 2)} ms |`,
  ];
  return {
    title: `One ${N.toLocaleString("en-US")}-recipient journey, end to end`,
    lines,
    result: r,
    figure: r.perSec,
  };
}

export const journeyFullBench = { name: "journey-full", runs: 1, run, report };
