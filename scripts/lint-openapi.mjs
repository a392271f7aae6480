#!/usr/bin/env node
// `npm run lint:openapi` (CI): build the Hono app for Node with esbuild, ask it for /openapi.json
// exactly as the Worker serves it, and lint the document with Redocly's recommended rules. Any
// error fails; warnings are printed. The document is also written to .ci/out/openapi.json.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const out = join(mkdtempSync(join(tmpdir(), "edge-mail-openapi-")), "app.mjs");
await build({
  entryPoints: [join(root, "src/app.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: out,
  // ESM builds first: a CJS build would `require` Node built-ins, which an ESM bundle cannot.
  mainFields: ["module", "main"],
  logLevel: "error",
  external: ["cloudflare:*"],
});
const { createApp } = await import(pathToFileURL(out).href);
const env = {
  ADMIN_TOKEN: "openapi-lint-admin-token-0123456789",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  PUBLIC_BASE_URL: "https://mail.edge-mail.dev",
};
const res = await createApp().request("/openapi.json", {}, env);
if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
const source = await res.text();
mkdirSync(join(root, ".ci/out"), { recursive: true });
writeFileSync(join(root, ".ci/out/openapi.json"), source);

const config = await createConfig({ extends: ["recommended"] });
const problems = await lintFromString({ source, absoluteRef: "openapi.json", config });
const errors = problems.filter((p) => p.severity === "error");
for (const p of problems)
  console.log(`${p.severity} ${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer ?? ""})`);
const doc = JSON.parse(source);
const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(
  `openapi lint (redocly recommended): ${operations} operations, ${errors.length} errors, ${problems.length - errors.length} warnings`,
);
process.exit(errors.length ? 1 : 0);
