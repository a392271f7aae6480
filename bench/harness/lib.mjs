// Shared helpers for `npm run bench`: wrangler dev processes, HTTP calls, waiting, statistics.
// Every loop here is bounded in count and time; every address is loopback.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const HOST = "127.0.0.1";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it answers a truthy value; throws after `timeoutMs` (bounded by time and count). */
export async function waitFor(label, fn, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const maxPolls = Math.ceil(timeoutMs / intervalMs) + 1;
  let last;
  for (let i = 0; i < maxPolls && Date.now() <= deadline; i++) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${label}${last instanceof Error ? `: ${last.message}` : ""}`,
  );
}

/** `npx wrangler ...` synchronously (migrations); throws on failure with its output. */
export function wranglerSync(args, { cwd = ROOT } = {}) {
  const r = spawnSync("npx", ["wrangler", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Start `wrangler dev` (workerd) on 127.0.0.1:port in its own process group, logging to `logFile`.
 * Resolves once `readyPath` answers; `stop()` ends the group by its id.
 */
export async function startWrangler({
  name,
  config,
  port,
  inspectorPort,
  persistTo,
  vars = {},
  logFile,
  readyPath = "/",
  timeoutMs = 120_000,
}) {
  const args = [
    "wrangler",
    "dev",
    "--config",
    config,
    "--ip",
    HOST,
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    process.env.BENCH_LOG_LEVEL ?? "warn",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn("npx", args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      CI: "true",
      WRANGLER_SEND_METRICS: "false",
      NO_COLOR: "1",
      // wrangler dev's local trace store (every invocation and object call written to a SQLite file
      // in the same workerd process: 1.2 GB in a 100,000-recipient journey) is dev tooling, not the
      // platform; BENCH_LOCAL_TRACES=1 keeps it on.
      X_LOCAL_OBSERVABILITY: process.env.BENCH_LOCAL_TRACES === "1" ? "true" : "false",
    },
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on("exit", (code) => {
    exited = code ?? -1;
  });
  const base = `http://${HOST}:${port}`;
  const server = {
    name,
    base,
    pid: child.pid,
    /** workerd processes under this wrangler (for CPU time). */
    workerdPids: () => descendants(child.pid).filter((p) => commOf(p) === "workerd"),
    /** Synchronous last resort (process exit): kill the whole group. */
    kill() {
      if (exited !== null) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    },
    async stop() {
      if (exited !== null) return;
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {}
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    },
  };
  try {
    await waitFor(
      `${name} on ${base}`,
      async () => {
        if (exited !== null) throw new Error(`wrangler exited with ${exited}; see ${logFile}`);
        const res = await fetch(`${base}${readyPath}`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return res.status < 500;
      },
      { timeoutMs, intervalMs: 500 },
    );
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function descendants(pid, depth = 0) {
  if (depth > 10) return [];
  const out = [];
  for (const c of childrenOf(pid)) out.push(c, ...descendants(c, depth + 1));
  return out;
}

function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** CPU milliseconds (user + system) used so far by these processes. */
export function cpuMsOf(pids) {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
    } catch {}
  }
  return total;
}

/** JSON over HTTP; throws with the body when the status is not `expect`. */
export async function api(
  base,
  path,
  { method, token, body, raw, contentType, expect = 200, timeoutMs = 120_000, headers: extra = {} } = {},
) {
  const headers = { ...extra };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers["Content-Type"] = contentType ?? "text/plain";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(`${base}${path}`, {
    method: method ?? (payload !== undefined ? "POST" : "GET"),
    headers,
    body: payload,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (expect !== null && res.status !== expect)
    throw new Error(
      `${method ?? "GET"} ${path}: expected ${expect}, got ${res.status}: ${text.slice(0, 500)}`,
    );
  return text ? JSON.parse(text) : null;
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

export function quantile(sorted, q) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Median, min and max of several runs' values (nulls ignored). */
export function summary(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { median: null, min: null, max: null, runs: [] };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], runs: values };
}

/** The local D1 SQLite file under a persist dir (miniflare layout), for read-only harness queries. */
export function d1File(persistTo) {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  return files.length === 1 ? join(dir, files[0]) : null;
}
