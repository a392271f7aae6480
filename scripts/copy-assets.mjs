#!/usr/bin/env node
// postinstall: copy swagger-ui's bundle and stylesheet from node_modules into public/docs, which
// wrangler serves as static assets ([assets] in wrangler.toml), so /docs needs no CDN. The copies
// are not committed (.gitignore); `npm install` / `npm ci` makes them.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("swagger-ui-dist/package.json"));
const out = join("public", "docs", "swagger-ui");
mkdirSync(out, { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  const from = join(dist, f);
  if (existsSync(from)) copyFileSync(from, join(out, f));
}
console.log(`swagger-ui ${require("swagger-ui-dist/package.json").version} copied to ${out}`);
