import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/lib/errors";
import { call, createOrg, json } from "../helpers/api";
import { postWebhook } from "../helpers/events";

/** The error contract: one envelope with a request id, the same id in X-Request-Id, codes as an enum. */
describe("the error contract", () => {
  it("every answer carries X-Request-Id, and an error envelope carries the same id", async () => {
    const ok = await call("/health");
    expect(ok.headers.get("X-Request-Id")).toMatch(/^req_[A-Za-z0-9_-]{10,}$/);

    const missing = await call("/nope");
    expect(missing.status).toBe(404);
    const id = missing.headers.get("X-Request-Id");
    expect(id).toMatch(/^req_/);
    expect(await missing.json()).toEqual({
      error: { code: "NOT_FOUND", message: "no route for GET /nope", details: [], request_id: id },
    });

    const org = await createOrg();
    const invalid = await call("/api/v1/contacts", { key: org.key, body: { email: "not an address" } });
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(body.error.request_id).toBe(invalid.headers.get("X-Request-Id"));
    // Two requests, two ids.
    expect(body.error.request_id).not.toBe(id);
  });

  it("Cloudflare's Ray ID is the request id when there is one, so Cloudflare's logs find it", async () => {
    const res = await call("/nope", { headers: { "cf-ray": "8f1d2c3b4a5e6f70-CDG" } });
    expect(res.headers.get("X-Request-Id")).toBe("8f1d2c3b4a5e6f70-CDG");
    expect(((await res.json()) as { error: { request_id: string } }).error.request_id).toBe(
      "8f1d2c3b4a5e6f70-CDG",
    );
    // Something that is not a Ray ID is not echoed (no header injection through it).
    const odd = await call("/nope", { headers: { "cf-ray": "x<script>" } });
    expect(odd.headers.get("X-Request-Id")).toMatch(/^req_/);
  });

  it("public endpoints answer the same envelope (a webhook refusal, an unknown form)", async () => {
    const webhook = await postWebhook("brevo", "no-such-token", "{}");
    expect(webhook.status).toBe(404);
    expect(await webhook.json()).toMatchObject({
      error: { code: "NOT_FOUND", request_id: webhook.headers.get("X-Request-Id") },
    });
    const form = await call("/f/no-such-form", { body: { email: "a@example.com" } });
    expect(form.status).toBe(404);
    expect(((await form.json()) as { error: { request_id?: string } }).error.request_id).toBe(
      form.headers.get("X-Request-Id"),
    );
  });

  it("the OpenAPI document lists every error code as an enum, and the request id", async () => {
    const doc = await json<{
      components: {
        schemas: { Error: { properties: { error: { properties: Record<string, { enum?: string[] }> } } } };
      };
    }>("/openapi.json", { expect: 200 });
    const props = doc.components.schemas.Error.properties.error.properties;
    expect(props.code?.enum).toEqual(ERROR_CODES);
    expect(props.code?.enum).toEqual(
      expect.arrayContaining(["VALIDATION_ERROR", "RATE_LIMIT_EXCEEDED", "SERVICE_UNAVAILABLE"]),
    );
    expect(props.request_id).toBeDefined();
  });
});
