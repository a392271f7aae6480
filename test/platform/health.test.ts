import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/api";

describe("system routes", () => {
  it("GET /health answers without auth", async () => {
    expect(await json("/health", { expect: 200 })).toEqual({ ok: true });
  });

  it("serves the OpenAPI document and the docs page", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>("/openapi.json", { expect: 200 });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/contacts", "/api/v1/templates/{id}/preview"]),
    );
    const docs = await call("/docs");
    expect(docs.status).toBe(200);
    const page = await docs.text();
    expect(page).toContain("swagger");
    // Every asset from the Worker itself (static assets copied at npm install), no inline script.
    const srcs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(srcs).toEqual([
      "/docs/swagger-ui/swagger-ui.css",
      "/docs/swagger-ui/swagger-ui-bundle.js",
      "/docs/init.js",
    ]);
    expect(page).not.toMatch(/<script>(?!<)/);
    expect(docs.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
  });

  it("unknown routes answer the error envelope", async () => {
    const body = await json("/nope", { expect: 404 });
    expect(body.error.code).toBe("NOT_FOUND");
  });
});

describe("the OpenAPI document", () => {
  it("has no regex flags in its patterns (a /i would make a generated client reject every value)", async () => {
    const doc = await json<Record<string, unknown>>("/openapi.json", { expect: 200 });
    const patterns: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v))
          k === "pattern" && typeof x === "string" ? patterns.push(x) : walk(x);
    };
    walk(doc);
    expect(patterns.length).toBeGreaterThan(5);
    expect(patterns.filter((p) => /\/[gimsuy]+$/.test(p))).toEqual([]);
    for (const p of patterns) expect(() => new RegExp(p, "u")).not.toThrow();
  });
});

describe("the OpenAPI document's shared parts", () => {
  it("has servers, a summary and 401 on every authenticated operation, and the outgoing webhooks", async () => {
    const doc = await json<Record<string, any>>("/openapi.json", { expect: 200 });
    expect(doc.servers).toEqual([{ url: "https://mail.example.test", description: "This deployment" }]);
    const ops = Object.values<Record<string, any>>(doc.paths).flatMap((item) =>
      Object.values<Record<string, any>>(item),
    );
    expect(ops.length).toBeGreaterThan(100);
    expect(ops.filter((o) => !o.summary)).toEqual([]);
    expect(ops.filter((o) => o.security?.length && !o.responses["401"]).map((o) => o.operationId)).toEqual(
      [],
    );
    expect(Object.keys(doc.webhooks)).toEqual(["reminder", "ruleWebhook"]);
  });
});
