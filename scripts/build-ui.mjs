#!/usr/bin/env node
// Browser code, built from npm packages into hashed static files (run by `npm install` through
// postinstall, and by `npm start` before wrangler dev): the journey editor (web/journey: preact,
// @xyflow/react through preact/compat, dagre) and the block editor (web/designer: preact) into
// public/static/<name>.<hash>.js and .css, served by the [assets] of wrangler.toml. The Worker
// learns the names from src/ui/assets/bundles.gen.ts, written here. No CDN: everything comes from
// node_modules.
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

/** One editor: its entry bundled and minified, its CSS (after any from packages) minified. */
async function bundle(name, extraCss = []) {
  const js = await build({
    entryPoints: [`web/${name}/main.tsx`],
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
  const source = [
    ...extraCss.map((f) => readFileSync(f, "utf8")),
    readFileSync(`web/${name}/style.css`, "utf8"),
  ];
  const css = (await transform(source.join("\n"), { loader: "css", minify: true })).code;
  const old = new RegExp(`^${name}\\.[0-9a-f]{12}\\.(js|css)$`);
  for (const f of readdirSync(out)) if (old.test(f)) rmSync(join(out, f));
  const files = { js: `${name}.${hash(code)}.js`, css: `${name}.${hash(css)}.css` };
  writeFileSync(join(out, files.js), code);
  writeFileSync(join(out, files.css), css);
  console.log(`${name} editor built: ${files.js} (${Math.round(code.length / 1024)} KB), ${files.css}`);
  return files;
}

const journey = await bundle("journey", [require.resolve("@xyflow/react/dist/style.css")]);
const designer = await bundle("designer");
const entry = (f) => `{ js: "/static/${f.js}", css: "/static/${f.css}" }`;
writeFileSync(
  join("src", "ui", "assets", "bundles.gen.ts"),
  `// Written by scripts/build-ui.mjs (npm install, npm start): the hashed browser bundles. Not committed.
export const BUNDLES = {
  journey: ${entry(journey)},
  designer: ${entry(designer)},
} as const;
`,
);
