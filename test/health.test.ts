import { describe, expect, it } from "vitest";
import { call, json } from "./helpers/api";

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
