import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          ADMIN_TOKEN: "test-admin-token-0123456789",
          ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcy1sb25nIQ==",
          PUBLIC_BASE_URL: "https://mail.example.test",
          // A second database, for the organization-to-database routing (db/route.ts).
          D1_SHARDS: "DB_SHARD_1",
          INBOUND_FALLBACK_TO: "postmaster@company.example",
        },
        d1Databases: { DB_SHARD_1: "edge-mail-shard-1" },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    // Starts the aws-ses-v2-local SES emulator; tests read its port with inject("sesLocalPort").
    globalSetup: ["./test/global-setup-ses.ts"],
    // The log provider prints a line per stored message for `npm start`; in the suite that is a
    // few thousand lines that hide what matters.
    onConsoleLog: (log: string) => !log.startsWith("[log provider] stored"),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
}));
