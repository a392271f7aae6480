import { OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/app-env";
import { registerRuleRoutes } from "../../src/routes/rules";
import { call, createOrg, json } from "../helpers/api";

const rule = {
  name: "Big purchase",
  trigger: "purchase",
  conditions: { all: [{ field: "event.amount", op: "gt", value: 100 }] },
  actions: [
    { type: "add_tag", config: { tag: "big-spender" } },
    { type: "update_score", config: { points: 20 }, delay_minutes: 10 },
  ],
  priority: 70,
};

describe("rules API", () => {
  it("a new organization starts with the five default rules, editable", async () => {
    const org = await createOrg();
    const list = await json("/api/v1/rules", { key: org.key, expect: 200 });
    expect(list.items).toHaveLength(5);
    expect(list.items.every((r: { is_default: boolean }) => r.is_default)).toBe(true);
    expect(list.items.map((r: { trigger: string }) => r.trigger).sort()).toEqual(
      ["email_bounced", "email_clicked", "lead_score_high", "purchase", "unsubscribed"].sort(),
    );
    // highest priority first
    const priorities = list.items.map((r: { priority: number }) => r.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const click = list.items.find((r: { trigger: string }) => r.trigger === "email_clicked");
    const edited = await json(`/api/v1/rules/${click.id}`, {
      key: org.key,
      method: "PATCH",
      body: { enabled: false, name: "Clicks" },
      expect: 200,
    });
    expect(edited).toMatchObject({ enabled: false, name: "Clicks", is_default: true });
    // no rule adds points for opens, clicks or bounces (engagement scoring does)
    for (const r of list.items.filter((x: { trigger: string }) =>
      ["email_opened", "email_clicked", "email_bounced"].includes(x.trigger),
    )) {
      expect(r.actions.some((a: { type: string }) => a.type === "update_score")).toBe(false);
    }
  });

  it("creates, reads, lists, updates and deletes a rule", async () => {
    const org = await createOrg();
    const created = await json("/api/v1/rules", { key: org.key, body: rule, expect: 201 });
    expect(created).toMatchObject({
      name: "Big purchase",
      trigger: "purchase",
      trigger_config: {},
      conditions: rule.conditions,
      actions: [
        { type: "add_tag", config: { tag: "big-spender" }, delay_minutes: 0 },
        { type: "update_score", config: { points: 20 }, delay_minutes: 10 },
      ],
      priority: 70,
      enabled: true,
      stop_processing: false,
      is_default: false,
    });
    expect(await json(`/api/v1/rules/${created.id}`, { key: org.key, expect: 200 })).toEqual(created);

    const updated = await json(`/api/v1/rules/${created.id}`, {
      key: org.key,
      method: "PATCH",
      body: { priority: 100, stop_processing: true, conditions: {} },
      expect: 200,
    });
    expect(updated).toMatchObject({
      priority: 100,
      stop_processing: true,
      conditions: {},
      actions: created.actions,
    });

    const onlyPurchase = await json("/api/v1/rules?trigger=purchase&limit=1", { key: org.key, expect: 200 });
    expect(onlyPurchase.items[0].id).toBe(created.id);
    expect(onlyPurchase.next_cursor).toEqual(expect.any(String));
    const next = await json(`/api/v1/rules?trigger=purchase&limit=1&cursor=${onlyPurchase.next_cursor}`, {
      key: org.key,
      expect: 200,
    });
    expect(next.items[0].is_default).toBe(true);
    expect(next.next_cursor).toBeNull();
    const disabled = await json("/api/v1/rules?enabled=false", { key: org.key, expect: 200 });
    expect(disabled.items).toEqual([]);

    await json(`/api/v1/rules/${created.id}`, { key: org.key, method: "DELETE", expect: 200 });
    await json(`/api/v1/rules/${created.id}`, { key: org.key, expect: 404 });
  });

  it("answers 422 naming the field for invalid rules, never 500", async () => {
    const org = await createOrg();
    const cases: [unknown, string][] = [
      [{ ...rule, trigger: "sneezed" }, "trigger"],
      [{ ...rule, priority: 101 }, "priority"],
      [{ ...rule, actions: [] }, "actions"],
      [{ ...rule, actions: [{ type: "teleport", config: {} }] }, "actions.0.type"],
      [{ ...rule, actions: [{ type: "add_tag", config: {} }] }, "actions.0.config.tag"],
      [
        { ...rule, actions: [{ type: "add_tag", config: { tag: "x" }, delay_minutes: -1 }] },
        "actions.0.delay_minutes",
      ],
      [{ ...rule, actions: [{ type: "update_score", config: { points: 1.5 } }] }, "actions.0.config.points"],
      [{ ...rule, actions: [{ type: "send_email", config: {} }] }, "actions.0.config"],
      [
        { ...rule, actions: [{ type: "send_email", config: { template_id: "tpl_nope" } }] },
        "actions.0.config.template_id",
      ],
      [
        { ...rule, actions: [{ type: "update_field", config: { field: "email", value: "x" } }] },
        "actions.0.config.field",
      ],
      [{ ...rule, conditions: { all: [{ field: "event.amount", op: "gt", value: "fifty" }] } }, "conditions"],
      [{ ...rule, conditions: { all: [{ field: "password", op: "eq", value: 1 }] } }, "conditions"],
      [{ ...rule, name: "" }, "name"],
    ];
    for (const [body, field] of cases) {
      const res = await call("/api/v1/rules", { key: org.key, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      const err = (await res.json()) as { error: { code: string; details: { field?: string }[] } };
      expect(err.error.code).toBe("VALIDATION_ERROR");
      expect(
        err.error.details.map((d) => d.field ?? "").some((f) => f.startsWith(field)),
        JSON.stringify(err),
      ).toBe(true);
    }
    const malformed = await call("/api/v1/rules", {
      key: org.key,
      raw: "{not json",
      contentType: "application/json",
    });
    expect(malformed.status).toBe(400);
    const badCursor = await call("/api/v1/rules?cursor=zzz", { key: org.key });
    expect(badCursor.status).toBe(400);
  });

  it("another organization's rule answers 404 and its runs are not readable", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const created = await json("/api/v1/rules", { key: a.key, body: rule, expect: 201 });
    for (const [method, path] of [
      ["GET", `/api/v1/rules/${created.id}`],
      ["PATCH", `/api/v1/rules/${created.id}`],
      ["DELETE", `/api/v1/rules/${created.id}`],
      ["GET", `/api/v1/rules/${created.id}/runs`],
    ] as const) {
      const res = await call(path, {
        key: b.key,
        method,
        ...(method === "PATCH" ? { body: { name: "stolen" } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await json(`/api/v1/rules/${created.id}`, { key: a.key, expect: 200 })).name).toBe(
      "Big purchase",
    );
    const unauth = await call("/api/v1/rules");
    expect(unauth.status).toBe(401);
  });

  it("dry run: which rules would match and what they would do, without doing it", async () => {
    const org = await createOrg();
    const contact = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "dry@example.com" },
      expect: 201,
    });
    const stopper = await json("/api/v1/rules", {
      key: org.key,
      body: { ...rule, priority: 100, stop_processing: true },
      expect: 201,
    });
    const res = await json("/api/v1/rules/test", {
      key: org.key,
      body: { event: { type: "purchase", email: "dry@example.com", properties: { amount: 150 } } },
      expect: 200,
    });
    expect(res.contact_id).toBe(contact.id);
    expect(res.stopped_by).toBe(stopper.id);
    expect(res.matched).toHaveLength(1);
    expect(res.matched[0].actions.map((a: { type: string; mode: string }) => [a.type, a.mode])).toEqual([
      ["add_tag", "immediate"],
      ["update_score", "delayed"],
    ]);
    // the default purchase rule is below the stopper
    expect(res.not_matched[0].reason).toMatch(/stops processing/);
    const after = await json(`/api/v1/contacts/${contact.id}`, { key: org.key, expect: 200 });
    expect(after.tags).toEqual([]);
    expect((await json(`/api/v1/rules/${stopper.id}/runs`, { key: org.key, expect: 200 })).items).toEqual([]);

    const threshold = await json("/api/v1/rules/test", {
      key: org.key,
      body: {
        event: {
          type: "lead_score_high",
          contact_id: contact.id,
          properties: { score_before: 70, score_after: 85 },
        },
      },
      expect: 200,
    });
    expect(threshold.matched.map((m: { name: string }) => m.name)).toEqual([
      "Lead score reached 80: VIP offer and a call",
    ]);
    await json("/api/v1/rules/test", {
      key: org.key,
      body: { event: { type: "purchase", contact_id: "ct_missing" } },
      expect: 404,
    });
    await json("/api/v1/rules/test", { key: org.key, body: { event: { type: "nope" } }, expect: 422 });
  });

  it("is described in the OpenAPI document, recursive conditions included", () => {
    // Only this feature's routes, so another feature's document error cannot hide or cause a failure here.
    const app = new OpenAPIHono<AppEnv>();
    registerRuleRoutes(app);
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "rules", version: "1" } });
    for (const p of ["/api/v1/rules", "/api/v1/rules/{id}", "/api/v1/rules/{id}/runs", "/api/v1/rules/test"])
      expect(doc.paths?.[p]).toBeDefined();
    expect(doc.components?.schemas?.RuleCondition).toBeDefined();
  });
});
