declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** The second local database of the routing tests (vitest.config.ts). */
    DB_SHARD_1: D1Database;
    D1_SHARDS: string;
  }
}
