#!/usr/bin/env node
// `npm run bench`: the platform's cost per 1,000 emails and its throughput, each beside a baseline
// measured in the same run, on the real local runtime (wrangler dev / workerd with local D1, Queues
// and Durable Objects). Prints a table and writes bench/results/<date>.json. Never part of npm test.
//
// Environment (all optional):
//   BENCH_QUICK=1        smoke run (~3 minutes): small counts, 1 run, short load windows
//   BENCH_RUNS           runs per figure (default 3; quick 1); each figure is the median [min, max]
//   BENCH_ENROLL_RUNS    runs of the enrollment bench (default: BENCH_RUNS; 1 at >= 50,000 contacts)
//   BENCH_COST_RUNS      runs of the cost bench (default: BENCH_RUNS; 1 at >= 2,000 contacts)
//   BENCH_CONTACTS       contacts in the cost scenario (default 5,000; quick 200)
//   BENCH_SEND           emails in the send pipeline bench (default 2,000; quick 200)
//   BENCH_ENROLL         contacts to enroll (default 100,000; quick 1,000)
//   BENCH_LOAD_SECONDS   each webhook load window (default 5; quick 2)
//   BENCH_ONLY           comma list of cost,webhook,send,enroll,full (default all but full)
//   BENCH_FULL=1         also run one 100,000-recipient send end to end (BENCH_FULL_N to change it)
//   BENCH_CAMPAIGN       recipients of the campaign bench (default 5,000; quick 300)
//   BENCH_PORT           first of the loopback ports used (default 18787; 4 ports + 3 inspector ports)
//   BENCH_REF            git ref to measure (default: the working tree as it is at the start)
//   BENCH_KEEP_STATE=1   keep bench/.state-<run>/ (local D1/DO/queue state, logs) after the run
//   BENCH_LOG_LEVEL      wrangler dev log level (default warn); logs are in bench/.state-<run>/logs
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { PRICES, PRICES_CHECKED_ON, priceOf, SES_PER_1000 } from "./prices.mjs";
import {
  api,
  cpuMsOf,
  d1File,
  HOST,
  pool,
  ROOT,
  sleep,
  startWrangler,
  summary,
  waitFor,
  wranglerSync,
} from "./lib.mjs";

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(
    `bench needs Node 22+ (node:sqlite, wrangler 4); this is ${process.version}. Run it with: npm run bench`,
  );
  process.exit(1);
}
const { DatabaseSync } = await import("node:sqlite");

const int = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
};
const QUICK = process.env.BENCH_QUICK === "1";
const RUNS = Math.max(1, int("BENCH_RUNS", QUICK ? 1 : 3));
const CONTACTS = Math.max(50, int("BENCH_CONTACTS", QUICK ? 200 : 5_000));
const SEND_N = Math.max(50, int("BENCH_SEND", QUICK ? 200 : 2_000));
const ENROLL_N = Math.max(100, int("BENCH_ENROLL", QUICK ? 1_000 : 100_000));
const ENROLL_RUNS = Math.max(1, int("BENCH_ENROLL_RUNS", ENROLL_N >= 50_000 ? 1 : RUNS));
// The cost figures are counts (they move < 1% between runs): one run of 5,000 contacts by default.
const COST_RUNS = Math.max(1, int("BENCH_COST_RUNS", CONTACTS >= 2_000 ? 1 : RUNS));
const LOAD_MS = Math.max(1, int("BENCH_LOAD_SECONDS", QUICK ? 2 : 5)) * 1000;
// The clicked step's delay: 1 minute (0 in a quick run, where the step still has to fire).
const CLICK_DELAY_MINUTES = QUICK ? 0 : 1;
const FULL_N = Math.max(100, int("BENCH_FULL_N", 100_000));
const CAMPAIGN_N = Math.max(50, int("BENCH_CAMPAIGN", QUICK ? 300 : 5_000));
const ONLY = new Set(
  (
    process.env.BENCH_ONLY ||
    `cost,webhook,send,enroll,campaign${process.env.BENCH_FULL === "1" ? ",full" : ""}`
  )
    .split(",")
    .map((s) => s.trim()),
);
const PORT = int("BENCH_PORT", 18787);
const REF = process.env.BENCH_REF || "";
const PORTS = { main: PORT, baseline: PORT + 1, baselineQueue: PORT + 2, ses: PORT + 3 };
const INSPECT = { main: PORT + 442, baseline: PORT + 443, baselineQueue: PORT + 444 };
const SHARES = { delivered: 1, opened: 0.4, clicked: 0.08 };
const BATCH = 50;
const CONCURRENCY = 16;
const BROWSER_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";

const started = new Date();
const runId = started.toISOString().replace(/[:.]/g, "-");
const STATE = join(ROOT, "bench", `.state-${runId}`);
const LOGS = join(STATE, "logs");
mkdirSync(LOGS, { recursive: true });
const ADMIN = `bench-${randomBytes(18).toString("base64url")}`;
const VARS = {
  METERING: "on",
  ADMIN_TOKEN: ADMIN,
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  PUBLIC_BASE_URL: `http://${HOST}:${PORTS.main}`,
  SES_ENDPOINT: `http://${HOST}:${PORTS.ses}`,
};

const say = (...a) =>
  console.log(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)}s]`, ...a);
const children = [];
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  for (const c of children.reverse()) await c.stop().catch(() => undefined);
  if (process.env.BENCH_KEEP_STATE !== "1") rmSync(STATE, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    cleanup().finally(() => process.exit(130));
  });

// ---------------------------------------------------------------------------------------------
// Processes: the platform, the two baselines, the SES-like server.

function startSesServer() {
  const child = spawn(process.execPath, [join(ROOT, "bench", "ses-server.mjs"), String(PORTS.ses)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const server = {
    base: `http://${HOST}:${PORTS.ses}`,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      for (let i = 0; i < 30 && !exited; i++) await sleep(100);
    },
    stats: () => api(server.base, "/__stats"),
    reset: () => api(server.base, "/__reset", { method: "POST", expect: 204 }),
  };
  return server;
}

/**
 * Bundle the platform once (what `wrangler deploy` would upload) and run that bundle: a snapshot of
 * the tree at the start of the run, so edits made while the bench runs do not reload the Worker
 * (which would also reset its in-memory counters). BENCH_REF=<git ref> bundles that commit instead
 * of the working tree (git archive into the state dir; the working tree is not touched).
 */
