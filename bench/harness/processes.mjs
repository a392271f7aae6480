// The processes a bench run needs: the platform (bundled once), the two baselines and the SES-like
// server, each on a loopback port, and their cleanup, which also runs when the run fails or is
// interrupted, so that no server is left listening for the next run.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { config } from "./config.mjs";
import { api, HOST, ROOT, sleep, startWrangler, waitFor, wranglerSync } from "./lib.mjs";

const { PORTS, INSPECT, REF } = config;

/** One bench run: its state directory, operator token and the vars the platform runs with. */
export function newRun(started) {
  const runId = started.toISOString().replace(/[:.]/g, "-");
  const state = join(config.STATE_DIR ? resolve(config.STATE_DIR) : join(ROOT, "bench"), `.state-${runId}`);
  const logs = join(state, "logs");
  mkdirSync(logs, { recursive: true });
  const admin = `bench-${randomBytes(18).toString("base64url")}`;
  return {
    started,
    state,
    logs,
    admin,
    mainPersist: join(state, "main"),
    baselinePersist: join(state, "baseline"),
    vars: {
      METERING: "on",
      ADMIN_TOKEN: admin,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      PUBLIC_BASE_URL: `http://${HOST}:${PORTS.main}`,
      SES_ENDPOINT: `http://${HOST}:${PORTS.ses}`,
    },
    children: [],
  };
}

let cleaning = null;
/** Stop every process the run started (last first) and remove its state unless asked to keep it. */
export function cleanup(run) {
  cleaning ??= (async () => {
    for (const c of [...run.children].reverse()) await c.stop().catch(() => undefined);
    if (!config.KEEP_STATE) rmSync(run.state, { recursive: true, force: true });
  })();
  return cleaning;
}

/** Cleanup on Ctrl-C and on termination, and a last synchronous kill if the process exits anyway. */
export function cleanupOnExit(run) {
  for (const sig of ["SIGINT", "SIGTERM"])
    process.on(sig, () => {
      cleanup(run).finally(() => process.exit(130));
    });
  process.on("exit", () => {
    for (const c of run.children) c.kill?.();
  });
}

function startSesServer(run) {
  const child = spawn(
    process.execPath,
    [join(ROOT, "bench", "harness", "ses-server.mjs"), String(PORTS.ses)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let exited = false;
  let failure = null;
  child.on("exit", () => {
    exited = true;
  });
  child.on("error", (e) => {
    failure = e;
  });
  const server = {
    base: `http://${HOST}:${PORTS.ses}`,
    get failure() {
      return (
        failure ?? (exited ? new Error(`ses-server exited: is port ${PORTS.ses} in use (BENCH_PORT)?`) : null)
      );
    },
    kill: () => {
      if (!exited) child.kill("SIGKILL");
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      for (let i = 0; i < 30 && !exited; i++) await sleep(100);
      server.kill();
    },
    stats: () => api(server.base, "/__stats"),
    reset: () => api(server.base, "/__reset", { method: "POST", expect: 204 }),
  };
  run.children.push(server);
  return server;
}

/**
 * Bundle the platform once (what `wrangler deploy` would upload) and run that bundle: a snapshot of
 * the tree at the start of the run, so edits made while the bench runs do not reload the Worker
 * (which would also reset its in-memory counters). BENCH_REF=<git ref> bundles that commit instead
 * of the working tree (git archive into the state dir; the working tree is not touched).
 *
 * The generated config lives in the state directory, so every path wrangler.toml gives relative to
 * itself (assets, migrations, aliases) is made absolute against the tree it came from.
 */
function buildPlatform(run) {
  let src = ROOT;
  if (REF) {
    src = join(run.state, "src");
    mkdirSync(src, { recursive: true });
    const tar = join(run.state, "src.tar");
    const a = spawnSync("git", ["archive", "--format=tar", "-o", tar, REF], { cwd: ROOT, encoding: "utf8" });
    if (a.status !== 0) throw new Error(`git archive ${REF} failed: ${a.stderr}`);
    const x = spawnSync("tar", ["-xf", tar, "-C", src], { encoding: "utf8" });
    if (x.status !== 0) throw new Error(`tar failed: ${x.stderr}`);
    symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
    // Generated files are not in git: build the browser bundles of that commit, as npm install does.
    if (existsSync(join(src, "scripts", "build-ui.mjs"))) {
      const ui = spawnSync(process.execPath, ["scripts/build-ui.mjs"], { cwd: src, encoding: "utf8" });
      if (ui.status !== 0) throw new Error(`build-ui failed for ${REF}: ${ui.stderr || ui.stdout}`);
    }
  }
  const out = join(run.state, "build");
  wranglerSync(["deploy", "--dry-run", "--outdir", out], { cwd: src });
  const toml = readFileSync(join(src, "wrangler.toml"), "utf8");
  if (!/^main\s*=\s*"src\/index\.ts"\s*$/m.test(toml))
    throw new Error('wrangler.toml: expected main = "src/index.ts"');
  const absolute = (p) => (isAbsolute(p) ? p : join(src, p));
  const rewritten = toml
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(out, "index.js"))}`)
    // Paths relative to wrangler.toml: migrations_dir, [assets] directory, [alias] targets.
    .replace(
      /^(migrations_dir|directory)\s*=\s*"([^"]+)"\s*$/gm,
      (_, k, p) => `${k} = ${JSON.stringify(absolute(p))}`,
    )
    .replace(
      /^("[^"]+"\s*=\s*)"(\.\.?\/[^"]+)"\s*$/gm,
      (_, head, p) => `${head}${JSON.stringify(absolute(p))}`,
    )
    // One bench client stands for many API clients: the per-key limit would only measure itself.
    .replace(
      /(name = "API_RATE_LIMIT"\s+namespace_id = "\d+"\s+simple = \{ limit = )\d+/,
      (_, head) => `${head}1000000`,
    );
  const file = join(run.state, "wrangler.bench.toml");
  writeFileSync(
    file,
    `# Generated by bench/harness/processes.mjs from wrangler.toml: the bundled Worker, not rebuilt on file changes.\nno_bundle = true\n${rewritten}`,
  );
  return file;
}

