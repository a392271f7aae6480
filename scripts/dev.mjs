#!/usr/bin/env node
// `npm start`: local platform on http://localhost:8787 — wrangler dev (workerd) with local D1,
// Queues, Durable Objects, the `log` email provider, and a cron ticker (Miniflare does not fire
// cron triggers by itself, so this script calls /__scheduled on the wrangler.toml schedules).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { matchesCron } from "./cron-match.mjs";

const PORT = Number(process.env.PORT ?? 8787);
// Where local D1, queues and Durable Objects keep their state (the browser tests use their own).
const persist = process.env.PERSIST_TO ? ["--persist-to", process.env.PERSIST_TO] : [];
const BASE = `http://localhost:${PORT}`;
const wrangler = (args, opts = {}) => spawnSync("npx", ["wrangler", ...args], { stdio: "inherit", ...opts });

// 1. Local secrets: .dev.vars from .dev.vars.example with fresh random values.
if (!existsSync(".dev.vars")) {
  const example = readFileSync(".dev.vars.example", "utf8");
  const filled = example
    .replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${randomBytes(24).toString("base64url")}`)
    .replace(/^ENCRYPTION_KEY=.*$/m, `ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`);
  writeFileSync(".dev.vars", filled, { mode: 0o600 });
  console.log("Created .dev.vars with a new local ADMIN_TOKEN and ENCRYPTION_KEY.");
}
const adminToken = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim();

// 2. Local D1: apply migrations (idempotent).
const migrate = wrangler(["d1", "migrations", "apply", "DB", "--local", ...persist], {
  env: { ...process.env, CI: "true" },
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// 3. wrangler dev.
const dev = spawn(
  "npx",
  [
    "wrangler",
    "dev",
    "--port",
    String(PORT),
    "--test-scheduled",
    ...persist,
    // Tracking, unsubscribe and webhook links are built on PUBLIC_BASE_URL: keep it on this port.
    ...(PORT !== 8787 ? ["--var", `PUBLIC_BASE_URL:${BASE}`] : []),
    ...process.argv.slice(2),
  ],
  {
    stdio: "inherit",
  },
);
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

// 4. Once up, say how to begin; then tick the crons every minute.
const crons = JSON.parse(/crons\s*=\s*(\[[^\]]*\])/.exec(readFileSync("wrangler.toml", "utf8"))?.[1] ?? "[]");
async function waitForHealth() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}
if (await waitForHealth()) {
  console.log(`
  edge-mail is running on ${BASE}  (web UI: ${BASE}/app, API docs: ${BASE}/docs)
  Create your first organization and API key:

    curl -s -X POST ${BASE}/api/v1/admin/organizations \\
      -H "Authorization: Bearer ${adminToken}" -H "Content-Type: application/json" \\
      -d '{"name":"My company"}'

  then sign in at ${BASE}/app/login with the api_key it answers.
`);
  const tick = async () => {
    const at = new Date();
    for (const cron of crons) {
      if (!matchesCron(cron, at)) continue;
      fetch(`${BASE}/__scheduled?cron=${encodeURIComponent(cron)}`).catch((e) =>
        console.error(`cron ${cron}: ${e.message}`),
      );
    }
  };
  // Align to the start of each minute, like the real scheduler.
  setTimeout(
    () => {
      tick();
      setInterval(tick, 60_000);
    },
    60_000 - (Date.now() % 60_000),
  );
}
