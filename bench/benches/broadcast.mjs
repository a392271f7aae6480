// 5 and 6. A broadcast campaign to one segment, send -> every provider call (the SES stand-in):
// `campaign` with CAMPAIGN_N recipients per run, and `full`, one FULL_N-recipient send end to end
// (BENCH_FULL=1). A scenario's entry step to 100,000 contacts makes 100,000 SequenceDOs; under
// wrangler dev each is a SQLite file on this disk and the run crawls at about 1 email/s, which
// measures the local emulation, not the design: the large send is a campaign.
import { config } from "../harness/config.mjs";
import { api, cpuMsOf, summary, waitFor } from "../harness/lib.mjs";
import {
  importContacts,
  metrics,
  newOrg,
  perEmail,
  prefixSegment,
  rates,
  resetMetrics,
  settle,
  template,
  useSesStandIn,
} from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

async function broadcast(p, label, recipients, prefix) {
  const { main, ses } = p;
  const org = await newOrg(p, label);
  await useSesStandIn(p, org);
  const t = await template(p, org, label);
  p.say(`  ${label}: importing ${recipients} contacts`);
  await importContacts(p, org, recipients, prefix);
  const segmentId = await prefixSegment(p, org, prefix);
  const c = await api(main.base, "/api/v1/campaigns", {
    token: org.key,
    body: {
      name: label,
      provider: "ses",
      from_email: "news@sender.example",
      template_id: t,
      segment_ids: [segmentId],
    },
    expect: 201,
  });
  await settle(p, { timeoutMs: 60_000 });
  await resetMetrics(p);
  await ses.reset();
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await api(main.base, `/api/v1/campaigns/${c.id}/send`, { token: org.key, method: "POST" });
  let lastLog = Date.now();
  await waitFor(
    `${recipients} campaign sends`,
    async () => {
      const n = (await ses.stats()).count;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        p.say(`    ${n} sent`);
      }
      return n >= recipients;
    },
    { timeoutMs: 300_000 + recipients * 100, intervalMs: 250 },
  );
  const r = rates(await ses.stats(), t0, recipients);
  await settle(p, { timeoutMs: 300_000 });
  const usage = await metrics(p);
  const result = {
    emails: recipients,
    ...r,
    ...perEmail(usage, recipients, cpuMsOf(main.workerdPids()) - cpu0),
    usage,
  };
  p.say(
    `  ${label}: ${recipients} emails in ${r.seconds.toFixed(0)} s, ${r.perSec.toFixed(0)} emails/s, ${result.d1RowsWrittenPerEmail.toFixed(2)} D1 rows/email`,
  );
  return result;
}

function campaignReport(runs) {
  const s = (f) => summary(runs.map(f));
  const lines = [
    `| ${config.CAMPAIGN_N.toLocaleString("en-US")}-recipient campaign (one segment, SES stand-in) | value |`,
    `| --- | ---: |`,
    `| send -> last provider call | ${span(s((r) => r.seconds))} s |`,
    `| emails/s | ${span(
      s((r) => r.perSec),
      0,
    )} |`,
    `| D1 rows written per email | ${span(
      s((r) => r.d1RowsWrittenPerEmail),
      2,
    )} |`,
    `| DO rows written / DO requests per email | ${fmt(s((r) => r.doRowsWrittenPerEmail).median, 2)} / ${fmt(s((r) => r.doRequestsPerEmail).median, 2)} |`,
    `| queue operations per email | ${span(
      s((r) => r.queueOpsPerEmail),
      2,
    )} |`,
    `| workerd CPU per email (upper bound) | ${span(
      s((r) => r.cpuMsPerEmailUpperBound),
      2,
    )} ms |`,
  ];
  return {
    title: "Campaign",
    lines,
    result: { emails: config.CAMPAIGN_N, runs },
    figure: s((r) => r.perSec).median,
  };
}

function fullReport(runs) {
  const r = runs[0];
  const lines = [
    `| ${config.FULL_N.toLocaleString("en-US")}-recipient campaign, SES stand-in | value |`,
    `| --- | ---: |`,
    `| start -> last provider call | ${fmt(r.seconds, 0)} s |`,
    `| emails/s (whole send) | ${fmt(r.perSec, 0)} |`,
    `| steady emails/s (10th-90th pct) | ${fmt(r.steadyPerSec, 0)} |`,
    `| D1 rows written per email (audience resolution included) | ${fmt(r.d1RowsWrittenPerEmail, 2)} |`,
    `| DO SQLite rows written per email | ${fmt(r.doRowsWrittenPerEmail, 2)} |`,
    `| DO requests per email | ${fmt(r.doRequestsPerEmail, 2)} |`,
    `| queue operations per email | ${fmt(r.queueOpsPerEmail, 2)} |`,
    `| workerd CPU per email (upper bound) | ${fmt(r.cpuMsPerEmailUpperBound, 2)} ms |`,
  ];
  return {
    title: `One ${config.FULL_N.toLocaleString("en-US")}-recipient send, end to end`,
    lines,
    result: r,
    figure: r.perSec,
  };
}

export const campaignBench = {
  name: "campaign",
  runs: config.RUNS,
  run: (p, n) => broadcast(p, `campaign run ${n}`, config.CAMPAIGN_N, `camp${n}-`),
  report: campaignReport,
};

export const fullBench = {
  name: "full",
  runs: 1,
  run: (p) => broadcast(p, "full run", config.FULL_N, "full-"),
  report: fullReport,
};