/** The commit measured, and whether the working tree had changes on top of it. */
export function revision() {
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

/** Everything up: SES stand-in, the platform (migrated), the baseline Worker and baseline queue consumer. */
export async function startAll(run, say) {
  const ses = startSesServer(run);
  await waitFor(
    "ses-server",
    async () => {
      if (ses.failure) throw ses.failure;
      return (await fetch(`${ses.base}/__stats`)).ok;
    },
    { timeoutMs: 10_000 },
  );

  say("bundling the platform (wrangler deploy --dry-run) and applying migrations to fresh local D1s");
  const platformConfig = buildPlatform(run);
  const migrate = (cfg, persist) =>
    wranglerSync(["d1", "migrations", "apply", "DB", "--local", "--config", cfg, "--persist-to", persist]);
  migrate(platformConfig, run.mainPersist);
  migrate("bench/baseline/wrangler.toml", run.baselinePersist);

  say("starting wrangler dev: platform, baseline Worker, baseline queue consumer");
  const start = async (options) => {
    const server = await startWrangler(options);
    run.children.push(server);
    return server;
  };
  const main = await start({
    name: "platform",
    config: platformConfig,
    port: PORTS.main,
    inspectorPort: INSPECT.main,
    persistTo: run.mainPersist,
    vars: run.vars,
    logFile: join(run.logs, "platform.log"),
    readyPath: "/health",
  });
  const baseline = await start({
    name: "baseline",
    config: "bench/baseline/wrangler.toml",
    port: PORTS.baseline,
    inspectorPort: INSPECT.baseline,
    persistTo: run.baselinePersist,
    logFile: join(run.logs, "baseline.log"),
  });
  const baselineQueue = await start({
    name: "baseline-queue",
    config: "bench/baseline-queue/wrangler.toml",
    port: PORTS.baselineQueue,
    inspectorPort: INSPECT.baselineQueue,
    persistTo: join(run.state, "baseline-queue"),
    vars: { SES_ENDPOINT: run.vars.SES_ENDPOINT },
    logFile: join(run.logs, "baseline-queue.log"),
  });
  return { ses, main, baseline, baselineQueue };
}
