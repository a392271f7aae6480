#!/usr/bin/env node
// `npm run bench`: the platform's cost per 1,000 emails and its throughput, each beside a baseline
// measured in the same run, on the real local runtime (wrangler dev / workerd with local D1, Queues
// and Durable Objects). Prints a table and writes bench/results/<date>.json. Never part of npm test.
//
//   bench/harness/   config (every BENCH_* variable), processes, the platform's API, report helpers
//   bench/benches/   one file per bench: { name, runs, run(p, n), report(runs) }
//
// `npm run bench -- --smoke` (or BENCH_SMOKE=1) starts everything and runs each bench with tiny
// counts; it fails when a bench errors or prints no figure. It has no thresholds: CI runs it so
// that the bench keeps running on main.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { campaignBench, fullBench } from "./benches/broadcast.mjs";
import { journeyFullBench } from "./benches/journey-full.mjs";
import { costBench } from "./benches/cost.mjs";
import { enrollBench } from "./benches/enroll.mjs";
import { journeyBench } from "./benches/journey.mjs";
import { transactionalBench } from "./benches/transactional.mjs";
import { fairnessBench } from "./benches/fairness.mjs";
import { reportsBench } from "./benches/reports.mjs";
import { sendBench } from "./benches/send.mjs";
import { webhookBench } from "./benches/webhook.mjs";
import { config } from "./harness/config.mjs";
import { ROOT } from "./harness/lib.mjs";
import { PRICES_CHECKED_ON } from "./harness/prices.mjs";
import { cleanup, cleanupOnExit, newRun, revision, startAll } from "./harness/processes.mjs";
import { writeResults } from "./harness/report.mjs";

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(
    `bench needs Node 22+ (node:sqlite, wrangler 4); this is ${process.version}. Run it with: npm run bench`,
  );
  process.exit(1);
}

// The order they run in. The webhook bench last: the backlog its load leaves on the EVENTS queue
// would slow the others.
const BENCHES = [
  sendBench,
  costBench,
  journeyBench,
  transactionalBench,
  fairnessBench,
  reportsBench,
  enrollBench,
  campaignBench,
  fullBench,
  journeyFullBench,
  webhookBench,
];

function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    wrangler: JSON.parse(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8"))
      .version,
    platform: `${os.type()} ${os.release()}`,
  };
}

/** Where the run's local D1 and Durable Object files are, with the file system's type (disk or tmpfs). */
function stateWhere(dir) {
  const df = spawnSync("df", ["--output=fstype", dir], { encoding: "utf8" });
  const type = df.status === 0 ? df.stdout.trim().split("\n").at(-1)?.trim() : "";
  const parent = dirname(dir);
  const shown = parent.startsWith(`${ROOT}/`) ? `${relative(ROOT, parent)}/` : `${parent}/`;
  return `under ${shown}${type ? ` (${type})` : ""}`;
}

async function main() {
  const started = new Date();
  const run = newRun(started);
  cleanupOnExit(run);
  const say = (...a) =>
    console.log(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)}s]`, ...a);
  const machine = { ...machineInfo(), state: stateWhere(run.state) };
  const measured = revision();
  const mode = config.SMOKE ? "SMOKE, " : config.QUICK ? "QUICK, " : "";
  say(
    `edge-mail bench: ${machine.cores} cores (${machine.model}), load average ${machine.loadAverageAtStart.join(" ")}, ${mode}${config.RUNS} run(s) per figure`,
  );
  if (machine.loadAverageAtStart[0] > 0.5 * machine.cores)
    say(
      `warning: the machine is busy (load ${machine.loadAverageAtStart[0]}): throughput figures will be lower`,
    );

  const selected = BENCHES.filter((b) => config.ONLY.has(b.name));
  const raw = Object.fromEntries(selected.map((b) => [b.name, []]));
  const errors = [];
  try {
    const p = { ...(await startAll(run, say)), run, say };
    for (const bench of selected) {
      for (let n = 1; n <= bench.runs; n++) {
        try {
          raw[bench.name].push(await bench.run(p, n));
        } catch (e) {
          errors.push(`${bench.name} run ${n}: ${e.message}`);
          say(`  ${bench.name} run ${n} FAILED: ${e.message}`);
        }
      }
    }
  } catch (e) {
    errors.push(`start-up: ${e.message}`);
    say(`start-up FAILED: ${e.message}`);
  } finally {
    await cleanup(run);
  }

  const date = started.toISOString().slice(0, 10);
  const out = [
    `edge-mail benchmarks, ${date} — ${machine.cores} CPU cores (${machine.model}), ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}, wrangler ${machine.wrangler} (wrangler dev: workerd with local D1, Queues, Durable Objects; metering on; local state ${machine.state})`,
    `Commit ${measured.commit}${measured.dirty ? " + uncommitted changes" : ""} (${measured.ref}). Each figure: median [min–max] of ${config.RUNS} run(s)${config.SMOKE ? " (SMOKE run: tiny counts, figures not meaningful)" : config.QUICK ? " (QUICK run: small counts)" : ""}. Prices: Cloudflare list prices checked ${PRICES_CHECKED_ON} (bench/harness/prices.mjs).`,
    "",
  ];
  const report = {
    date,
    startedAt: started.toISOString(),
    quick: config.QUICK,
    smoke: config.SMOKE,
    runs: config.RUNS,
    machine,
    measured,
    settings: Object.fromEntries(Object.entries(config).filter(([, v]) => typeof v !== "object")),
    pricesCheckedOn: PRICES_CHECKED_ON,
    errors,
    results: {},
    raw,
  };
  let section = 0;
  for (const bench of selected) {
    const runs = raw[bench.name];
    if (!runs.length) continue;
    const r = bench.report(runs);
    report.results[bench.name] = r.result;
    out.push(`${++section}. ${r.title}`, "", ...r.lines, "");
    if (r.figure === null || r.figure === undefined || !Number.isFinite(r.figure))
      errors.push(`${bench.name}: printed no figure`);
  }
  for (const bench of selected) if (!raw[bench.name].length) errors.push(`${bench.name}: no run completed`);
  if (errors.length) out.push("Errors:", ...errors.map((e) => `- ${e}`), "");
  out.push(`Total bench time: ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min.`);
  const text = out.join("\n");
  console.log(`\n${text}`);
  report.table = text;
  if (!config.SMOKE) console.log(`\nwrote ${writeResults(report, date, config.QUICK)}`);
  if (errors.length) {
    console.error(`\nbench: ${errors.length} error(s)`);
    process.exitCode = 1;
  } else if (config.SMOKE)
    console.log(`\nbench smoke: ${selected.length} benches ran and printed their figures`);
}

await main();