function buildPlatform() {
  let src = ROOT;
  if (REF) {
    src = join(STATE, "src");
    mkdirSync(src, { recursive: true });
    const tar = join(STATE, "src.tar");
    const a = spawnSync("git", ["archive", "--format=tar", "-o", tar, REF], { cwd: ROOT, encoding: "utf8" });
    if (a.status !== 0) throw new Error(`git archive ${REF} failed: ${a.stderr}`);
    const x = spawnSync("tar", ["-xf", tar, "-C", src], { encoding: "utf8" });
    if (x.status !== 0) throw new Error(`tar failed: ${x.stderr}`);
    symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
  }
  const out = join(STATE, "build");
  wranglerSync(["deploy", "--dry-run", "--outdir", out], { cwd: src });
  const toml = readFileSync(join(src, "wrangler.toml"), "utf8");
  if (
    !/^main\s*=\s*"src\/index\.ts"\s*$/m.test(toml) ||
    !/^migrations_dir\s*=\s*"migrations"\s*$/m.test(toml)
  ) {
    throw new Error('wrangler.toml: expected main = "src/index.ts" and migrations_dir = "migrations"');
  }
  const config = join(STATE, "wrangler.bench.toml");
  writeFileSync(
    config,
    `# Generated by bench/run.mjs from wrangler.toml: the bundled Worker, not rebuilt on file changes.\nno_bundle = true\n${toml
      .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(out, "index.js"))}`)
      .replace(/^migrations_dir\s*=.*$/m, `migrations_dir = ${JSON.stringify(join(src, "migrations"))}`)
      // One bench client stands for many API clients: the per-key limit would only measure itself.
      .replace(
        /(name = "API_RATE_LIMIT"\s+namespace_id = "\d+"\s+simple = \{ limit = )\d+/,
        (_, head) => `${head}1000000`,
      )}`,
  );
  return config;
}

/** The commit measured, and whether the working tree had changes on top of it. */
function revision() {
  const rev = spawnSync("git", ["rev-parse", "--short", REF || "HEAD"], {
    cwd: ROOT,
    encoding: "utf8",
  }).stdout.trim();
  const dirty =
    !REF &&
    spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: ROOT,
      encoding: "utf8",
    }).stdout.trim() !== "";
  return { commit: rev, ref: REF || "working tree", dirty };
}

const mainPersist = join(STATE, "main");
const baselinePersist = join(STATE, "baseline");

async function startAll() {
  const ses = startSesServer();
  children.push(ses);
  await waitFor("ses-server", async () => (await fetch(`${ses.base}/__stats`)).ok, { timeoutMs: 10_000 });

  say("bundling the platform (wrangler deploy --dry-run) and applying migrations to fresh local D1s");
  const config = buildPlatform();
  wranglerSync([
    "d1",
    "migrations",
    "apply",
    "DB",
    "--local",
    "--config",
    config,
    "--persist-to",
    mainPersist,
  ]);
  wranglerSync([
    "d1",
    "migrations",
    "apply",
    "DB",
    "--local",
    "--config",
    "bench/baseline/wrangler.toml",
    "--persist-to",
    baselinePersist,
  ]);

  say("starting wrangler dev: platform, baseline Worker, baseline queue consumer");
  const main = await startWrangler({
    name: "platform",
    config,
    port: PORTS.main,
    inspectorPort: INSPECT.main,
    persistTo: mainPersist,
    vars: VARS,
    logFile: join(LOGS, "platform.log"),
    readyPath: "/health",
  });
  children.push(main);
  const baseline = await startWrangler({
    name: "baseline",
    config: "bench/baseline/wrangler.toml",
    port: PORTS.baseline,
    inspectorPort: INSPECT.baseline,
    persistTo: baselinePersist,
    logFile: join(LOGS, "baseline.log"),
  });
  children.push(baseline);
  const baselineQueue = await startWrangler({
    name: "baseline-queue",
    config: "bench/baseline-queue/wrangler.toml",
    port: PORTS.baselineQueue,
    inspectorPort: INSPECT.baselineQueue,
    persistTo: join(STATE, "baseline-queue"),
    vars: { SES_ENDPOINT: VARS.SES_ENDPOINT },
    logFile: join(LOGS, "baseline-queue.log"),
  });
  children.push(baselineQueue);
  return { ses, main, baseline, baselineQueue };
}

// ---------------------------------------------------------------------------------------------
// Platform helpers (its public API, the operator token, and read-only looks at the local D1 file).

const metrics = (main) => api(main.base, "/api/v1/admin/metrics", { token: ADMIN });
const resetMetrics = (main) =>
  api(main.base, "/api/v1/admin/metrics/reset", { method: "POST", token: ADMIN });

/** Read-only query on the platform's local D1 file (harness only: not counted by the Worker). */
function query(sql, ...params) {
  const file = d1File(mainPersist);
  if (!file) throw new Error("platform D1 file not found");
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

let orgSeq = 0;
async function newOrg(main, label) {
  const res = await api(main.base, "/api/v1/admin/organizations", {
    token: ADMIN,
    body: { name: `${label} ${++orgSeq}` },
    expect: 201,
  });
  return { id: res.organization.id, key: res.api_key };
}

async function template(main, org, name) {
  const t = await api(main.base, "/api/v1/templates", {
    token: org.key,
    body: {
      name,
      subject: `${name} for {{ first_name | default: "you" }}`,
      html: `<p>Hi {{ first_name | default: "there" }},</p><p>Our <a href="https://example.com/offer?c=${encodeURIComponent(name)}">new offer</a> is out.</p>`,
    },
    expect: 201,
  });
  return t.id;
}

/** Import `n` contacts by CSV, in chunks well under the 10 MB limit. */
async function importContacts(main, org, n, prefix) {
  const CHUNK = 25_000;
  for (let i = 0; i < n; i += CHUNK) {
    const rows = Array.from(
      { length: Math.min(CHUNK, n - i) },
      (_, j) => `${prefix}${i + j}@example.com,Reader${i + j}`,
    );
    await api(main.base, "/api/v1/contacts/import", {
      token: org.key,
      raw: ["email,first_name", ...rows].join("\n"),
      contentType: "text/csv",
      timeoutMs: 600_000,
    });
  }
}

async function scenario(main, org, provider, steps) {
  const s = await api(main.base, "/api/v1/scenarios", {
    token: org.key,
    body: { name: `bench ${provider}`, from_email: "news@sender.example", provider },
    expect: 201,
  });
  await api(main.base, `/api/v1/scenarios/${s.id}/steps`, { token: org.key, method: "PUT", body: { steps } });
  return s.id;
}

const start = (main, org, id) =>
  api(main.base, `/api/v1/scenarios/${id}/start`, { token: org.key, method: "POST", timeoutMs: 600_000 });

/**
 * Wait until the platform is idle: no counter moved for `quietMs` and every queued message was
 * deleted (or, with delayed messages still waiting, nothing moved for 15 s). Bounded by `timeoutMs`.
 */
async function settle(main, { quietMs = 3000, timeoutMs = 120_000 } = {}) {
  let last = await metrics(main);
  let quietSince = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < timeoutMs / 500 + 1 && Date.now() < deadline; i++) {
    await sleep(500);
    const now = await metrics(main);
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now;
      quietSince = Date.now();
      continue;
    }
    const idle = Date.now() - quietSince;
    if ((idle >= quietMs && now.queueWrites <= now.queueDeletes) || idle >= Math.max(15_000, quietMs))
      return true;
  }
  return false;
}

/** Message URLs (open pixel, first tracked link) from a stored MIME message (base64 parts decoded). */
function trackingUrls(raw) {
  const parts = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map(
    (m) => Buffer.from(m[1].replace(/\s+/g, ""), "base64").toString("utf8"),
  );
  const text = [raw, ...parts].join("\n");
  const open = /(https?:\/\/[^"'\s>]+\/t\/o\/[A-Za-z0-9_.-]+)/.exec(text)?.[1] ?? null;
  const click = /(https?:\/\/[^"'\s>]+\/t\/c\/[A-Za-z0-9_.-]+)/.exec(text)?.[1] ?? null;
  return { open, click };
}

const stepCount = (scenarioId, step) =>
  query("SELECT count(*) AS n FROM messages WHERE scenario_id = ? AND step_order = ?", scenarioId, step)[0].n;

/**
 * The events a share of readers cause, through the paths they take in production: the provider's
 * delivery report (POST /api/v1/email-events, one per call, as SNS posts them), the open pixel and
 * the tracked link of the message itself (GET /t/o, /t/c with a browser's User-Agent).
 */
async function simulateEvents(main, org, messages) {
  const n = messages.length;
  const openers = messages.slice(0, Math.round(n * SHARES.opened));
  const clickers = messages.slice(0, Math.round(n * SHARES.clicked));
  let failures = 0;
  await pool(messages, CONCURRENCY, async (m) => {
    const res = await fetch(`${main.base}/api/v1/email-events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${org.key}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        provider: "log",
        external_id: m.external_id,
        event: "delivered",
        occurred_at: new Date(m.sent_at + 1000).toISOString(),
      }),
    });
    await res.arrayBuffer();
    if (res.status !== 202) failures++;
  });
  // An open within 10 s of delivery is taken for a prefetch (machine): readers open later.
  const lastSent = Math.max(...messages.map((m) => m.sent_at));
  await sleep(Math.max(0, lastSent + 12_000 - Date.now()));
  await pool(openers, CONCURRENCY, async (m) => {
    const res = await fetch(m.urls.open, { headers: { "User-Agent": BROWSER_UA } });
    await res.arrayBuffer();
    if (res.status !== 200) failures++;
  });
  await pool(clickers, CONCURRENCY, async (m) => {
    const res = await fetch(m.urls.click, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 302) failures++;
  });
  return { delivered: n, opened: openers.length, clicked: clickers.length, failures };
}

