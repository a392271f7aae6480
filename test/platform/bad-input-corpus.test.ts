/**
 * The bad-input corpus: every operation of /openapi.json, plus the public endpoints, answered
 * with wrong types, missing fields, huge strings, deep nesting, invalid UTF-8, wrong content
 * types, bad ids and cursors and control characters. No answer may be a 5xx, and every 4xx of
 * the API carries the error envelope.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, BASE, createOrg, json, type TestOrg } from "../helpers/api";
import { type Case, corpus, type OpenApiDoc } from "../helpers/corpus";

const orgs: TestOrg[] = [];
let doc: OpenApiDoc;
/** Each key takes 600 requests a minute (API_RATE_LIMIT): spread the corpus over enough of them. */
const CASES_PER_KEY = 400;
beforeAll(async () => {
  doc = await json<OpenApiDoc>("/openapi.json", { expect: 200 });
});

const PUBLIC: Case[] = [
  ...["/t/o/bad", "/t/c/bad", "/t/c/%ff", "/u/bad", "/c/bad", "/p/bad", `/p/${"x".repeat(5000)}`].map(
    (path) => ({
      label: "bad token",
      method: "GET",
      path,
    }),
  ),
  ...["/u/bad", "/c/bad", "/p/bad", "/f/bad"].flatMap((path) => [
    {
      label: "form junk",
      method: "POST",
      path,
      body: "a=%ff%fe&email=x%00",
      contentType: "application/x-www-form-urlencoded",
    },
    { label: "json junk", method: "POST", path, body: "[[[[", contentType: "application/json" },
  ]),
  ...["/webhooks/ses/bad", "/webhooks/brevo/bad"].flatMap((path) => [
    { label: "webhook junk", method: "POST", path, body: '{"Type":', contentType: "application/json" },
    { label: "webhook text", method: "POST", path, body: "\u0000\u0001", contentType: "text/plain" },
  ]),
];

function isEnvelope(body: unknown): boolean {
  const e = (body as { error?: Record<string, unknown> } | null)?.error;
  return !!e && typeof e.code === "string" && typeof e.message === "string" && Array.isArray(e.details);
}

async function run(c: Case, i: number, statuses: Map<number, number>): Promise<string | null> {
  const headers = new Headers();
  const org = orgs[Math.floor(i / CASES_PER_KEY)] as TestOrg;
  const key = c.path.startsWith("/api/v1/admin/") ? ADMIN_TOKEN : org.key;
  if (c.path.startsWith("/api/")) headers.set("Authorization", `Bearer ${key}`);
  if (c.contentType) headers.set("Content-Type", c.contentType);
  const res = await exports.default.fetch(
    new Request(`${BASE}${c.path}`, { method: c.method, headers, body: c.body, redirect: "manual" }),
  );
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const what = `${c.method} ${c.path.slice(0, 80)} [${c.label}] -> ${res.status}`;
  if (res.status >= 500) return `${what}: ${text.slice(0, 200)}`;
  if (res.status >= 400 && (res.headers.get("Content-Type") ?? "").includes("application/json")) {
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {}
    if (!isEnvelope(body)) return `${what}: not the error envelope: ${text.slice(0, 200)}`;
  } else if (res.status >= 400 && c.path.startsWith("/api/")) {
    return `${what}: an API error that is not JSON (${res.headers.get("Content-Type")})`;
  }
  return null;
}

describe("bad-input corpus", () => {
  it("no 5xx and the error envelope on every 4xx, over every operation", async () => {
    const cases = [...corpus(doc), ...PUBLIC];
    for (let n = 0; n * CASES_PER_KEY < cases.length; n++) orgs.push(await createOrg(`Corpus ${n}`));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < cases.length; i += 8) {
      const batch = cases.slice(i, i + 8);
      const results = await Promise.all(batch.map((c, j) => run(c, i + j, statuses)));
      for (const r of results) if (r) failures.push(r);
    }
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    console.log(
      `bad-input corpus: ${cases.length} cases over ${operations} operations and ${PUBLIC.length} public requests; ${failures.length} failures; answers ${[
        ...statuses,
      ]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}: ${n}`)
        .join(", ")}`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(500);
    expect(failures).toEqual([]);
    // every case reached validation, none was only counted by the rate limit
    expect(statuses.get(429) ?? 0).toBe(0);
  }, 600_000);
});
