#!/usr/bin/env node
// Browser tests: Playwright (playwright-core) driving Chromium (the system's, or the one in the
// @sparticuz/chromium package) against the platform as
// `npm start` runs it (scripts/dev.mjs: wrangler dev, local D1/queues/Durable Objects, the log
// provider), on its own port and state directory. axe-core checks every page visited; screenshots
// of every page at desktop and phone width go to .ci/out/screenshots/.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { designerJourney } from "./designer-journey.mjs";
import { journeys as earlier } from "./journeys.mjs";

const journeys = [...earlier, designerJourney];

const require = createRequire(import.meta.url);
const PORT = Number(process.env.E2E_PORT ?? 8797);
const BASE = `http://localhost:${PORT}`;
const STATE = ".ci/out/e2e-state";
const SHOTS = ".ci/out/screenshots";
const CHROMIUM = await findChromium();

/**
 * The browser: CHROMIUM_PATH when set, else the system Chromium, else the one shipped inside the
 * npm package @sparticuz/chromium (a registry package with the binary in it: nothing downloaded at
 * install; it unpacks itself to the temp directory on first use).
 */
async function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const system = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
  if (system) return system;
  const { default: packaged } = await import("@sparticuz/chromium");
  const path = await packaged.executablePath();
  console.log(`  browser: Chromium from @sparticuz/chromium (${path}); set CHROMIUM_PATH to use another`);
  return path;
}

rmSync(STATE, { recursive: true, force: true });
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });
// A DNS-over-HTTPS stand-in (the JSON API): the domain journey publishes its records in `dns`.
const dns = {};
const doh = createServer((req, res) => {
  const name = new URL(req.url, "http://doh").searchParams.get("name") ?? "";
  const Answer = (dns[name] ?? []).map((d) => ({ name: `${name}.`, type: 16, TTL: 60, data: `"${d}"` }));
  res.writeHead(200, { "content-type": "application/dns-json" }).end(JSON.stringify({ Status: 0, Answer }));
});
await new Promise((r) => doh.listen(0, "127.0.0.1", r));
const DOH_ENDPOINT = `http://127.0.0.1:${doh.address().port}/dns-query`;
const server = spawn(process.execPath, ["scripts/dev.mjs", "--var", `DOH_ENDPOINT:${DOH_ENDPOINT}`], {
  env: { ...process.env, PORT: String(PORT), PERSIST_TO: STATE },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let serverLog = "";
server.stdout.on("data", (d) => (serverLog += d));
server.stderr.on("data", (d) => (serverLog += d));
const stopServer = () => {
  try {
    process.kill(-server.pid, "SIGINT");
  } catch {}
};

async function waitForHealth() {
  for (let i = 0; i < 180; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the platform did not start on ${BASE}:\n${serverLog.slice(-3000)}`);
}

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeFindings = [];
/** axe-core on the page as it stands: serious and critical violations are failures. */
async function checkA11y(page, label) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  for (const v of result)
    if (v.impact === "serious" || v.impact === "critical") axeFindings.push({ page: label, ...v });
}

let failures = 0;

/** A full-page screenshot once the page has settled; one retry (Chromium sometimes refuses the first capture). */
async function shoot(page, path, file) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(`${BASE}${path}`, { waitUntil: "networkidle" });
      await page.screenshot({ path: file, fullPage: true });
      return;
    } catch (e) {
      if (attempt >= 3) {
        failures++;
        console.error(`  × screenshot of ${path}: ${e.message.split("\n")[0]}`);
        return;
      }
    }
  }
}
let browser;
try {
  await waitForHealth();
  const adminToken = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim();
  const api = async (path, { key, body, method } = {}) => {
    const res = await fetch(`${BASE}${path}`, {
      method: method ?? (body ? "POST" : "GET"),
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  // bypassCSP lets axe-core be injected; the pages themselves are served under the strict CSP.
  const desktop = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
    locale: "en-GB",
  });
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    bypassCSP: true,
    locale: "fr-FR",
  });
  const visited = new Set();
  const ctx = {
    BASE,
    adminToken,
    /** Set by the first journey, which creates the organization from the sign-in page. */
    key: null,
    api,
    dns,
    log: () => serverLog,
    async visit(page, path) {
      await page.goto(`${BASE}${path}`);
      visited.add(new URL(page.url()).pathname);
      await checkA11y(page, new URL(page.url()).pathname);
    },
    /** A page reached by a form post (a wizard's step): axe on it and its screenshot now, by name. */
    async look(page, name) {
      await checkA11y(page, name);
      await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
    },
  };
  const page = await desktop.newPage();
  page.on("pageerror", (e) => {
    failures++;
    console.error(`  page error on ${page.url()}: ${e.message}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.url().startsWith(BASE) && !r.url().includes("/login/"))
      console.error(`  ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on("console", (m) => {
    // A page answered 4xx on purpose (a used sign-in link, a 404) is logged above, not a failure;
    // a script, a stylesheet or a fetch that fails is.
    const resource = m.text().startsWith("Failed to load resource");
    const asset = /\/assets\//.test(m.location()?.url ?? "");
    if (m.type() === "error" && (!resource || asset)) {
      failures++;
      console.error(`  console error on ${page.url()}: ${m.text()}`);
    }
  });
  // E2E_ONLY=<regex> runs the journeys it matches after the two that sign in (while writing one).
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const [name, run] of journeys) {
    if (only && !only.test(name) && !/^(first run|sign in with an API key)/.test(name)) continue;
    const t0 = Date.now();
    try {
      await run(page, ctx);
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failures++;
      console.error(`  × ${name}: ${e.stack ?? e}`);
      await page
        .screenshot({ path: `${SHOTS}/failed-${name.replace(/\W+/g, "-")}.png`, fullPage: true })
        .catch(() => {});
    }
  }
  // Every page visited, at both widths: a screenshot each, and axe on the phone layout too.
  const cookies = await desktop.cookies();
  await phone.addCookies(cookies.filter((c) => c.name === "em_session"));
  const phonePage = await phone.newPage();
  for (const path of [...visited].sort()) {
    // Ids become "detail": contacts-detail, scenarios-detail ...
    const name =
      path
        .replace(/^\/app\/?/, "")
        .replace(/[a-z]+_[0-9a-f]{16,}/g, "detail")
        .replace(/[^a-z0-9]+/gi, "-")
        .replace(/-$/, "") || "dashboard";
    await shoot(page, path, `${SHOTS}/${name}-desktop.png`);
    await shoot(phonePage, path, `${SHOTS}/${name}-phone.png`);
    await checkA11y(phonePage, `${path} (phone)`);
  }
  console.log(`  screenshots: ${visited.size} pages x 2 widths in ${SHOTS}/`);
  if (axeFindings.length) {
    failures++;
    console.error("  × axe-core: serious or critical violations");
    for (const f of axeFindings)
      console.error(`    ${f.page}: ${f.id} (${f.impact}, ${f.nodes} nodes): ${f.help}`);
  } else
    console.log(`  ✓ axe-core: no serious or critical violation on ${visited.size} pages, desktop and phone`);
} catch (e) {
  failures++;
  console.error(e.stack ?? e);
} finally {
  await browser?.close().catch(() => {});
  stopServer();
}
console.log(failures ? `e2e: ${failures} failure(s)` : "e2e: all browser journeys passed");
assert.ok(true);
process.exit(failures ? 1 : 0);
