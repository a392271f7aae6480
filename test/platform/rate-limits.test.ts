/**
 * Rate limits outside the public pages (those are in consent.test.ts): the per-key API limit, and
 * failed authentication on the operator routes and on webhook tokens, counted per address.
 */
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, createOrg, json } from "../helpers/api";

const from = (ip: string) => ({ "CF-Connecting-IP": ip });

describe("rate limits", () => {
  it("an API key gets 600 requests a minute, then 429 with Retry-After; another key is not held", async () => {
    // The binding counts in fixed one-minute windows: start well inside one, so the 601 calls
    // below (a few seconds under the full suite) are not split by a window boundary.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 200));
    const org = await createOrg();
    const second = await json<{ api_key: string }>("/api/v1/api-keys", {
      key: org.key,
      body: { name: "second" },
      expect: 201,
    });
    const statuses = await Promise.all(
      Array.from({ length: 600 }, () =>
        call("/api/v1/contacts?limit=1", { key: org.key }).then((r) => r.status),
      ),
    );
    // the key-creation call above counted as the first of the 600
    expect(statuses.filter((s) => s === 200)).toHaveLength(599);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const limited = await call("/api/v1/contacts?limit=1", { key: org.key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    const body = await limited.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe("RATE_LIMIT_EXCEEDED");
    expect(body.error.message).toContain("API key");
    // A second key of the same organization has its own budget.
    expect((await call("/api/v1/contacts?limit=1", { key: second.api_key })).status).toBe(200);
  });

  it("wrong operator tokens: 20 answered 401 from one address, then 429; the right token still works", async () => {
    const ip = "198.51.100.7";
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++)
      statuses.push(
        (await call("/api/v1/admin/organizations", { key: `wrong-${i}`, headers: from(ip) })).status,
      );
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const ok = await call("/api/v1/admin/organizations", {
      key: ADMIN_TOKEN,
      body: { name: "after guessing" },
      headers: from(ip),
    });
    expect(ok.status).toBe(201);
  });

  it("guessed webhook tokens (SES and Brevo): 20 answered 404 from one address, then 429", async () => {
    const ip = "198.51.100.9";
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      for (const kind of ["ses", "brevo"])
        statuses.push(
          (await call(`/webhooks/${kind}/guess-${i}`, { body: { event: "delivered" }, headers: from(ip) }))
            .status,
        );
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // Another address is still answered normally.
    expect((await call("/webhooks/brevo/guess-x", { body: {}, headers: from("198.51.100.10") })).status).toBe(
      404,
    );
  });
});
