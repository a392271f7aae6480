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
    expect(await docs.text()).toContain("swagger");
  });

  it("unknown routes answer the error envelope", async () => {
    const body = await json("/nope", { expect: 404 });
    expect(body.error.code).toBe("NOT_FOUND");
  });
});
