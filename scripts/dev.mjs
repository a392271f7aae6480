#!/usr/bin/env node
// `npm start`: local platform on http://localhost:8787 — wrangler dev (workerd) with local D1,
// Queues, Durable Objects, the `log` email provider, and a cron ticker (Miniflare does not fire
// cron triggers by itself, so this script calls /__scheduled on the wrangler.toml schedules).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { matchesCron } from "./cron-match.mjs";

const PORT = Number(process.env.PORT ?? 8787);
// Where local D1, queues and Durable Objects keep their state (the browser tests use their own).
const persist = process.env.PERSIST_TO ? ["--persist-to", process.env.PERSIST_TO] : [];
const BASE = `http://localhost:${PORT}`;

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

// 2. Local D1: apply the pending migrations in one quiet step (wrangler prints a table per
// migration; a newcomer needs one line, and the whole output only when something failed).
const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", ...persist], {
  encoding: "utf8",
  env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
});
if (migrate.status !== 0) {
  process.stdout.write(migrate.stdout ?? "");
  process.stderr.write(migrate.stderr ?? "");
  console.error("Applying the D1 migrations failed (output above).");
  process.exit(migrate.status ?? 1);
}
const total = readdirSync("migrations").filter((f) => f.endsWith(".sql")).length;
const applied = /About to apply (\d+) migration/.exec(migrate.stdout ?? "")?.[1];
console.log(
  applied
    ? `Local D1: applied ${applied} migration(s); ${total} in all.`
    : `Local D1: up to date (${total} migrations).`,
);

// 2b. The browser bundles (the journey editor), rebuilt from web/ so a change there shows on reload.
const ui = spawnSync("node", ["scripts/build-ui.mjs"], { encoding: "utf8" });
if (ui.status !== 0) {
  process.stderr.write(ui.stderr ?? "");
  console.error("Building the browser bundles failed (output above).");
  process.exit(ui.status ?? 1);
}
process.stdout.write(ui.stdout ?? "");

// 3. wrangler dev. Its output passes through this script, so that the getting-started block can
// be printed after wrangler's own start-up lines (the bindings table), not scrolled away by them.
const dev = spawn(
  "npx",
  [
    "wrangler",
    "dev",
    "--port",
    String(PORT),
    "--test-scheduled",
    "--show-interactive-dev-session=false",
    ...persist,
    // Tracking, unsubscribe and webhook links are built on PUBLIC_BASE_URL: keep it on this port.
    ...(PORT !== 8787 ? ["--var", `PUBLIC_BASE_URL:${BASE}`] : []),
    ...process.argv.slice(2),
  ],
  {
    // Its own process group, ended as a whole: npx, wrangler and workerd stop together.
    detached: true,
    stdio: ["inherit", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : (process.env.FORCE_COLOR ?? "0") },
  },
);
let lastOutputAt = Date.now();
dev.stdout.on("data", (d) => {
  lastOutputAt = Date.now();
  process.stdout.write(d);
});
dev.stderr.on("data", (d) => {
  lastOutputAt = Date.now();
  process.stderr.write(d);
});
const stop = () => {
  try {
    process.kill(-dev.pid, "SIGINT");
  } catch {}
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
process.on("exit", stop);
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
/** Wait until wrangler has said what it says at start-up (1 s without output, 15 s at most). */
async function waitForQuiet() {
  for (let i = 0; i < 150 && Date.now() - lastOutputAt < 1000; i++)
    await new Promise((r) => setTimeout(r, 100));
}
if (await waitForHealth()) {
  await waitForQuiet();
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
