import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** Port of the aws-ses-v2-local emulator started for this run (127.0.0.1). */
    sesLocalPort: number;
  }
}

type StartEmulator = (config?: { host?: string; port?: number }) => Promise<import("node:http").Server>;

/**
 * vitest globalSetup (runs in Node, once per run): start aws-ses-v2-local on a free loopback port,
 * an SES v2 emulator independent of our code, and hand its port to the tests (`inject("sesLocalPort")`).
 */
export default async function setup(project: TestProject) {
  const mod = (await import("aws-ses-v2-local")) as { default: StartEmulator | { default: StartEmulator } };
  const start = typeof mod.default === "function" ? mod.default : mod.default.default;
  const server = await start({ host: "127.0.0.1", port: 0 });
  project.provide("sesLocalPort", (server.address() as AddressInfo).port);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
