// What every bench does to the platform: through its public API with the operator token, and
// read-only looks at its local D1 file (harness only: never counted as platform work).
import { config } from "./config.mjs";
import { api, d1File, pool, sleep, waitFor } from "./lib.mjs";

const { DatabaseSync } = await import("node:sqlite");
const { CONCURRENCY, SHARES, BROWSER_UA } = config;

export const metrics = (p) => api(p.main.base, "/api/v1/admin/metrics", { token: p.run.admin });
export const resetMetrics = (p) =>
  api(p.main.base, "/api/v1/admin/metrics/reset", { method: "POST", token: p.run.admin });

/** Read-only query on the platform's local D1 file. */
export function query(p, sql, ...params) {
  const file = d1File(p.run.mainPersist);
  if (!file) throw new Error("platform D1 file not found");
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

let orgSeq = 0;
export async function newOrg(p, label) {
  const res = await api(p.main.base, "/api/v1/admin/organizations", {
    token: p.run.admin,
    body: { name: `${label} ${++orgSeq}` },
    expect: 201,
  });
  return { id: res.organization.id, key: res.api_key };
}

/** SES settings pointing at the stand-in, with a rate that never holds the bench back. */
export const useSesStandIn = (p, org) =>
  api(p.main.base, "/api/v1/settings/providers", {
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

export async function template(p, org, name) {
  const t = await api(p.main.base, "/api/v1/templates", {
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
export async function importContacts(p, org, n, prefix) {
  const CHUNK = 25_000;
  for (let i = 0; i < n; i += CHUNK) {
    const rows = Array.from(
      { length: Math.min(CHUNK, n - i) },
      (_, j) => `${prefix}${i + j}@example.com,Reader${i + j}`,
    );
    await api(p.main.base, "/api/v1/contacts/import", {
      token: org.key,
      raw: ["email,first_name", ...rows].join("\n"),
      contentType: "text/csv",
      timeoutMs: 600_000,
    });
  }
}

/** A dynamic segment of the contacts whose address starts with `prefix`. */
export async function prefixSegment(p, org, prefix) {
  const seg = await api(p.main.base, "/api/v1/segments", {
    token: org.key,
    body: {
      name: `starts with ${prefix}`,
      type: "dynamic",
      criteria: { logic: "and", conditions: [{ field: "email", operator: "starts_with", value: prefix }] },
    },
    expect: 201,
  });
  return seg.id;
}

export async function scenario(p, org, provider, steps) {
  const s = await api(p.main.base, "/api/v1/scenarios", {
    token: org.key,
    body: { name: `bench ${provider}`, from_email: "news@sender.example", provider },
    expect: 201,
  });
  await api(p.main.base, `/api/v1/scenarios/${s.id}/steps`, {
    token: org.key,
    method: "PUT",
    body: { steps },
  });
  return s.id;
}

export const startScenario = (p, org, id) =>
  api(p.main.base, `/api/v1/scenarios/${id}/start`, { token: org.key, method: "POST", timeoutMs: 600_000 });

/**
 * Wait until the platform is idle: no counter moved for `quietMs` and every queued message was
 * deleted (or, with delayed messages still waiting, nothing moved for 15 s). Bounded by `timeoutMs`.
 */
export async function settle(p, { quietMs = 3000, timeoutMs = 120_000 } = {}) {
  let last = await metrics(p);
  let quietSince = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < timeoutMs / 500 + 1 && Date.now() < deadline; i++) {
    await sleep(500);
    const now = await metrics(p);
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

export const stepCount = (p, scenarioId, step) =>
  query(p, "SELECT count(*) AS n FROM messages WHERE scenario_id = ? AND step_order = ?", scenarioId, step)[0]
    .n;

/**
 * The messages of a step with the tracking links of their raw MIME. The raw copy lives in the R2
 * archive (encrypted per message), so it is read through GET /api/v1/messages/:id, with the
 * operator token in X-Bench-Unmetered so that these look-ups are not counted as platform work.
 */
export async function sentMessages(p, org, scenarioId, step) {
  const rows = query(
    p,
    "SELECT id, external_id, sent_at FROM messages WHERE scenario_id = ? AND step_order = ? ORDER BY id",
    scenarioId,
    step,
  );
  return pool(rows, CONCURRENCY, async (m) => {
    const full = await api(p.main.base, `/api/v1/messages/${m.id}`, {
      token: org.key,
      headers: { "X-Bench-Unmetered": p.run.admin },
    });
    return {
      id: m.id,
      external_id: m.external_id,
      sent_at: Number(m.sent_at),
      urls: trackingUrls(full.raw ?? ""),
    };
  });
}

/**
 * The events a share of readers cause, through the paths they take in production: the provider's
 * delivery report (POST /api/v1/email-events, one per call, as SNS posts them), the open pixel and
 * the tracked link of the message itself (GET /t/o, /t/c with a browser's User-Agent).
 */
export async function simulateEvents(p, org, messages) {
  const n = messages.length;
  const openers = messages.slice(0, Math.round(n * SHARES.opened));
  const clickers = messages.slice(0, Math.round(n * SHARES.clicked));
  let failures = 0;
  await pool(messages, CONCURRENCY, async (m) => {
    const res = await fetch(`${p.main.base}/api/v1/email-events`, {
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

/** Emails/s from the start to the n-th provider call, and the steady rate between the 10th and 90th percentile calls. */
export function rates(stats, t0, n) {
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

/** Usage per email from the metrics counters (a broadcast or one large send). */
export const perEmail = (usage, emails, cpuMs) => ({
  d1RowsWrittenPerEmail: usage.d1RowsWritten / emails,
  doRowsWrittenPerEmail: usage.doRowsWritten / emails,
  queueOpsPerEmail: (usage.queueWrites + usage.queueReads + usage.queueDeletes) / emails,
  doRequestsPerEmail: usage.doRequests / emails,
  cpuMsPerEmailUpperBound: cpuMs / emails,
});

/** The floor of a send path: a bare queue -> fetch consumer making n calls to the SES stand-in. */
export async function baselineRates(p, n, timeoutMs) {
  await p.ses.reset();
  const b0 = Date.now();
  await api(p.baselineQueue.base, `/enqueue?n=${n}`, { method: "POST" });
  await waitFor(`${n} SES calls from the baseline consumer`, async () => (await p.ses.stats()).count >= n, {
    timeoutMs,
    intervalMs: 250,
  });
  return rates(await p.ses.stats(), b0, n);
}
