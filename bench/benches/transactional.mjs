// 7. Transactional send: POST /api/v1/send (an inline receipt with data.*, a fresh idempotency key
// each, to TX_CONTACTS existing contacts, log provider) beside the bare Worker that only parses the
// JSON body; then p99 at half the platform's maximum rate (open loop), and what each email cost,
// request and SEND consumer together.
import { config } from "../harness/config.mjs";
import { cpuMsOf, summary } from "../harness/lib.mjs";
import { load } from "../harness/load-run.mjs";
import { importContacts, metrics, newOrg, resetMetrics, settle } from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { CONCURRENCY, LOAD_MS, QUICK, TX_CONTACTS } = config;

/** Let the SEND consumer finish the window's mail, so the next window starts from an empty queue. */
const drainSends = (p) => settle(p, { quietMs: 2000, timeoutMs: QUICK ? 60_000 : 300_000 });

let slot = 0;

async function run(p, n) {
  const { main, baseline } = p;
  const org = await newOrg(p, "transactional");
  const prefix = `tx${n}-`;
  await importContacts(p, org, TX_CONTACTS, prefix);
  const common = {
    kind: "send",
    concurrency: CONCURRENCY,
    durationMs: LOAD_MS,
    warmupMs: 1000,
    mode: "closed",
    messages: TX_CONTACTS,
    prefix,
    headers: { Authorization: `Bearer ${org.key}` },
  };
  // Each load process its own idempotency keys and order numbers.
  const ts = () => Date.now() + ++slot * 1e7;
  const base = await load({ ...common, url: `${baseline.base}/webhook`, tsBase: ts() });
  await resetMetrics(p);
  const cpu0 = cpuMsOf(main.workerdPids());
  const url = `${main.base}/api/v1/send`;
  const plat = await load({ ...common, url, tsBase: ts() });
  const drained = await drainSends(p);
  const emails = plat.ok + plat.warmupOk;
  const usage = await metrics(p);
  const perEmail = Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, v / Math.max(1, emails)]));
  perEmail.cpuMsUpperBound = (cpuMsOf(main.workerdPids()) - cpu0) / Math.max(1, emails);
  const half = await load({
    ...common,
    mode: "open",
    rate: Math.max(1, plat.rps / 2),
    concurrency: 256,
    url,
    tsBase: ts(),
  });
  const drainedHalf = await drainSends(p);
  p.say(
    `  transactional run ${n}: /send ${plat.rps.toFixed(0)} req/s (p50 ${plat.p50?.toFixed(1)} ms, p99 ${plat.p99?.toFixed(1)} ms; statuses ${JSON.stringify(plat.statuses)}), baseline ${base.rps.toFixed(0)} req/s; p99 at half max ${half.p99?.toFixed(1)} ms (sends drained: ${drained && drainedHalf})`,
  );
  return { baseline: base, platform: plat, half, ratio: plat.rps / base.rps, perEmail };
}

function report(runs) {
  const pick = (f) => summary(runs.map(f));
  const s = {
    platformRps: pick((r) => r.platform.rps),
    platformP50: pick((r) => r.platform.p50),
    platformP99: pick((r) => r.platform.p99),
    baselineRps: pick((r) => r.baseline.rps),
    ratio: pick((r) => r.ratio),
    halfRate: pick((r) => r.half.rate),
    halfP99: pick((r) => r.half.p99),
    errors: runs.reduce(
      (n, r) => n + (r.platform.requests - r.platform.ok) + (r.half.requests - r.half.ok),
      0,
    ),
  };
  const pe = (k) => pick((r) => r.perEmail[k]).median;
  const perEmail = Object.fromEntries(Object.keys(runs[0].perEmail).map((k) => [k, pe(k)]));
  const q = pe("queueWrites") + pe("queueReads") + pe("queueDeletes");
  const lines = [
    "| | requests/s | p50 / p99 ms | p99 at half max (ms) |",
    "| --- | ---: | ---: | ---: |",
    `| POST /api/v1/send | ${span(s.platformRps, 0)} | ${fmt(s.platformP50.median)} / ${fmt(s.platformP99.median)} | ${span(s.halfP99, 1)} at ${fmt(s.halfRate.median, 0)} req/s |`,
    `| bare Worker (parses the JSON) | ${span(s.baselineRps, 0)} | | |`,
    "",
    `Ratio to the bare Worker: ${span(s.ratio, 2)}; requests refused or failed: ${s.errors}. Per email (the request + the SEND consumer, log provider): ${fmt(pe("d1Queries"), 1)} D1 queries, ${fmt(pe("d1RowsWritten"), 1)} D1 rows written, ${fmt(pe("d1RowsRead"), 0)} rows read, ${fmt(q, 1)} queue ops, ${fmt(pe("doRequests") + pe("doAlarms"), 2)} DO calls, ${fmt(pe("cpuMsUpperBound"), 1)} ms workerd CPU. Load: ${CONCURRENCY} connections, ${LOAD_MS / 1000} s windows after 1 s warm-up, ${TX_CONTACTS} recipients, from a second Node process.`,
  ];
  return {
    title: "Transactional send — POST /api/v1/send vs a Worker that only parses the JSON",
    lines,
    result: { ...s, perEmail },
    figure: s.platformRps.median,
  };
}

export const transactionalBench = { name: "transactional", runs: config.RUNS, run, report };
