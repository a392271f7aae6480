#!/usr/bin/env node
// Browser code, built from npm packages into hashed static files (run by `npm install` through
// postinstall, and by `npm start` before wrangler dev): the journey editor (web/journey: preact,
// @xyflow/react through preact/compat, dagre) into public/static/journey.<hash>.js and .css,
// served by the [assets] of wrangler.toml. The Worker learns the names from
// src/ui/assets/bundles.gen.ts, written here. No CDN: everything comes from node_modules.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build, transform } from "esbuild";

const require = createRequire(import.meta.url);
const out = join("public", "static");
mkdirSync(out, { recursive: true });
const hash = (s) => createHash("sha256").update(s).digest("hex").slice(0, 12);

const preactCompat = dirname(require.resolve("preact/compat/package.json"));
const js = await build({
  entryPoints: ["web/journey/main.tsx"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  write: false,
  jsx: "automatic",
  jsxImportSource: "preact",
  alias: {
    react: preactCompat,
    "react-dom": preactCompat,
    "react/jsx-runtime": "preact/jsx-runtime",
  },
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "eof",
  logLevel: "warning",
});
const code = js.outputFiles[0].text;
const flowCss = readFileSync(require.resolve("@xyflow/react/dist/style.css"), "utf8");
const css = (
  await transform(`${flowCss}\n${readFileSync("web/journey/style.css", "utf8")}`, {
    loader: "css",
    minify: true,
  })
).code;

for (const f of readdirSync(out)) if (/^journey\.[0-9a-f]{12}\.(js|css)$/.test(f)) rmSync(join(out, f));
const jsName = `journey.${hash(code)}.js`;
const cssName = `journey.${hash(css)}.css`;
writeFileSync(join(out, jsName), code);
writeFileSync(join(out, cssName), css);
writeFileSync(
  join("src", "ui", "assets", "bundles.gen.ts"),
  `// Written by scripts/build-ui.mjs (npm install, npm start): the hashed browser bundles. Not committed.
export const BUNDLES = {
  journey: { js: "/static/${jsName}", css: "/static/${cssName}" },
} as const;
`,
);
console.log(`journey editor built: ${jsName} (${Math.round(code.length / 1024)} KB), ${cssName}`);
