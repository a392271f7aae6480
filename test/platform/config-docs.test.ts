/**
 * wrangler.toml and the README agree: every binding, queue, Durable Object class, D1 database,
 * R2 bucket, var, secret and cron of wrangler.toml appears in the README, every cron has jobs,
 * and the local cron ticker (scripts/cron-match.mjs, croner) fires the weekly job on Mondays.
 */
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import devVars from "../../.dev.vars.example?raw";
import { matchesCron } from "../../scripts/cron-match.mjs";
import { CRON_DAILY, CRON_EVERY_5_MIN, CRON_WEEKLY } from "../../src/cron";
import wrangler from "../../wrangler.toml?raw";

const all = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m[1] as string);

describe("wrangler.toml is documented", () => {
  it("every binding, queue, class, database, bucket, var and secret is named in the README", () => {
    const names = new Set([
      ...all(/^\s*binding\s*=\s*"([^"]+)"/gm, wrangler),
      ...all(/^\s*name\s*=\s*"([A-Z_]+)"/gm, wrangler),
      ...all(/^\s*queue\s*=\s*"([^"]+)"/gm, wrangler),
      ...all(/^\s*dead_letter_queue\s*=\s*"([^"]+)"/gm, wrangler),
      ...all(/^\s*class_name\s*=\s*"([^"]+)"/gm, wrangler),
      ...all(/^\s*database_name\s*=\s*"([^"]+)"/gm, wrangler),
      ...all(/^\s*bucket_name\s*=\s*"([^"]+)"/gm, wrangler),
      ...all(/^([A-Z][A-Z0-9_]+)\s*=/gm, wrangler.split("[vars]")[1]?.split(/^\[/m)[0] ?? ""),
      ...all(/^([A-Z][A-Z0-9_]+)=/gm, devVars),
    ]);
    expect(names.size).toBeGreaterThan(25);
    const missing = [...names].filter((n) => !readme.includes(n.includes("-") ? n : `\`${n}\``));
    expect(missing).toEqual([]);
    // The deploy steps create every queue and dead-letter queue.
    const queues = all(/^\s*(?:queue|dead_letter_queue)\s*=\s*"edge-mail-([a-z-]+?)(?:-dlq)?"/gm, wrangler);
    const loop = /for q in ([a-z ]+); do/.exec(readme)?.[1]?.split(" ") ?? [];
    expect([...new Set(queues)].sort()).toEqual([...loop].sort());
  });

  it("every cron of wrangler.toml has jobs and is in the README", () => {
    const crons = JSON.parse(/crons\s*=\s*(\[[^\]]*\])/.exec(wrangler)?.[1] ?? "[]") as string[];
    expect(crons.sort()).toEqual([CRON_EVERY_5_MIN, CRON_DAILY, CRON_WEEKLY].sort());
    for (const c of crons) expect(readme).toContain(`\`${c}\``);
  });

  it("the local ticker reads the schedules as Cloudflare does: the weekly decay on Mondays 03:00 UTC", () => {
    expect(matchesCron(CRON_WEEKLY, new Date("2026-12-07T03:00:20Z"))).toBe(true); // a Monday
    expect(matchesCron(CRON_WEEKLY, new Date("2026-12-06T03:00:00Z"))).toBe(false); // Sunday
    expect(matchesCron(CRON_WEEKLY, new Date("2026-12-07T03:01:00Z"))).toBe(false);
    expect(matchesCron(CRON_EVERY_5_MIN, new Date("2026-12-07T10:35:00Z"))).toBe(true);
    expect(matchesCron(CRON_EVERY_5_MIN, new Date("2026-12-07T10:36:00Z"))).toBe(false);
    expect(matchesCron(CRON_DAILY, new Date("2026-12-07T04:00:00Z"))).toBe(true);
  });
});

describe("PUBLIC_BASE_URL", () => {
  it("an http origin other than a local one is warned about", async () => {
    const { warnInsecureBase } = await import("../../src/config");
    expect(warnInsecureBase("https://mail.example.com")).toBe(false);
    expect(warnInsecureBase("http://localhost:9324")).toBe(false);
    expect(warnInsecureBase("http://mail.example.com")).toBe(true);
  });
});
