// HTTP load generator for the webhook bench, run as its own process (the load comes from a second
// process over loopback). Bounded in time (durationMs) and in requests in flight (concurrency).
//
//   node bench/harness/load.mjs '<json options>'  ->  prints one JSON result line
//
// options: url (loopback only), events (per request body: 1 = one Brevo event object, n > 1 = an
// array of n), mode "closed" (concurrency workers back to back: maximum throughput) or "open"
// (requests start at a fixed rate; latency counts from the scheduled start, so queueing shows),
// rate (requests/s, open mode), concurrency, durationMs, warmupMs, messages, prefix, tsBase (below),
// kind: "brevo" (default: Brevo webhook events) or "send" (POST /api/v1/send bodies; pass the
// Authorization header in `headers`).
const opts = JSON.parse(process.argv[2] ?? "{}");
const url = new URL(opts.url);
if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error("loopback addresses only");
const events = Math.max(1, Math.min(10_000, opts.events ?? 1));
const concurrency = Math.max(1, Math.min(1024, opts.concurrency ?? 32));
const durationMs = Math.max(500, Math.min(120_000, opts.durationMs ?? 10_000));
const warmupMs = Math.max(0, Math.min(30_000, opts.warmupMs ?? 1_000));
const mode = opts.mode === "open" ? "open" : "closed";
const rate = Math.max(1, Math.min(100_000, opts.rate ?? 100));
const REQUEST_TIMEOUT_MS = 10_000;

// Events name `messages` real messages (message-id `<{prefix}{i}@smtp-relay.mailin.fr>`, recipient
// `{prefix}{i}@example.com`), created beforehand, so the consumer applies them as it would Brevo's.
const messages = Math.max(1, Math.min(1_000_000, opts.messages ?? 1000));
const prefix = String(opts.prefix ?? "web");
// Brevo dedups on (message-id, event, ts_epoch): each load process gets its own window of timestamps.
const tsBase = Number(opts.tsBase ?? Date.now());
let seq = 0;
/** One Brevo transactional event (as Brevo posts them), unique by message-id, event and ts_epoch. */
function brevoEvent() {
  const n = ++seq;
  const i = n % messages;
  const kind = n % 10 < 6 ? "delivered" : n % 10 < 9 ? "opened" : "click";
  const ts = tsBase + n;
  return {
    event: kind,
    email: `${prefix}${i}@example.com`,
    id: 123456,
    date: new Date(ts).toISOString(),
    ts: Math.floor(ts / 1000),
    ts_epoch: ts,
    "message-id": `<${prefix}${i}@smtp-relay.mailin.fr>`,
    subject: "Welcome",
    tag: "",
    ...(kind === "click" ? { link: "https://example.com/offer" } : {}),
  };
}
/** One transactional send: a receipt to one of `messages` addresses, unique idempotency key. */
function sendRequest() {
  const n = ++seq;
  return {
    to: `${prefix}${n % messages}@example.com`,
    subject: "Your receipt {{ data.order }}",
    html: '<p>Thank you for order {{ data.order }}: {{ data.total }}.</p><p><a href="https://shop.example/orders">Your orders</a></p>',
    data: { order: `A-${tsBase}-${n}`, total: "42.00 EUR" },
    idempotency_key: `receipt-${tsBase}-${n}`,
    provider: "log",
  };
}
const kind = opts.kind === "send" ? "send" : "brevo";
const bodyOf = () =>
  JSON.stringify(
    kind === "send"
      ? sendRequest()
      : events === 1
        ? brevoEvent()
        : Array.from({ length: events }, brevoEvent),
  );
const headers = { "Content-Type": "application/json", ...(opts.headers ?? {}) };

async function once() {
  const start = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers,
      body: bodyOf(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    // 200 from the webhook and the baseline, 202 from /send (accepted, queued).
    return {
      ok: res.status === 200 || res.status === 202,
      status: res.status,
      ms: performance.now() - start,
    };
  } catch (e) {
    return {
      ok: false,
      status: e?.name === "TimeoutError" ? "timeout" : "error",
      ms: performance.now() - start,
    };
  }
}

async function closedLoop(ms, record) {
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      // Bounded: at most one request per 0.05 ms of the window per worker.
      for (let i = 0; i < ms * 20 && performance.now() < deadline; i++) record(await once());
    }),
  );
}

async function openLoop(ms, record) {
  const start = performance.now();
  const total = Math.floor((ms / 1000) * rate);
  let started = 0;
  let inFlight = 0;
  let skipped = 0;
  const pending = [];
  for (let tick = 0; started < total && tick < ms * 2; tick++) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (started < due) {
      const scheduledAt = start + (started * 1000) / rate;
      started++;
      if (inFlight >= concurrency) {
        skipped++;
        continue;
      }
      inFlight++;
      pending.push(
        once().then((r) => {
          inFlight--;
          // Latency from the scheduled start: a request that waited for a slot counts its wait.
          record({ ...r, ms: performance.now() - scheduledAt });
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return skipped;
}

let warmupOk = 0;
if (warmupMs)
  await closedLoop(warmupMs, (r) => {
    if (r.ok) warmupOk++;
  });

const latencies = [];
const statuses = {};
let ok = 0;
const record = (r) => {
  latencies.push(r.ms);
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  if (r.ok) ok++;
};
const began = performance.now();
const skipped =
  mode === "open" ? await openLoop(durationMs, record) : await closedLoop(durationMs, record).then(() => 0);
const elapsedMs = performance.now() - began;
latencies.sort((a, b) => a - b);
const q = (p) =>
  latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : null;
console.log(
  JSON.stringify({
    mode,
    events,
    concurrency,
    rate: mode === "open" ? rate : null,
    requests: latencies.length,
    ok,
    warmupOk,
    skipped,
    statuses,
    elapsedMs,
    rps: ok / (elapsedMs / 1000),
    eventsPerSec: (ok * events) / (elapsedMs / 1000),
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? null,
  }),
);
