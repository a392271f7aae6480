import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

const contactOf = (key: string, body: Record<string, unknown>) =>
  json<{ id: string }>("/api/v1/contacts", { key, body, expect: 201 });

/** An attribute value as the browser reads it. */
const unescaped = (s: string) =>
  s.replace(
    /&(quot|lt|gt|#39|amp);/g,
    (_, e: string) => ({ quot: '"', lt: "<", gt: ">", "#39": "'", amp: "&" })[e] ?? "",
  );

interface RuleOut {
  id: string;
  trigger: string;
  trigger_config: unknown;
  conditions: unknown;
  actions: { type: string; config: Record<string, unknown>; delay_minutes: number }[];
  priority: number;
}

describe("no-JSON builders", () => {
  it("rule: trigger settings, nested conditions and actions from form fields, as the API reads them", async () => {
    const { browser, org } = await signedIn();
    await browser.get("/app/rules/new");
    // Adding a condition group and an action re-renders the draft with what was typed, saving nothing.
    const base = {
      name: "Hot lead",
      trigger: "lead_score_high",
      t__threshold: "80",
      logic: "and",
      c0_field: "tags",
      c0_operator: "contains",
      c0_value: "vip",
      a0_type: "add_tag",
      a0__tag: "hot",
      a0_delay: "0",
      enabled: "on",
    };
    const grouped = await browser.post("/app/rules", { ...base, do: "group:c" });
    expect(grouped.status).toBe(200);
    expect(browser.last).toContain('id="c1_logic"');
    expect(browser.last).toContain('id="c1_0_field"');
    expect(browser.last).toContain('value="vip"');
    const added = await browser.post("/app/rules", {
      ...base,
      add_action_type: "create_task",
      do: "add-action",
    });
    expect(added.status).toBe(200);
    expect(browser.last).toContain('id="a1__title"');
    expect((await json<{ items: unknown[] }>("/api/v1/rules?limit=50", { key: org.key })).items).toHaveLength(
      5,
    );

    const saved = await browser.post("/app/rules", {
      ...base,
      c1_logic: "or",
      c1_0_field: "score",
      c1_0_operator: "gte",
      c1_0_value: "50",
      c1_1_field: "event.plan",
      c1_1_operator: "in",
      c1_1_value: "pro, 3",
      a1_type: "create_task",
      a1__title: "Call {{ first_name }}",
      a1__due_in_minutes: "120",
      a1_delay: "5",
      priority: "10",
      do: "save",
    });
    expect(saved.status, browser.last.slice(0, 2000)).toBe(303);
    const id = (saved.headers.get("location") as string).split("/").pop() as string;
    const rule = await json<RuleOut>(`/api/v1/rules/${id}`, { key: org.key });
    expect(rule.trigger).toBe("lead_score_high");
    expect(rule.trigger_config).toEqual({ threshold: 80 });
    expect(rule.conditions).toEqual({
      all: [
        { field: "tags", op: "contains", value: "vip" },
        {
          any: [
            { field: "score", op: "gte", value: 50 },
            { field: "event.plan", op: "in", value: ["pro", 3] },
          ],
        },
      ],
    });
    expect(rule.actions).toEqual([
      { type: "add_tag", config: { tag: "hot" }, delay_minutes: 0 },
      {
        type: "create_task",
        config: { title: "Call {{ first_name }}", due_in_minutes: 120 },
        delay_minutes: 5,
      },
    ]);
    expect(rule.priority).toBe(10);

    // The page shows the saved rule in the builder (no JSON to read); a bad value is named on its field.
    await browser.get(`/app/rules/${id}`);
    expect(browser.last).toContain('name="c1_1_value" value="pro, 3"');
    const bad = await browser.post(`/app/rules/${id}`, { ...base, a0__tag: "", do: "save" });
    expect(bad.status).toBe(422);
    expect(browser.last).toMatch(/actions\.0\.config\.tag/);
  });

  it("rule: editing keeps what the form does not show (an email's own HTML), and JSON still works", async () => {
    const { browser, org } = await signedIn();
    const rule = await json<RuleOut>("/api/v1/rules", {
      key: org.key,
      body: {
        name: "Thanks",
        trigger: "purchase",
        conditions: { field: "event.amount", op: "gt", value: 50 },
        actions: [{ type: "send_email", config: { subject: "Merci", html: "<p>Merci !</p>" } }],
      },
      expect: 201,
    });
    await browser.get(`/app/rules/${rule.id}`);
    const form =
      /<form method="post" action="\/app\/rules\/[^"]+"[^>]*>([\s\S]*?)<\/form>/.exec(browser.last)?.[1] ??
      "";
    const extra = unescaped(/name="a0_extra" value="([^"]*)"/.exec(form)?.[1] ?? "");
    expect(JSON.parse(extra)).toEqual({ type: "send_email", config: { html: "<p>Merci !</p>" } });
    const saved = await browser.post(`/app/rules/${rule.id}`, {
      name: "Thanks",
      trigger: "purchase",
      logic: "and",
      c0_field: "event.amount",
      c0_operator: "gt",
      c0_value: "60",
      a0_type: "send_email",
      a0__subject: "Merci beaucoup",
      a0_extra: extra,
      a0_delay: "0",
      enabled: "on",
      do: "save",
    });
    expect(saved.status, browser.last.slice(0, 2000)).toBe(303);
    const after = await json<RuleOut>(`/api/v1/rules/${rule.id}`, { key: org.key });
    expect(after.conditions).toEqual({ all: [{ field: "event.amount", op: "gt", value: 60 }] });
    expect(after.actions[0]?.config).toEqual({ subject: "Merci beaucoup", html: "<p>Merci !</p>" });
    await browser.get(`/app/rules/${rule.id}`);
    // The JSON disclosure: pasted rule JSON loads into the builder, then saves as pasted.
    const pasted = JSON.stringify({
      name: "Thanks",
      trigger: "purchase",
      actions: [{ type: "add_tag", config: { tag: "buyer" } }],
    });
    const loaded = await browser.post(`/app/rules/${rule.id}`, {
      name: "x",
      trigger: "purchase",
      rule_json: pasted,
      do: "json",
    });
    expect(loaded.status).toBe(200);
    expect(browser.last).toContain('name="a0__tag" value="buyer"');
    const broken = await browser.post(`/app/rules/${rule.id}`, {
      name: "x",
      trigger: "purchase",
      rule_json: "{",
      do: "save",
    });
    expect(broken.status).toBe(422);
  });

  it("segment: nested groups and as many conditions as needed; the count follows them", async () => {
    const { browser, org } = await signedIn();
    await contactOf(org.key, { email: "a@vip.example", tags: ["vip"] });
    await contactOf(org.key, { email: "b@vip.example" });
    await contactOf(org.key, { email: "c@other.example", tags: ["vip"] });
    await contactOf(org.key, { email: "d@other.example" });
    await browser.get("/app/segments/new");
    // Eight conditions at the root: more than the old builder's six rows.
    const rows: Record<string, string> = {};
    for (let i = 0; i < 8; i++)
      Object.assign(rows, {
        [`c${i}_field`]: "email",
        [`c${i}_operator`]: "not_contains",
        [`c${i}_value`]: `nobody${i}`,
      });
    const more = await browser.post("/app/segments", { name: "Big", logic: "and", ...rows, do: "add:c" });
    expect(more.status).toBe(200);
    expect(browser.last).toContain('id="c8_field"');
    // vip.example OR (tagged vip AND not other... ) : (domain = vip.example) OR (tags contains vip AND email starts_with c)
    const criteria = {
      name: "Nested",
      logic: "or",
      c0_field: "email_domain",
      c0_operator: "eq",
      c0_value: "vip.example",
      c1_logic: "and",
      c1_0_field: "tags",
      c1_0_operator: "contains",
      c1_0_value: "vip",
      c1_1_field: "email",
      c1_1_operator: "starts_with",
      c1_1_value: "c@",
    };
    const count = await browser.post("/app/segments", { ...criteria, do: "count" });
    expect(count.status, browser.last.slice(0, 1500)).toBe(200);
    expect(browser.last).toMatch(/id="segment-count">3</);
    const removed = await browser.post("/app/segments", { ...criteria, do: "remove:c1_1" });
    expect(removed.status).toBe(200);
    expect(browser.last).toContain('id="c1_0_field"');
    expect(browser.last).not.toContain('id="c1_1_field"');
    const saved = await browser.post("/app/segments", { ...criteria, do: "save" });
    expect(saved.status).toBe(303);
    const id = (saved.headers.get("location") as string).split("/").pop() as string;
    const seg = await json<{ criteria: unknown; contact_count: number }>(`/api/v1/segments/${id}`, {
      key: org.key,
    });
    expect(seg.criteria).toEqual({
      logic: "or",
      conditions: [
        { field: "email_domain", operator: "eq", value: "vip.example" },
        {
          logic: "and",
          conditions: [
            { field: "tags", operator: "contains", value: "vip" },
            { field: "email", operator: "starts_with", value: "c@" },
          ],
        },
      ],
    });
    expect(seg.contact_count).toBe(3);
    await browser.get(`/app/segments/${id}`);
    expect(browser.last).toContain('name="c1_1_value" value="c@"');
  });
});