/**
 * The messages of a step with the tracking links of their raw MIME. The raw copy lives in the R2
 * archive (encrypted per message), so it is read through GET /api/v1/messages/:id, with the
 * operator token in X-Bench-Unmetered so that these look-ups are not counted as platform work.
 */
async function sentMessages(main, org, scenarioId, step) {
  const rows = query(
    "SELECT id, external_id, sent_at FROM messages WHERE scenario_id = ? AND step_order = ? ORDER BY id",
    scenarioId,
    step,
  );
  return pool(rows, CONCURRENCY, async (m) => {
    const full = await api(main.base, `/api/v1/messages/${m.id}`, {
      token: org.key,
      headers: { "X-Bench-Unmetered": ADMIN },
    });
    return {
      id: m.id,
      external_id: m.external_id,
      sent_at: Number(m.sent_at),
      urls: trackingUrls(full.raw ?? ""),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 1. Cost per 1,000 emails.

async function costRun(p, run) {
  const { main } = p;
  const org = await newOrg(main, "cost");
  const [t1, t2] = [await template(main, org, "Welcome"), await template(main, org, "Thanks for clicking")];
  await importContacts(main, org, CONTACTS, `cost${run}-`);
  const id = await scenario(main, org, "log", [
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
  await settle(main, { timeoutMs: 30_000 });
  await resetMetrics(main);
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await start(main, org, id);
  const sendTimeout = 120_000 + CONTACTS * 150;
  await waitFor(`step 1 sent to ${CONTACTS} contacts`, () => stepCount(id, 1) >= CONTACTS, {
    timeoutMs: sendTimeout,
    intervalMs: 1000,
  });
  const step1At = Date.now();
  say(
    `  cost run ${run}: step 1 sent to ${CONTACTS} contacts in ${((step1At - t0) / 1000).toFixed(1)} s; simulating events`,
  );
  const first = await sentMessages(main, org, id, 1);
  const ev1 = await simulateEvents(main, org, first);
  // The clicked step fires 1 minute after each click (its delay), through the EVENTS consumer and the SequenceDO.
  await waitFor(`step 2 sent to ${ev1.clicked} clickers`, () => stepCount(id, 2) >= ev1.clicked, {
    timeoutMs: 300_000 + ev1.clicked * 100,
    intervalMs: 1000,
  });
  say(`  cost run ${run}: step 2 sent to ${ev1.clicked} clickers; simulating their events`);
  const second = await sentMessages(main, org, id, 2);
  const ev2 = await simulateEvents(main, org, second);
  const quiet = await settle(main, { timeoutMs: 180_000 });
  const { statements = [], ...usage } = await api(main.base, "/api/v1/admin/metrics?statements=1", {
    token: ADMIN,
  });
  const cpuMs = cpuMsOf(main.workerdPids()) - cpu0;
  const emails = stepCount(id, 1) + stepCount(id, 2);
  const events = {
    delivered: ev1.delivered + ev2.delivered,
    opened: ev1.opened + ev2.opened,
    clicked: ev1.clicked + ev2.clicked,
    failures: ev1.failures + ev2.failures,
  };
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
  const cpuUsd = (cpuPer1000 * PRICES.workerCpuMs.perMillion) / 1e6;
  say(`  cost run ${run}: ${emails} emails, $${price.total.toFixed(5)} per 1,000 (settled: ${quiet})`);
  const per = (x) => ({
    ...x,
    rowsWrittenPer1000: (x.rowsWritten * 1000) / emails,
    rowsReadPer1000: (x.rowsRead * 1000) / emails,
    queriesPer1000: (x.queries * 1000) / emails,
  });
  const topStatements = statements.slice(0, 25).map(per);
  const topReads = [...statements]
    .sort((a, b) => b.rowsRead - a.rowsRead)
    .slice(0, 10)
    .map(per);
  return {
    emails,
    events,
    topStatements,
    topReads,
    seconds: (Date.now() - t0) / 1000,
    usage,
    per1000,
    billable,
    price,
    cpuMsPer1000UpperBound: cpuPer1000,
    cpuUsdPer1000UpperBound: cpuUsd,
    settled: quiet,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Webhook ingestion.

function load(options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bench", "load.mjs"), JSON.stringify(options)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(
      () => child.kill("SIGKILL"),
      (options.durationMs + (options.warmupMs ?? 0)) * 3 + 30_000,
    );
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)));
      } catch (e) {
        reject(e);
      }
    });
  });
}

