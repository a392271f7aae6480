/**
 * Stand-in for `zod` in the Worker bundle (wrangler.toml [alias]): the same modules, minus the 40
 * locales the platform never loads (364 KB of the bundle). @hono/zod-openapi hands the whole `z`
 * namespace to extendZodWithOpenApi, so esbuild keeps every export of it, `z.locales` and
 * `z.core.locales` included; here both hold English only. The export lists copy zod 4.6's
 * index.js, classic/external.js and core/index.js (test/platform/bundle-shims.test.ts compares them with zod's
 * own, so an upgrade that adds an export fails the suite instead of the bundle).
 */
import * as z from "./zod-external";

export * from "./zod-external";
export { z, z as default };
