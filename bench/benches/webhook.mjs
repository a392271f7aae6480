// 2. Webhook ingestion: POST /webhooks/brevo/:token with Brevo events about real messages, against a
// Worker that only parses the JSON; one event per body and BATCH per body; p99 at half the maximum.
import { config } from "../harness/config.mjs";
import { api, cpuMsOf, pool, summary } from "../harness/lib.mjs";
import { load } from "../harness/load-run.mjs";
import { importContacts, metrics, newOrg, resetMetrics, settle } from "../harness/platform.mjs";
import { fmt, span } from "../harness/report.mjs";

const { BATCH, CONCURRENCY, LOAD_MS, QUICK, WEBHOOK_MESSAGES } = config;
const MODES = ["single", `batch${BATCH}`];

/** Let the EVENTS consumer finish the previous window's backlog, so windows do not overlap. */
const drainEvents = (p) => settle(p, { quietMs: 2000, timeoutMs: QUICK ? 45_000 : 150_000 });

let loadSlot = 0;

async function run(p, n) {
  const { main, baseline } = p;
  const org = await newOrg(p, "webhook");
  // Real messages for the events to name (as the Brevo provider would have sent them): contacts,
  // then one message each through the email-events API (provider brevo, Brevo's message-id).
  const prefix = `web${n}-`;
  await importContacts(p, org, WEBHOOK_MESSAGES, prefix);
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
  await drainEvents(p);
  const settings = await api(main.base, "/api/v1/settings", { token: org.key });
  const platformUrl = settings.webhook_urls.brevo;
  const baselineUrl = `${baseline.base}/webhook`;
  const out = {};
  for (const mode of MODES) {
    const events = mode === "single" ? 1 : BATCH;
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
    await resetMetrics(p);
    const cpu0 = cpuMsOf(main.workerdPids());
    const loadStart = Date.now();
    const plat = await load({ ...common, url: platformUrl, tsBase: ts() });
    const loadEnd = Date.now();
    const drained = await drainEvents(p);
    // The EVENTS consumer may still be working after the window: how long it took to catch up (the
    // drain returns after 2 s without change, polled every 0.5 s), and the rate at which events were
    // applied from the window's start to the last one applied.
    const catchUpMs = Math.max(0, Date.now() - loadEnd - 2000);
    // What each event cost, ingestion and EVENTS consumer together (warm-up included).
    const count = (plat.ok + plat.warmupOk) * events;
    const usage = await metrics(p);
    const perEvent = Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, v / count]));
    perEvent.cpuMsUpperBound = (cpuMsOf(main.workerdPids()) - cpu0) / count;
    const appliedPerSec = count / ((loadEnd - loadStart + catchUpMs) / 1000);
    // p99 at half the platform's maximum throughput: requests at a fixed rate (open loop).
    const half = await load({
      ...common,
      mode: "open",
      rate: Math.max(1, plat.rps / 2),
      concurrency: 256,
      url: platformUrl,
      tsBase: ts(),
    });
    const drainedHalf = await drainEvents(p);
    out[mode] = {
      baseline: base,
      platform: plat,
      half,
      ratio: plat.eventsPerSec / base.eventsPerSec,
      drained: drained && drainedHalf,
      catchUpMs,
      appliedPerSec,
      perEvent,
    };
    p.say(
      `  webhook run ${n} ${mode}: platform ${plat.eventsPerSec.toFixed(0)} ev/s (p50 ${plat.p50?.toFixed(1)} ms, p99 ${plat.p99?.toFixed(1)} ms), baseline ${base.eventsPerSec.toFixed(0)} ev/s; p99 at half max ${half.p99?.toFixed(1)} ms (backlog drained: ${drained && drainedHalf}; consumer caught up ${(catchUpMs / 1000).toFixed(1)} s after the window, ${appliedPerSec.toFixed(0)} events applied/s)`,
    );
  }
  return out;
}

function report(runs) {
  const lines = [
    `| body | platform events/s | p50 / p99 ms | baseline events/s | baseline p50 / p99 ms | ratio | p99 at half max (ms) |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  const result = {};
  for (const mode of MODES) {
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
      catchUpMs: pick((r) => r.catchUpMs ?? 0),
      appliedPerSec: pick((r) => r.appliedPerSec ?? 0),
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
  for (const mode of MODES) {
    const pe = (k) => summary(runs.map((r) => r[mode].perEvent?.[k])).median;
    const q = pe("queueWrites") + pe("queueReads") + pe("queueDeletes");
    result[mode].perEvent = Object.fromEntries(
      Object.keys(runs[0][mode].perEvent ?? {}).map((k) => [k, pe(k)]),
    );
    const { catchUpMs, appliedPerSec } = result[mode];
    lines.push(
      `Applied, ${mode === "single" ? "1 per request" : `${BATCH} per request`}: the EVENTS consumer caught up ${fmt(catchUpMs.median / 1000, 1)} s after the window; ${span(appliedPerSec, 0)} events applied per second from the window's start (warm-up included) to the last one applied.`,
    );
    lines.push(
      `Per event, ${mode === "single" ? "1 per request" : `${BATCH} per request`} (webhook + EVENTS consumer + what it triggers): ${fmt(pe("d1Queries"), 1)} D1 queries, ${fmt(pe("d1RowsWritten"), 1)} D1 rows written, ${fmt(pe("d1RowsRead"), 0)} rows read, ${fmt(q, 1)} queue ops, ${fmt(pe("cpuMsUpperBound"), 1)} ms workerd CPU.`,
    );
  }
  const met = (s) => s.ratio.median >= 0.5 && s.halfP99.median < 50;
  const [single, batch] = MODES.map((m) => result[m]);
  lines.push(
    "",
    `Target >= 50% of baseline and p99 < 50 ms at half max: single ${met(single) ? "met" : "missed"} (${fmt(single.ratio.median * 100, 0)}%, ${fmt(single.halfP99.median)} ms); ` +
      `batched ${met(batch) ? "met" : "missed"} (${fmt(batch.ratio.median * 100, 0)}%, ${fmt(batch.halfP99.median)} ms). Load: ${CONCURRENCY} connections, ${LOAD_MS / 1000} s windows after 1 s warm-up, from a second Node process.`,
  );
  return {
    title: "Webhook ingestion — POST /webhooks/brevo/:token vs a Worker that only parses the JSON",
    lines,
    result,
    figure: single.platformEventsPerSec.median,
  };
}

export const webhookBench = { name: "webhook", runs: config.RUNS, run, report };
