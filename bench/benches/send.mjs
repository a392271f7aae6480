// 3. Send pipeline: ENROLL -> SequenceDO -> SEND -> provider call (the SES stand-in), against a bare
// queue -> fetch consumer sending the same number of calls to the same stand-in.
import { config } from "../harness/config.mjs";
import { summary, waitFor } from "../harness/lib.mjs";
import {
  baselineRates,
  importContacts,
  newOrg,
  rates,
  scenario,
  settle,
  startScenario,
  template,
  useSesStandIn,
} from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { SEND_N } = config;

async function run(p, n) {
  const { ses } = p;
  const org = await newOrg(p, "send");
  await useSesStandIn(p, org);
  const t = await template(p, org, "Send bench");
  await importContacts(p, org, SEND_N, `send${n}-`);
  const id = await scenario(p, org, "ses", [
    { step_order: 1, name: "Welcome", trigger: "entry", template_id: t },
  ]);
  await settle(p, { timeoutMs: 30_000 });
  const timeout = 120_000 + SEND_N * 200;

  await ses.reset();
  const t0 = Date.now();
  await startScenario(p, org, id);
  await waitFor(`${SEND_N} SES calls from the platform`, async () => (await ses.stats()).count >= SEND_N, {
    timeoutMs: timeout,
    intervalMs: 250,
  });
  const plat = rates(await ses.stats(), t0, SEND_N);
  await settle(p, { timeoutMs: 60_000 });

  const base = await baselineRates(p, SEND_N, timeout);
  p.say(
    `  send run ${n}: platform ${plat.perSec.toFixed(1)} emails/s, baseline ${base.perSec.toFixed(1)} emails/s`,
  );
  return { platform: plat, baseline: base, ratio: plat.perSec / base.perSec };
}

function report(runs) {
  const s = {
    platform: summary(runs.map((r) => r.platform.perSec)),
    platformSteady: summary(runs.map((r) => r.platform.steadyPerSec)),
    firstCallMs: summary(runs.map((r) => r.platform.firstCallAfterMs)),
    baseline: summary(runs.map((r) => r.baseline.perSec)),
    baselineSteady: summary(runs.map((r) => r.baseline.steadyPerSec)),
    ratio: summary(runs.map((r) => r.ratio)),
  };
  const lines = [
    `| | emails/s (start to last call) | steady emails/s (10th-90th pct) |`,
    `| --- | ---: | ---: |`,
    `| platform: ENROLL -> SequenceDO -> SEND -> SES API | ${span(s.platform)} | ${span(s.platformSteady)} |`,
    `| baseline: queue -> fetch | ${span(s.baseline)} | ${span(s.baselineSteady)} |`,
    `| ratio | ${span(s.ratio, 2)} | |`,
    "",
    `${SEND_N} emails per run; first provider call ${fmt(s.firstCallMs.median, 0)} ms after the start request. Target >= 50% of baseline: ${s.ratio.median >= 0.5 ? "met" : `missed (${fmt(s.ratio.median * 100, 0)}%)`}.`,
  ];
  return {
    title: "Send pipeline — emails/s to a local SES-like HTTP server",
    lines,
    result: { ...s, emails: SEND_N, targetMet: s.ratio.median >= 0.5 },
    figure: s.platform.median,
  };
}

export const sendBench = { name: "send", runs: config.RUNS, run, report };