async function drainEvents(main) {
  // Let the EVENTS consumer finish the previous window's backlog, so windows do not overlap.
  return settle(main, { quietMs: 2000, timeoutMs: QUICK ? 45_000 : 150_000 });
}

let loadSlot = 0;
const WEBHOOK_MESSAGES = QUICK ? 200 : 1000;

async function webhookRun(p, run) {
  const { main, baseline } = p;
  const org = await newOrg(main, "webhook");
  // Real messages for the events to name (as the Brevo provider would have sent them): contacts,
  // then one message each through the email-events API (provider brevo, Brevo's message-id).
  const prefix = `web${run}-`;
  await importContacts(main, org, WEBHOOK_MESSAGES, prefix);
  await pool(
    Array.from({ length: WEBHOOK_MESSAGES }, (_, i) => i),
    CONCURRENCY,
    (i) =>
      api(main.base, "/api/v1/email-events", {
        token: org.key,
        body: {
          provider: "brevo",
          external_id: `${prefix}${i}@smtp-relay.mailin.fr`,
          event: "sent",
          occurred_at: new Date().toISOString(),
          email: `${prefix}${i}@example.com`,
        },
        expect: 202,
      }),
  );
  await drainEvents(main);
  const settings = await api(main.base, "/api/v1/settings", { token: org.key });
  const platformUrl = settings.webhook_urls.brevo;
  const baselineUrl = `${baseline.base}/webhook`;
  const out = {};
  for (const events of [1, BATCH]) {
    const mode = events === 1 ? "single" : `batch${BATCH}`;
    const common = {
      events,
      concurrency: CONCURRENCY,
      durationMs: LOAD_MS,
      warmupMs: 1000,
      mode: "closed",
      messages: WEBHOOK_MESSAGES,
      prefix,
    };
    // Each load process its own window of event timestamps (Brevo events dedup on them): 10^7 ms apart.
    const ts = () => Date.now() - ++loadSlot * 1e7;
    const base = await load({ ...common, url: baselineUrl, tsBase: ts() });
    await resetMetrics(main);
    const cpu0 = cpuMsOf(main.workerdPids());
    const plat = await load({ ...common, url: platformUrl, tsBase: ts() });
    const drained = await drainEvents(main);
    // What each event cost, ingestion and EVENTS consumer together (warm-up included).
    const n = (plat.ok + plat.warmupOk) * events;
    const usage = await metrics(main);
    const perEvent = Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, v / n]));
    perEvent.cpuMsUpperBound = (cpuMsOf(main.workerdPids()) - cpu0) / n;
    // p99 at half the platform's maximum throughput: requests at a fixed rate (open loop).
    const half = await load({
      ...common,
      mode: "open",
      rate: Math.max(1, plat.rps / 2),
      concurrency: 256,
      url: platformUrl,
      tsBase: ts(),
    });
    const drainedHalf = await drainEvents(main);
    out[mode] = {
      baseline: base,
      platform: plat,
      half,
      ratio: plat.eventsPerSec / base.eventsPerSec,
      drained: drained && drainedHalf,
      perEvent,
    };
    say(
      `  webhook run ${run} ${mode}: platform ${plat.eventsPerSec.toFixed(0)} ev/s (p50 ${plat.p50?.toFixed(1)} ms, p99 ${plat.p99?.toFixed(1)} ms), baseline ${base.eventsPerSec.toFixed(0)} ev/s; p99 at half max ${half.p99?.toFixed(1)} ms (backlog drained: ${drained && drainedHalf})`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 3. Send pipeline: ENROLL -> SequenceDO -> SEND -> provider call (SES-like local server).

async function sendRun(p, run) {
  const { main, ses, baselineQueue } = p;
  const org = await newOrg(main, "send");
  await api(main.base, "/api/v1/settings/providers", {
    token: org.key,
    method: "PUT",
    body: {
      ses: {
        region: "us-east-1",
        access_key_id: "AKIABENCHLOCAL000000",
        secret_access_key: "bench-local-secret-0123456789",
        max_send_rate: 10_000,
      },
    },
  });
  const t = await template(main, org, "Send bench");
  await importContacts(main, org, SEND_N, `send${run}-`);
  const id = await scenario(main, org, "ses", [
    { step_order: 1, name: "Welcome", trigger: "entry", template_id: t },
  ]);
  await settle(main, { timeoutMs: 30_000 });
  const timeout = 120_000 + SEND_N * 200;

  await ses.reset();
  const t0 = Date.now();
  await start(main, org, id);
  await waitFor(`${SEND_N} SES calls from the platform`, async () => (await ses.stats()).count >= SEND_N, {
    timeoutMs: timeout,
    intervalMs: 250,
  });
  const plat = rates(await ses.stats(), t0, SEND_N);
  await settle(main, { timeoutMs: 60_000 });

  await ses.reset();
  const b0 = Date.now();
  await api(baselineQueue.base, `/enqueue?n=${SEND_N}`, { method: "POST" });
  await waitFor(
    `${SEND_N} SES calls from the baseline consumer`,
    async () => (await ses.stats()).count >= SEND_N,
    { timeoutMs: timeout, intervalMs: 250 },
  );
  const base = rates(await ses.stats(), b0, SEND_N);
  say(
    `  send run ${run}: platform ${plat.perSec.toFixed(1)} emails/s, baseline ${base.perSec.toFixed(1)} emails/s`,
  );
  return { platform: plat, baseline: base, ratio: plat.perSec / base.perSec };
}

/** Emails/s from the start to the n-th provider call, and the steady rate between the 10th and 90th percentile calls. */
function rates(stats, t0, n) {
  const times = stats.times.slice(0, n);
  const last = times.at(-1);
  const a = times[Math.floor(n * 0.1)];
  const b = times[Math.floor(n * 0.9)];
  return {
    count: stats.count,
    seconds: (last - t0) / 1000,
    perSec: n / ((last - t0) / 1000),
    firstCallAfterMs: times[0] - t0,
    steadyPerSec: b > a ? (Math.floor(n * 0.9) - Math.floor(n * 0.1)) / ((b - a) / 1000) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// 6. A broadcast campaign: CAMPAIGN_N recipients of one segment, send -> every provider call.

async function campaignRun(p, run) {
  const { main, ses } = p;
  const org = await newOrg(main, "campaign");
  await api(main.base, "/api/v1/settings/providers", {
    token: org.key,
    method: "PUT",
    body: {
      ses: {
        region: "us-east-1",
        access_key_id: "AKIABENCHLOCAL000000",
        secret_access_key: "bench-local-secret-0123456789",
        max_send_rate: 10_000,
      },
    },
  });
  const t = await template(main, org, "Campaign");
  const prefix = `camp${run}-`;
  await importContacts(main, org, CAMPAIGN_N, prefix);
  const seg = await api(main.base, "/api/v1/segments", {
    token: org.key,
    body: {
      name: "everyone",
      type: "dynamic",
      criteria: { logic: "and", conditions: [{ field: "email", operator: "starts_with", value: prefix }] },
    },
    expect: 201,
  });
  const c = await api(main.base, "/api/v1/campaigns", {
    token: org.key,
    body: {
      name: "bench",
      provider: "ses",
      from_email: "news@sender.example",
      template_id: t,
      segment_ids: [seg.id],
    },
    expect: 201,
  });
  await settle(main, { timeoutMs: 60_000 });
  await resetMetrics(main);
  await ses.reset();
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await api(main.base, `/api/v1/campaigns/${c.id}/send`, { token: org.key, method: "POST" });
  await waitFor(`${CAMPAIGN_N} campaign sends`, async () => (await ses.stats()).count >= CAMPAIGN_N, {
    timeoutMs: 300_000 + CAMPAIGN_N * 100,
    intervalMs: 250,
  });
  const r = rates(await ses.stats(), t0, CAMPAIGN_N);
  await settle(main, { timeoutMs: 120_000 });
  const usage = await metrics(main);
  const cpuMs = cpuMsOf(main.workerdPids()) - cpu0;
  say(
    `  campaign run ${run}: ${CAMPAIGN_N} emails, ${r.perSec.toFixed(0)} emails/s, ${(usage.d1RowsWritten / CAMPAIGN_N).toFixed(2)} D1 rows/email`,
  );
  return {
    emails: CAMPAIGN_N,
    ...r,
    d1RowsWrittenPerEmail: usage.d1RowsWritten / CAMPAIGN_N,
    doRowsWrittenPerEmail: usage.doRowsWritten / CAMPAIGN_N,
    queueOpsPerEmail: (usage.queueWrites + usage.queueReads + usage.queueDeletes) / CAMPAIGN_N,
    doRequestsPerEmail: usage.doRequests / CAMPAIGN_N,
    cpuMsPerEmailUpperBound: cpuMs / CAMPAIGN_N,
    usage,
  };
}

function campaignReport(runs) {
  const s = (f) => summary(runs.map(f));
  const lines = [
    `| ${CAMPAIGN_N.toLocaleString("en-US")}-recipient campaign (one segment, SES stand-in) | value |`,
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
  return { lines, result: { emails: CAMPAIGN_N, runs } };
}

// ---------------------------------------------------------------------------------------------
// 5. One large send end to end: FULL_N contacts, start -> every provider call, rows per email.

async function fullRun(p) {
  const { main, ses } = p;
  const org = await newOrg(main, "full");
  await api(main.base, "/api/v1/settings/providers", {
    token: org.key,
    method: "PUT",
    body: {
      ses: {
        region: "us-east-1",
        access_key_id: "AKIABENCHLOCAL000000",
        secret_access_key: "bench-local-secret-0123456789",
        max_send_rate: 10_000,
      },
    },
  });
  const t = await template(main, org, "Full send");
  say(`  full run: importing ${FULL_N} contacts`);
  await importContacts(main, org, FULL_N, "full-");
  // A broadcast campaign: the path a 100,000-recipient send takes. (A scenario's entry step to
  // 100,000 contacts makes 100,000 SequenceDOs; under wrangler dev each is a SQLite file on this
  // disk and the run crawls at about 1 email/s, which measures the local emulation, not the design.)
  const seg = await api(main.base, "/api/v1/segments", {
    token: org.key,
    body: {
      name: "everyone",
      type: "dynamic",
      criteria: { logic: "and", conditions: [{ field: "email", operator: "starts_with", value: "full-" }] },
    },
    expect: 201,
  });
  const c = await api(main.base, "/api/v1/campaigns", {
    token: org.key,
    body: {
      name: "full",
      provider: "ses",
      from_email: "news@sender.example",
      template_id: t,
      segment_ids: [seg.id],
    },
    expect: 201,
  });
  await settle(main, { timeoutMs: 60_000 });
  await resetMetrics(main);
  await ses.reset();
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await api(main.base, `/api/v1/campaigns/${c.id}/send`, { token: org.key, method: "POST" });
  let lastLog = Date.now();
  await waitFor(
    `${FULL_N} SES calls`,
    async () => {
      const n = (await ses.stats()).count;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        say(`    ${n} sent`);
      }
      return n >= FULL_N;
    },
    { timeoutMs: 600_000 + FULL_N * 100, intervalMs: 500 },
  );
  const r = rates(await ses.stats(), t0, FULL_N);
  await settle(main, { timeoutMs: 300_000 });
  const usage = await metrics(main);
  const cpuMs = cpuMsOf(main.workerdPids()) - cpu0;
  say(`  full run: ${FULL_N} emails in ${r.seconds.toFixed(0)} s (${r.perSec.toFixed(0)} emails/s)`);
  return {
    emails: FULL_N,
    ...r,
    d1RowsWrittenPerEmail: usage.d1RowsWritten / FULL_N,
    doRowsWrittenPerEmail: usage.doRowsWritten / FULL_N,
    queueOpsPerEmail: (usage.queueWrites + usage.queueReads + usage.queueDeletes) / FULL_N,
    doRequestsPerEmail: usage.doRequests / FULL_N,
    cpuMsPerEmailUpperBound: cpuMs / FULL_N,
    usage,
  };
}

function fullReport(runs) {
  const r = runs[0];
  const lines = [
    `| ${FULL_N.toLocaleString("en-US")}-recipient campaign, SES stand-in | value |`,
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
  return { lines, result: r };
}

// ---------------------------------------------------------------------------------------------
// 4. Enrollment: N contacts into a scenario (entry step a year out: enrollment only, no sends).

async function enrollRun(p, run) {
  const { main, baseline } = p;
  const org = await newOrg(main, "enroll");
  const t = await template(main, org, "Enroll bench");
  say(`  enroll run ${run}: importing ${ENROLL_N} contacts`);
  await importContacts(main, org, ENROLL_N, `enroll${run}-`);
  const id = await scenario(main, org, "log", [
    { step_order: 1, name: "Later", trigger: "entry", delay_days: 365, template_id: t },
  ]);
  await settle(main, { timeoutMs: 60_000 });
  await resetMetrics(main);
  say(`  enroll run ${run}: enrolling`);
  const cpu0 = cpuMsOf(main.workerdPids());
  const t0 = Date.now();
  await start(main, org, id);
  // Done when every contact has its sequence row and the scan says it reached the end. The
  // SequenceDOs come later: each sequence's object is created when its first step is within 12 h
  // (here: in a year), by an activation message that waits on the ENROLL queue.
  let lastLog = Date.now();
  await waitFor(
    `${ENROLL_N} enrollments`,
    async () => {
      const [{ n }] = query("SELECT count(*) AS n FROM contact_sequences WHERE scenario_id = ?", id);
      const [s] = query("SELECT enrollment_done_at FROM scenarios WHERE id = ?", id);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        say(`    ${n} contacts enrolled`);
      }
      return Number(n) >= ENROLL_N && s?.enrollment_done_at !== null;
    },
    { timeoutMs: 300_000 + ENROLL_N * 50, intervalMs: 100 },
  );
  const seconds = (Date.now() - t0) / 1000;
  const cpuMsPerContact = (cpuMsOf(main.workerdPids()) - cpu0) / ENROLL_N;
  const usage = await metrics(main);
  const rows = query(
    "SELECT id, organization_id, scenario_id, contact_id, steps_version, status, current_step_order, next_run_at, stop_reason, created_at, updated_at, revision FROM contact_sequences WHERE scenario_id = ?",
    id,
  );
  if (rows.length !== ENROLL_N)
    throw new Error(`expected ${ENROLL_N} contact_sequences rows, found ${rows.length}`);
  // The same rows, raw: batched INSERTs into the same table (same indexes) on a baseline Worker's D1.
  const r0 = Date.now();
  let rawWritten = 0;
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const res = await api(baseline.base, "/insert", {
      body: { rows: rows.slice(i, i + CHUNK) },
      timeoutMs: 300_000,
    });
    rawWritten += res.rows_written;
  }
  const rawSeconds = (Date.now() - r0) / 1000;
  say(
    `  enroll run ${run}: ${seconds.toFixed(1)} s, ${(usage.d1RowsWritten / ENROLL_N).toFixed(2)} D1 rows written per contact; raw insert ${rawSeconds.toFixed(1)} s`,
  );
  return {
    contacts: ENROLL_N,
    seconds,
    perSec: ENROLL_N / seconds,
    usage,
    cpuMsPerContactUpperBound: cpuMsPerContact,
    doRequestsPerContact: usage.doRequests / ENROLL_N,
    d1RowsWrittenPerContact: usage.d1RowsWritten / ENROLL_N,
    doRowsWrittenPerContact: usage.doRowsWritten / ENROLL_N,
    raw: { seconds: rawSeconds, rowsWritten: rawWritten, rowsWrittenPerContact: rawWritten / ENROLL_N },
    timeRatio: seconds / rawSeconds,
  };
}

// ---------------------------------------------------------------------------------------------
// Report.

const fmt = (v, d = 1) =>
  v === null || v === undefined
    ? "-"
    : Number(v).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const span = (s, d = 1, unit = "") =>
  s.median === null ? "-" : `${fmt(s.median, d)}${unit} [${fmt(s.min, d)}–${fmt(s.max, d)}]`;
const usd = (v) => (v === null ? "-" : `$${v.toFixed(v < 0.001 ? 6 : 5)}`);
const usdSpan = (s) => (s.median === null ? "-" : `${usd(s.median)} [${usd(s.min)}–${usd(s.max)}]`);

function costReport(runs) {
  const lines = [];
  const units = [
    ["workerRequests", "Worker invocations"],
    ["d1RowsRead", "D1 rows read"],
    ["d1RowsWritten", "D1 rows written"],
    ["doRequests", "DO requests (RPC + alarms)"],
    ["doRowsRead", "DO SQLite rows read"],
    ["doRowsWritten", "DO SQLite rows written"],
    ["queueOperations", "Queue operations"],
  ];
  const result = { units: {}, total: summary(runs.map((r) => r.price.total)) };
  lines.push(`| unit | per 1,000 emails | $ per 1,000 emails |`, `| --- | ---: | ---: |`);
  for (const [k, label] of units) {
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
  result.dominant = { unit: dominant.unit, share: dominant.usd / mid.price.total };
  result.cpuUsdUpperBound = cpu;
  result.cpuMsUpperBound = cpuMs;
  result.doAlarms = doAlarms;
  result.d1Queries = d1Queries;
  const target = 0.005;
  lines.push(
    "",
    `SES: ${usd(SES_PER_1000)} per 1,000 emails; the platform adds ${usd(result.total.median)} (${fmt((result.total.median / SES_PER_1000) * 100, 1)}% of SES). ` +
      `Dominant unit: ${PRICES[dominant.unit].unit} (${fmt(result.dominant.share * 100, 0)}% of the metered cost). ` +
      `Also per 1,000 emails: ${fmt(d1Queries.median, 0)} D1 queries, ${fmt(doAlarms.median, 0)} DO alarms. ` +
      `Target <= $${target}: ${result.total.median <= target ? "met" : `missed by ${usd(result.total.median - target)} (${fmt(result.total.median / target, 1)}x)`}.`,
  );
  result.targetMet = result.total.median <= target;
  const cpuPerEmail = cpuMs.median / 1000;
  result.cpuMsPerEmailUpperBound = cpuPerEmail;
  lines.push(
    `Worker CPU per email, all work included (upper bound: every workerd process, local D1 and queues included): ${fmt(cpuPerEmail, 2)} ms. Target <= 5 ms: ${cpuPerEmail <= 5 ? "met" : "missed"}.`,
  );
  const top = mid.topStatements ?? [];
  if (top.length) {
    lines.push(
      "",
      `D1 statements writing the most rows (run ${runs.indexOf(mid) + 1}, per 1,000 emails):`,
      "",
    );
    lines.push("| rows written | queries | statement |", "| ---: | ---: | --- |");
    for (const x of top.slice(0, 12)) {
      const sql = x.sql.length > 110 ? `${x.sql.slice(0, 110)}…` : x.sql;
      lines.push(
        `| ${fmt(x.rowsWrittenPer1000, 0)} | ${fmt(x.queriesPer1000, 0)} | \`${sql.replace(/\|/g, "\\|")}\` |`,
      );
    }
  }
  const reads = mid.topReads ?? [];
  if (reads.length) {
    lines.push(
      "",
      `D1 statements reading the most rows (per 1,000 emails):`,
      "",
      "| rows read | queries | statement |",
      "| ---: | ---: | --- |",
    );
    for (const x of reads.slice(0, 5)) {
      const sql = x.sql.length > 110 ? `${x.sql.slice(0, 110)}…` : x.sql;
      lines.push(
        `| ${fmt(x.rowsReadPer1000, 0)} | ${fmt(x.queriesPer1000, 0)} | \`${sql.replace(/\|/g, "\\|")}\` |`,
      );
    }
  }
  return { lines, result };
}

function webhookReport(runs) {
  const lines = [
    `| body | platform events/s | p50 / p99 ms | baseline events/s | baseline p50 / p99 ms | ratio | p99 at half max (ms) |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  const result = {};
  for (const mode of ["single", `batch${BATCH}`]) {
    const pick = (f) => summary(runs.map((r) => f(r[mode])));
    const s = {
      platformEventsPerSec: pick((r) => r.platform.eventsPerSec),
      platformP50: pick((r) => r.platform.p50),
      platformP99: pick((r) => r.platform.p99),
      baselineEventsPerSec: pick((r) => r.baseline.eventsPerSec),
      baselineP50: pick((r) => r.baseline.p50),
      baselineP99: pick((r) => r.baseline.p99),
      ratio: pick((r) => r.ratio),
      halfRate: pick((r) => r.half.rate),
      halfP99: pick((r) => r.half.p99),
      halfP50: pick((r) => r.half.p50),
      errors: runs.reduce(
        (n, r) =>
          n + (r[mode].platform.requests - r[mode].platform.ok) + (r[mode].half.requests - r[mode].half.ok),
        0,
      ),
    };
    result[mode] = s;
    const label = mode === "single" ? "1 event" : `${BATCH} events`;
    lines.push(
      `| ${label} | ${span(s.platformEventsPerSec, 0)} | ${fmt(s.platformP50.median)} / ${fmt(s.platformP99.median)} | ${span(s.baselineEventsPerSec, 0)} | ${fmt(s.baselineP50.median)} / ${fmt(s.baselineP99.median)} | ${span(s.ratio, 2)} | ${span(s.halfP99, 1)} at ${fmt(s.halfRate.median, 0)} req/s |`,
    );
  }
  for (const mode of ["single", `batch${BATCH}`]) {
    const pe = (k) => summary(runs.map((r) => r[mode].perEvent?.[k])).median;
    const q = pe("queueWrites") + pe("queueReads") + pe("queueDeletes");
    result[mode].perEvent = Object.fromEntries(
      Object.keys(runs[0][mode].perEvent ?? {}).map((k) => [k, pe(k)]),
    );
    lines.push(
      `Per event, ${mode === "single" ? "1 per request" : `${BATCH} per request`} (webhook + EVENTS consumer + what it triggers): ${fmt(pe("d1Queries"), 1)} D1 queries, ${fmt(pe("d1RowsWritten"), 1)} D1 rows written, ${fmt(pe("d1RowsRead"), 0)} rows read, ${fmt(q, 1)} queue ops, ${fmt(pe("cpuMsUpperBound"), 1)} ms workerd CPU.`,
    );
  }
  const single = result.single;
  const batch = result[`batch${BATCH}`];
  const met = (s) => s.ratio.median >= 0.5 && s.halfP99.median < 50;
  lines.push(
    "",
    `Target >= 50% of baseline and p99 < 50 ms at half max: single ${met(single) ? "met" : "missed"} (${fmt(single.ratio.median * 100, 0)}%, ${fmt(single.halfP99.median)} ms); ` +
      `batched ${met(batch) ? "met" : "missed"} (${fmt(batch.ratio.median * 100, 0)}%, ${fmt(batch.halfP99.median)} ms). Load: ${CONCURRENCY} connections, ${LOAD_MS / 1000} s windows after 1 s warm-up, from a second Node process.`,
  );
  return { lines, result };
}

function sendReport(runs) {
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
  return { lines, result: { ...s, emails: SEND_N, targetMet: s.ratio.median >= 0.5 } };
}

function enrollReport(runs) {
  const s = {
    seconds: summary(runs.map((r) => r.seconds)),
    perSec: summary(runs.map((r) => r.perSec)),
    d1RowsWrittenPerContact: summary(runs.map((r) => r.d1RowsWrittenPerContact)),
    doRowsWrittenPerContact: summary(runs.map((r) => r.doRowsWrittenPerContact)),
    rawSeconds: summary(runs.map((r) => r.raw.seconds)),
    rawRowsWrittenPerContact: summary(runs.map((r) => r.raw.rowsWrittenPerContact)),
    timeRatio: summary(runs.map((r) => r.timeRatio)),
    cpuMsPerContact: summary(runs.map((r) => r.cpuMsPerContactUpperBound)),
    doRequestsPerContact: summary(runs.map((r) => r.doRequestsPerContact)),
  };
  const rowsOk = s.d1RowsWrittenPerContact.median <= 2;
  const timeOk = s.timeRatio.median <= 3;
  const lines = [
    `| ${ENROLL_N.toLocaleString("en-US")} contacts | time (s) | contacts/s | D1 rows written / contact | DO rows written / contact |`,
    `| --- | ---: | ---: | ---: | ---: |`,
    `| enrollment (start -> every contact enrolled; objects created when the first step nears) | ${span(s.seconds)} | ${span(s.perSec, 0)} | ${span(s.d1RowsWrittenPerContact, 2)} | ${span(s.doRowsWrittenPerContact, 2)} |`,
    `| raw batched INSERT of the same rows | ${span(s.rawSeconds, 2)} | ${fmt(ENROLL_N / s.rawSeconds.median, 0)} | ${span(s.rawRowsWrittenPerContact, 2)} | - |`,
    `| ratio (time) | ${span(s.timeRatio, 1)}x | | | |`,
    "",
    `Per contact: ${fmt(s.doRequestsPerContact.median, 2)} DO requests, ${fmt(s.cpuMsPerContact.median, 1)} ms workerd CPU (upper bound).`,
    `Target <= 2 rows written per contact: ${rowsOk ? "met" : `missed (${fmt(s.d1RowsWrittenPerContact.median, 2)} D1 rows; the raw INSERT alone writes ${fmt(s.rawRowsWrittenPerContact.median, 2)})`}. ` +
      `Target within 3x of the raw insert: ${timeOk ? "met" : `missed (${fmt(s.timeRatio.median, 1)}x)`}. Runs: ${runs.length}.`,
  ];
  return {
    lines,
    result: { ...s, contacts: ENROLL_N, runs: runs.length, rowsTargetMet: rowsOk, timeTargetMet: timeOk },
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const cpus = os.cpus();
  const wranglerVersion = JSON.parse(
    readFileSync(join(ROOT, "node_modules", "wrangler", "package.json"), "utf8"),
  ).version;
  const machine = {
    cores: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    wrangler: wranglerVersion,
    platform: `${os.type()} ${os.release()}`,
  };
  const measured = revision();
  say(
    `edge-mail bench: ${machine.cores} cores (${machine.model}), load average ${machine.loadAverageAtStart.join(" ")}, ${QUICK ? "QUICK, " : ""}${RUNS} run(s) per figure`,
  );
  if (machine.loadAverageAtStart[0] > 0.5 * machine.cores)
    say(
      `warning: the machine is busy (load ${machine.loadAverageAtStart[0]}): throughput figures will be lower`,
    );

  const procs = await startAll();
  const raw = { cost: [], webhook: [], send: [], enroll: [], full: [], campaign: [] };
  const errors = [];
  const section = async (name, runs, fn) => {
    if (!ONLY.has(name)) return;
    for (let r = 1; r <= runs; r++) {
      try {
        raw[name].push(await fn(procs, r));
      } catch (e) {
        errors.push(`${name} run ${r}: ${e.message}`);
        say(`  ${name} run ${r} FAILED: ${e.message}`);
      }
    }
  };
  try {
    // The webhook bench last: the backlog its load leaves on the EVENTS queue would slow the others.
    await section("send", RUNS, sendRun);
    await section("cost", COST_RUNS, costRun);
    await section("enroll", ENROLL_RUNS, enrollRun);
    await section("campaign", RUNS, campaignRun);
    await section("full", 1, fullRun);
    await section("webhook", RUNS, webhookRun);
  } finally {
    await cleanup();
  }

  const date = started.toISOString().slice(0, 10);
  const out = [];
  out.push(
    `edge-mail benchmarks, ${date} — ${machine.cores} CPU cores (${machine.model}), ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}, wrangler ${machine.wrangler} (wrangler dev: workerd with local D1, Queues, Durable Objects; metering on)`,
    `Commit ${measured.commit}${measured.dirty ? " + uncommitted changes" : ""} (${measured.ref}). Each figure: median [min–max] of ${RUNS} run(s)${QUICK ? " (QUICK smoke run: small counts)" : ""}. Prices: Cloudflare list prices checked ${PRICES_CHECKED_ON} (bench/prices.mjs).`,
    "",
  );
  const report = {
    date,
    startedAt: started.toISOString(),
    quick: QUICK,
    runs: RUNS,
    machine,
    measured,
    settings: { CONTACTS, COST_RUNS, SEND_N, ENROLL_N, ENROLL_RUNS, LOAD_MS, SHARES, BATCH, CONCURRENCY },
    pricesCheckedOn: PRICES_CHECKED_ON,
    errors,
    results: {},
    raw,
  };
  if (raw.cost.length) {
    const r = costReport(raw.cost);
    report.results.cost = r.result;
    const e = raw.cost[0].events;
    out.push(
      `1. Cost per 1,000 emails — ${CONTACTS.toLocaleString("en-US")} contacts, scenario entry -> clicked (+${CLICK_DELAY_MINUTES} min), log provider; events: ${fmt(SHARES.delivered * 100, 0)}% delivered, ${fmt(SHARES.opened * 100, 0)}% opened, ${fmt(SHARES.clicked * 100, 0)}% clicked (run 1: ${raw.cost[0].emails} emails, ${e.delivered} delivered, ${e.opened} opens, ${e.clicked} clicks)`,
      "",
      ...r.lines,
      "",
    );
  }
  if (raw.webhook.length) {
    const r = webhookReport(raw.webhook);
    report.results.webhook = r.result;
    out.push(
      `2. Webhook ingestion — POST /webhooks/brevo/:token vs a Worker that only parses the JSON`,
      "",
      ...r.lines,
      "",
    );
  }
  if (raw.send.length) {
    const r = sendReport(raw.send);
    report.results.send = r.result;
    out.push(`3. Send pipeline — emails/s to a local SES-like HTTP server`, "", ...r.lines, "");
  }
  if (raw.enroll.length) {
    const r = enrollReport(raw.enroll);
    report.results.enroll = r.result;
    out.push(`4. Enrollment`, "", ...r.lines, "");
  }
  if (raw.campaign.length) {
    const r = campaignReport(raw.campaign);
    report.results.campaign = r.result;
    out.push(`5. Campaign`, "", ...r.lines, "");
  }
  if (raw.full.length) {
    const r = fullReport(raw.full);
    report.results.full = r.result;
    out.push(`6. One ${FULL_N.toLocaleString("en-US")}-recipient send, end to end`, "", ...r.lines, "");
  }
  if (errors.length) out.push("Errors:", ...errors.map((e) => `- ${e}`), "");
  out.push(`Total bench time: ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min.`);
  const text = out.join("\n");
  console.log(`\n${text}`);
  report.table = text;
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${date}${QUICK ? "-quick" : ""}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`\nwrote ${file}`);
  if (errors.length) process.exitCode = 1;
}

await main();
