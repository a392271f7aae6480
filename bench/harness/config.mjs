// The bench's settings, read once from the environment (and `--smoke` on the command line).
//
//   BENCH_SMOKE=1 or --smoke  start everything, run each bench with tiny counts for a few seconds and
//                        fail when one prints no figure (CI runs this; no thresholds, no results file)
//   BENCH_QUICK=1        small counts, 1 run, short load windows (~5 minutes)
//   BENCH_RUNS           runs per figure (default 3; quick and smoke 1); each figure is the median [min, max]
//   BENCH_ENROLL_RUNS    runs of the enrollment bench (default: BENCH_RUNS; 1 at >= 50,000 contacts)
//   BENCH_COST_RUNS      runs of the cost bench (default: BENCH_RUNS; 1 at >= 2,000 contacts)
//   BENCH_CONTACTS       contacts in the cost scenario (default 5,000; quick 200)
//   BENCH_SEND           emails in the send pipeline bench (default 2,000; quick 200)
//   BENCH_ENROLL         contacts to enroll (default 100,000; quick 1,000)
//   BENCH_LOAD_SECONDS   each webhook load window (default 5; quick 2)
//   BENCH_ONLY           comma list of the benches to run (default all but full)
//   BENCH_FULL=1         also run one 100,000-recipient campaign and one 100,000-recipient journey end
//                        to end (BENCH_FULL_N and BENCH_FULL_JOURNEY_N to change them)
//   BENCH_CAMPAIGN       recipients of the campaign bench (default 5,000; quick 300)
//   BENCH_JOURNEY        contacts per side of the journey bench (default 1,000; quick 200)
//   BENCH_TX_CONTACTS    recipients of the transactional bench's /send load (default 1,000; quick 200)
//   BENCH_FAIRNESS_HEAVY slow-template emails ahead of the light one in the fairness bench (default 40)
//   BENCH_FAIRNESS_LOOP  iterations of the slow template's Liquid loop (default 20,000; smoke 2,000)
//   BENCH_REPORT_N       messages over a year in the reports bench (default 1,000,000; quick 100,000)
//   BENCH_PORT           first of the loopback ports used (default 18787; 4 ports + 3 inspector ports)
//   BENCH_REF            git ref to measure (default: the working tree as it is at the start)
//   BENCH_KEEP_STATE=1   keep bench/.state-<run>/ (local D1/DO/queue state, logs) after the run
//   BENCH_STATE_DIR      where .state-<run>/ goes (default bench/). BENCH_STATE_DIR=/dev/shm keeps the
//                        local D1 and Durable Object SQLite files in memory: workerd then no longer
//                        waits on this machine's disk (an fsync per commit, a new file per object),
//                        which Cloudflare's storage does not charge to the Worker (bench/README.md)
//   BENCH_LOG_LEVEL      wrangler dev log level (default warn); logs are in bench/.state-<run>/logs
//   BENCH_LOCAL_TRACES=1 keep wrangler dev's local trace store on (off by default: dev tooling that
//                        writes every invocation to SQLite in the measured workerd process)

const int = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
};

const SMOKE = process.env.BENCH_SMOKE === "1" || process.argv.includes("--smoke");
const QUICK = SMOKE || process.env.BENCH_QUICK === "1";
/** Small, quick, full: the default of a count by mode. */
const pick = (full, quick, smoke) => (SMOKE ? smoke : QUICK ? quick : full);

const RUNS = Math.max(1, int("BENCH_RUNS", QUICK ? 1 : 3));
const CONTACTS = Math.max(20, int("BENCH_CONTACTS", pick(5_000, 200, 40)));
const ENROLL_N = Math.max(100, int("BENCH_ENROLL", pick(100_000, 1_000, 200)));
const PORT = int("BENCH_PORT", 18787);

export const config = {
  SMOKE,
  QUICK,
  RUNS,
  CONTACTS,
  SEND_N: Math.max(20, int("BENCH_SEND", pick(2_000, 200, 40))),
  ENROLL_N,
  ENROLL_RUNS: Math.max(1, int("BENCH_ENROLL_RUNS", ENROLL_N >= 50_000 ? 1 : RUNS)),
  // The cost figures are counts (they move < 1% between runs): one run of 5,000 contacts by default.
  COST_RUNS: Math.max(1, int("BENCH_COST_RUNS", CONTACTS >= 2_000 ? 1 : RUNS)),
  LOAD_MS: Math.max(1, int("BENCH_LOAD_SECONDS", pick(5, 2, 1))) * 1000,
  // The clicked step's delay: 1 minute (0 in a quick run, where the step still has to fire).
  CLICK_DELAY_MINUTES: QUICK ? 0 : 1,
  FULL_N: Math.max(100, int("BENCH_FULL_N", 100_000)),
  FULL_JOURNEY_N: Math.max(20, int("BENCH_FULL_JOURNEY_N", pick(100_000, 100_000, 20))),
  CAMPAIGN_N: Math.max(20, int("BENCH_CAMPAIGN", pick(5_000, 300, 40))),
  JOURNEY_N: Math.max(20, int("BENCH_JOURNEY", pick(1_000, 200, 20))),
  WEBHOOK_MESSAGES: pick(1000, 200, 50),
  TX_CONTACTS: Math.max(10, int("BENCH_TX_CONTACTS", pick(1_000, 200, 20))),
  FAIRNESS_HEAVY: Math.max(1, int("BENCH_FAIRNESS_HEAVY", pick(40, 40, 5))),
  FAIRNESS_LOOP: Math.max(10, int("BENCH_FAIRNESS_LOOP", pick(20_000, 20_000, 2_000))),
  REPORT_N: Math.max(1000, int("BENCH_REPORT_N", pick(1_000_000, 100_000, 5_000))),
  ONLY: new Set(
    (
      process.env.BENCH_ONLY ||
      `cost,webhook,send,enroll,campaign,journey,transactional,fairness,reports${process.env.BENCH_FULL === "1" ? ",full,journey-full" : ""}`
    )
      .split(",")
      .map((s) => s.trim()),
  ),
  REF: process.env.BENCH_REF || "",
  KEEP_STATE: process.env.BENCH_KEEP_STATE === "1",
  STATE_DIR: process.env.BENCH_STATE_DIR || "",
  PORTS: { main: PORT, baseline: PORT + 1, baselineQueue: PORT + 2, ses: PORT + 3 },
  INSPECT: { main: PORT + 442, baseline: PORT + 443, baselineQueue: PORT + 444 },
  SHARES: { delivered: 1, opened: 0.4, clicked: 0.08 },
  BATCH: 50,
  CONCURRENCY: 16,
  BROWSER_UA:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
};
