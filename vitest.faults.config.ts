import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/** `npm run test:faults`: the fault-injection suite (test/faults), same runtime as `npm test`. */
export default defineConfig(async (env) => {
  // biome-ignore lint/suspicious/noExplicitAny: vitest merges a plain config object.
  const config = await (base as unknown as (e: typeof env) => Promise<Record<string, any>>)(env);
  return {
    ...config,
    test: { ...config.test, include: ["test/faults/**/*.faults.ts"], testTimeout: 1_800_000 },
  };
});
