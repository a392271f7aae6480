import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { runDateReached } from "../../src/cron/date-reached";
import { resetClock, setClock } from "../../src/lib/clock";
import { createOrg, json, type TestOrg } from "../helpers/api";
import { drainEvents } from "../helpers/events";

afterEach(() => resetClock());

const rule = (org: TestOrg, body: Record<string, unknown>) =>
  json("/api/v1/rules", { key: org.key, body: { name: "r", priority: 50, ...body }, expect: 201 });
const tagsOf = async (org: TestOrg, id: string) =>
  (await json(`/api/v1/contacts/${id}`, { key: org.key })).tags as string[];
const eventCount = async (orgId: string, type: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM events WHERE organization_id = ? AND type = ?")
      .bind(orgId, type)
      .first<{ n: number }>()
  )?.n;

describe("rule triggers about contacts", () => {
  it("contact_updated fires on PATCH; segment_entered fires once when the contact starts matching", async () => {
    const org = await createOrg();
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: {
        name: "VIP",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "vip" }] },
      },
      expect: 201,
    });
    await rule(org, {
      trigger: "contact_updated",
      actions: [{ type: "add_tag", config: { tag: "touched" } }],
    });
    await rule(org, {
      trigger: "segment_entered",
      trigger_config: { segment_id: seg.id },
      actions: [{ type: "update_score", config: { points: 5 } }],
    });
    const c = await json("/api/v1/contacts", { key: org.key, body: { email: "v@x.example" }, expect: 201 });
    await json(`/api/v1/contacts/${c.id}`, {
      key: org.key,
      method: "PATCH",
      body: { tags: ["vip"] },
      expect: 200,
    });
    await drainEvents();
    expect(await tagsOf(org, c.id)).toEqual(expect.arrayContaining(["vip", "touched"]));
    expect((await json(`/api/v1/contacts/${c.id}`, { key: org.key })).score).toBe(5);
    // Still a VIP after another change: no second entry.
    await json(`/api/v1/contacts/${c.id}`, {
      key: org.key,
      method: "PATCH",
      body: { first_name: "Vera" },
      expect: 200,
    });
    await drainEvents();
    expect((await json(`/api/v1/contacts/${c.id}`, { key: org.key })).score).toBe(5);
    expect(await eventCount(org.id, "segment_entered")).toBe(1);
    expect(await eventCount(org.id, "contact_updated")).toBe(2);
  });

  it("a CSV import fires contact_created for each new contact, through EVENTS in batches", async () => {
    const org = await createOrg();
    await rule(org, {
      trigger: "contact_created",
      actions: [{ type: "add_tag", config: { tag: "welcome" } }],
    });
    const csv = ["email", ...Array.from({ length: 250 }, (_, i) => `new${i}@x.example`)].join("\n");
    await json("/api/v1/contacts/import", { key: org.key, raw: csv, contentType: "text/csv", expect: 200 });
    expect(await eventCount(org.id, "contact_created")).toBe(250);
    await drainEvents();
    const tagged = await env.DB.prepare(
      "SELECT count(*) AS n FROM contacts WHERE organization_id = ? AND tags LIKE '%welcome%'",
    )
      .bind(org.id)
      .first<{ n: number }>();
    expect(tagged?.n).toBe(250);
    // Re-importing the same rows creates nobody: no new contact_created.
    await json("/api/v1/contacts/import", { key: org.key, raw: csv, contentType: "text/csv", expect: 200 });
    expect(await eventCount(org.id, "contact_created")).toBe(250);
  });

  it("date_reached fires daily for birthdays (yearly) and renewal dates with an offset, once a day", async () => {
    const org = await createOrg();
    await rule(org, {
      trigger: "date_reached",
      trigger_config: { attribute: "birthday", yearly: true },
      actions: [{ type: "add_tag", config: { tag: "birthday" } }],
    });
    await rule(org, {
      trigger: "date_reached",
      trigger_config: { attribute: "renewal", offset_days: -7 },
      actions: [{ type: "add_tag", config: { tag: "renewal-soon" } }],
    });
    const mk = async (email: string, attributes: Record<string, unknown>) =>
      (await json("/api/v1/contacts", { key: org.key, body: { email, attributes }, expect: 201 }))
        .id as string;
    const born = await mk("b@x.example", { birthday: "1990-06-15" });
    const other = await mk("o@x.example", { birthday: "1990-06-16" });
    const renews = await mk("r@x.example", { renewal: "2031-06-22" });
    const late = await mk("l@x.example", { renewal: "2030-06-22" });
    setClock(Date.parse("2031-06-15T06:00:00Z"));
    expect(await runDateReached(env)).toBe(2);
    expect(await runDateReached(env)).toBe(0);
    await drainEvents();
    expect(await tagsOf(org, born)).toContain("birthday");
    expect(await tagsOf(org, other)).not.toContain("birthday");
    expect(await tagsOf(org, renews)).toContain("renewal-soon");
    expect(await tagsOf(org, late)).not.toContain("renewal-soon");
    // A rule without its attribute is refused.
    await json("/api/v1/rules", {
      key: org.key,
      body: { name: "x", trigger: "date_reached", actions: [{ type: "add_tag", config: { tag: "x" } }] },
      expect: 422,
    });
  });
});
