// Ad-hoc: start the platform, build a journey by API, open the scenario page under the real CSP, screenshot.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
const PORT = 8798, BASE = `http://localhost:${PORT}`;
rmSync("/tmp/try-state", { recursive: true, force: true });
mkdirSync("/tmp/shots", { recursive: true });
const server = spawn(process.execPath, ["scripts/dev.mjs"], { env: { ...process.env, PORT: String(PORT), PERSIST_TO: "/tmp/try-state" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
let log = ""; server.stdout.on("data", (d) => (log += d)); server.stderr.on("data", (d) => (log += d));
const stop = () => { try { process.kill(-server.pid, "SIGINT"); } catch {} };
try {
  for (let i = 0; i < 180; i++) { try { if ((await fetch(`${BASE}/health`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 1000)); }
  const admin = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))[1].trim();
  const api = async (path, { key, body, method } = {}) => {
    const res = await fetch(`${BASE}${path}`, { method: method ?? (body ? "POST" : "GET"), headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text(); if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`); return text ? JSON.parse(text) : null;
  };
  const org = await api("/api/v1/admin/organizations", { key: admin, body: { name: "Try" } });
  const key = org.api_key;
  const a = await api("/api/v1/templates", { key, body: { name: "Welcome", subject: "Hi", html: "<p>Hi</p>" } });
  const b = await api("/api/v1/templates", { key, body: { name: "Reminder", subject: "Still there?", html: "<p>Hey</p>" } });
  const s = await api("/api/v1/scenarios", { key, body: { name: "Click journey", from_email: "hi@shop.example", provider: "log", send_window_start: "00:00", send_window_end: "24:00" } });
  await api(`/api/v1/scenarios/${s.id}/flow`, { key, method: "PUT", body: { entry: { type: "manual" }, start: "welcome", nodes: [
    { id: "welcome", type: "email", template_id: a.id, next: "clicked" },
    { id: "clicked", type: "wait_for", event: "clicked", within: { days: 2 }, yes: "tag", no: "reminder" },
    { id: "tag", type: "action", action: { type: "add_tag", config: { tag: "engaged" } } },
    { id: "reminder", type: "email", template_id: b.id } ] } });
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await api("/api/v1/contacts", { key, body: { email: `p${i}@example.com` } })).id);
  await api(`/api/v1/scenarios/${s.id}/start`, { key, method: "POST" });
  console.log(await api(`/api/v1/scenarios/${s.id}/enroll`, { key, body: { contact_ids: ids } }));
  await new Promise((r) => setTimeout(r, 4000));
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] }).catch(async () => {
    const { default: p } = await import("@sparticuz/chromium"); return chromium.launch({ executablePath: await p.executablePath(), args: ["--no-sandbox"] }); });
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  page.on("console", (m) => console.log("console:", m.type(), m.text()));
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  await page.goto(`${BASE}/app/login`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in with the key" }).click();
  await page.waitForURL(`${BASE}/app`);
  await page.goto(`${BASE}/app/scenarios/${s.id}`, { waitUntil: "networkidle" });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: "/tmp/shots/scenario.png", fullPage: true });
  console.log("nodes:", await page.locator(".react-flow [data-node-id]").count(), await page.locator('.react-flow [data-node-id="welcome"]').textContent());
  console.log(await page.locator('.react-flow__handle').first().evaluate((e) => e.outerHTML));
  console.log(await page.locator('.react-flow__edge').first().evaluate((e) => e.outerHTML.slice(0, 300)));
  console.log(await page.locator('.react-flow__node').first().evaluate((e) => e.outerHTML.slice(0, 300)));
  await browser.close();
} catch (e) { console.error(e); console.error(log.slice(-3000)); } finally { stop(); }
