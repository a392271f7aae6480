import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createOrg, json } from "../helpers/api";

const importCsv = (key: string, csv: string, query = "") =>
  json(`/api/v1/contacts/import${query}`, { key, raw: csv, contentType: "text/csv", expect: 200 });

const DAY = 86_400_000;

async function people(key: string) {
  const csv = [
    "email,first_name,tags,plan,seats",
    "vip-active@x.example,Ann,vip,pro,12",
    "vip-buyer@x.example,Bob,vip;buyer,pro,3",
    "vip-cold@x.example,Cid,vip,free,1",
    "plain@x.example,Dee,,free,0",
    "other@y.example,Eve,vip,pro,40",
  ].join("\n");
  await importCsv(key, csv);
  const list = await json(`/api/v1/contacts?limit=200`, { key });
  const byEmail = Object.fromEntries(list.items.map((c: { email: string; id: string }) => [c.email, c.id]));
  // Scores, opens and purchases as the events pipeline would have left them.
  const now = Date.now();
  await env.DB.prepare("UPDATE contacts SET score = 25, last_opened_at = ? WHERE id = ?")
    .bind(now - 3 * DAY, byEmail["vip-active@x.example"])
    .run();
  await env.DB.prepare("UPDATE contacts SET score = 30, purchase_count = 2, last_opened_at = ? WHERE id = ?")
    .bind(now - 90 * DAY, byEmail["vip-buyer@x.example"])
    .run();
  await env.DB.prepare("UPDATE contacts SET score = 40 WHERE id = ?")
    .bind(byEmail["vip-cold@x.example"])
    .run();
  await env.DB.prepare("UPDATE contacts SET score = 50, last_opened_at = ? WHERE id = ?")
    .bind(now - DAY, byEmail["other@y.example"])
    .run();
  return byEmail as Record<string, string>;
}

const VIP_HOT = {
  logic: "and",
  conditions: [
    { field: "tags", operator: "contains", value: "vip" },
    { field: "score", operator: "gte", value: 20 },
    {
      logic: "or",
      conditions: [
        { field: "last_opened_at", operator: "within_last_days", value: 30 },
        { field: "purchase_count", operator: "gte", value: 2 },
      ],
    },
  ],
};

describe("segments: criteria", () => {
  it("counts and samples nested and/or criteria before saving, then saves them as a dynamic segment", async () => {
    const org = await createOrg();
    const ids = await people(org.key);
    const preview = await json("/api/v1/segments/preview", {
      key: org.key,
      body: { criteria: VIP_HOT },
      expect: 200,
    });
    expect(preview.count).toBe(3);
    expect(preview.sample.map((c: { email: string }) => c.email).sort()).toEqual([
      "other@y.example",
      "vip-active@x.example",
      "vip-buyer@x.example",
    ]);
    // Narrow it: the domain and a typed attribute.
    const narrow = {
      logic: "and",
      conditions: [
        VIP_HOT,
        { field: "email_domain", operator: "eq", value: "X.EXAMPLE" },
        { field: "attributes.plan", operator: "in", value: ["pro"] },
      ],
    };
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: { name: "Hot VIPs", type: "dynamic", criteria: narrow },
      expect: 201,
    });
    expect(seg.contact_count).toBe(2);
    // Membership follows the data: a score drop takes a contact out.
    await env.DB.prepare("UPDATE contacts SET score = 1 WHERE id = ?")
      .bind(ids["vip-active@x.example"])
      .run();
    expect((await json(`/api/v1/segments/${seg.id}`, { key: org.key })).contact_count).toBe(1);
    const stats = await json(`/api/v1/segments/${seg.id}/stats`, { key: org.key, expect: 200 });
    expect(stats).toEqual({
      contact_count: 1,
      average_score: 30,
      opened_30d: 0,
      clicked_30d: 0,
      purchasers: 1,
    });
  });

  it("compares attributes by their JSON type and every operator reads its field", async () => {
    const org = await createOrg();
    await people(org.key);
    const count = async (conditions: unknown[]) =>
      (
        await json("/api/v1/segments/preview", {
          key: org.key,
          body: { criteria: { logic: "and", conditions } },
          expect: 200,
        })
      ).count;
    // CSV attributes are strings: "12" is text, so a numeric comparison matches none of them.
    expect(await count([{ field: "attributes.seats", operator: "gt", value: 5 }])).toBe(0);
    expect(await count([{ field: "attributes.seats", operator: "eq", value: "12" }])).toBe(1);
    expect(await count([{ field: "first_name", operator: "starts_with", value: "a" }])).toBe(1);
    expect(await count([{ field: "first_name", operator: "not_in", value: ["Ann", "Bob"] }])).toBe(3);
    expect(await count([{ field: "tags", operator: "not_contains", value: "vip" }])).toBe(1);
    expect(await count([{ field: "tags", operator: "not_exists" }])).toBe(1);
    expect(await count([{ field: "score", operator: "between", value: [25, 40] }])).toBe(3);
    expect(await count([{ field: "last_opened_at", operator: "more_than_days_ago", value: 30 }])).toBe(1);
    expect(await count([{ field: "last_opened_at", operator: "not_exists" }])).toBe(2);
    expect(await count([{ field: "status", operator: "eq", value: "subscribed" }])).toBe(5);
    expect(await count([{ field: "consent.email_marketing", operator: "exists" }])).toBe(0);
    expect(await count([{ field: "created_at", operator: "gte", value: "2000-01-01T00:00:00Z" }])).toBe(5);
  });

  it("answers 422 with the path for unknown fields and operators, wrong value types, too deep or too many", async () => {
    const org = await createOrg();
    const bad = async (criteria: unknown) =>
      (await json("/api/v1/segments/preview", { key: org.key, body: { criteria }, expect: 422 })).error;
    const one = (c: unknown) => ({ logic: "and", conditions: [c] });
    expect((await bad(one({ field: "password", operator: "eq", value: "x" }))).details[0].field).toBe(
      "criteria.conditions.0.field",
    );
    expect((await bad(one({ field: "score", operator: "resembles", value: 1 }))).details[0].field).toBe(
      "criteria.conditions.0.operator",
    );
    expect((await bad(one({ field: "score", operator: "gte", value: "lots" }))).details[0].field).toBe(
      "criteria.conditions.0.value",
    );
    expect((await bad(one({ field: "tags", operator: "gt", value: 1 }))).details[0].message).toMatch(
      /does not apply/,
    );
    expect(
      (await bad(one({ field: "created_at", operator: "lt", value: "yesterday" }))).details[0].field,
    ).toBe("criteria.conditions.0.value");
    expect((await bad(one({ field: 'attributes.a"b', operator: "eq", value: 1 }))).details[0].field).toBe(
      "criteria.conditions.0.field",
    );
    let deep: unknown = { field: "score", operator: "gt", value: 1 };
    for (let i = 0; i < 6; i++) deep = { logic: "and", conditions: [deep] };
    expect((await bad(deep)).message).toMatch(/at most 5 levels/);
    const many = {
      logic: "or",
      conditions: Array.from({ length: 101 }, (_, i) => ({ field: "score", operator: "eq", value: i })),
    };
    expect((await bad(many)).message).toMatch(/at most 100 conditions/);
    // A thousand levels: refused with a 422, no stack overflow.
    let abyss: unknown = { field: "score", operator: "gt", value: 1 };
    for (let i = 0; i < 1000; i++) abyss = { logic: "and", conditions: [abyss] };
    await json("/api/v1/segments", {
      key: org.key,
      body: { name: "x", type: "dynamic", criteria: abyss },
      expect: 422,
    });
    await json("/api/v1/segments", { key: org.key, body: { name: "x", type: "dynamic" }, expect: 422 });
  });
});

describe("segments: 20,000 contacts", () => {
  it("counts a dynamic segment of 20,000 and pages it completely, each contact once", {
    timeout: 120_000,
  }, async () => {
    const org = await createOrg();
    const lines = ["email,tags"];
    for (let i = 0; i < 25_000; i++) lines.push(`p${i}@bulk.example,${i % 5 === 0 ? "skip" : "keep"}`);
    await importCsv(org.key, lines.join("\n"));
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: {
        name: "Keepers",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "keep" }] },
      },
      expect: 201,
    });
    expect(seg.contact_count).toBe(20_000);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: string }[]; next_cursor: string | null } = await json(
        `/api/v1/segments/${seg.id}/contacts?limit=200${cursor ? `&cursor=${cursor}` : ""}`,
        {
          key: org.key,
          expect: 200,
        },
      );
      for (const c of page.items) seen.add(c.id);
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(20_000);
    expect(pages).toBe(100);
  });
});

describe("segments: static members, import, export, tenancy", () => {
  it("fills a static segment by API and by CSV import, exports it as CSV, and refuses members on a dynamic one", async () => {
    const org = await createOrg();
    await people(org.key);
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: { name: "Webinar", type: "static" },
      expect: 201,
    });
    const added = await json(`/api/v1/segments/${seg.id}/members`, {
      key: org.key,
      body: { emails: ["plain@x.example", "nobody@x.example"] },
      expect: 200,
    });
    expect(added).toEqual({ added: 1, not_found: ["nobody@x.example"] });
    await importCsv(
      org.key,
      "email,first_name\nnew@z.example,Neo\nvip-cold@x.example,Cid",
      `?segment_id=${seg.id}`,
    );
    expect((await json(`/api/v1/segments/${seg.id}`, { key: org.key })).contact_count).toBe(3);
    const csv = await (await import("../helpers/api")).call(`/api/v1/segments/${seg.id}/export`, {
      key: org.key,
    });
    expect(csv.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const rows = (await csv.text()).trim().split("\r\n");
    expect(rows[0]).toBe(
      "email,first_name,last_name,phone,timezone,tags,status,score,lifecycle_stage,created_at",
    );
    expect(
      rows
        .slice(1)
        .map((r) => r.split(",")[0])
        .sort(),
    ).toEqual(["new@z.example", "plain@x.example", "vip-cold@x.example"]);
    await json(`/api/v1/segments/${seg.id}/members`, {
      key: org.key,
      method: "DELETE",
      body: { emails: ["new@z.example"] },
      expect: 200,
    });
    expect((await json(`/api/v1/segments/${seg.id}`, { key: org.key })).contact_count).toBe(2);
    // A body of another media type: 415 in the error envelope, like every other route, nothing removed.
    for (const [contentType, raw] of [
      ["application/xml", "<emails><e>plain@x.example</e></emails>"],
      [
        "multipart/form-data; boundary=x",
        '--x\r\nContent-Disposition: form-data; name="emails"\r\n\r\nplain@x.example\r\n--x--\r\n',
      ],
    ] as const) {
      const res = await call(`/api/v1/segments/${seg.id}/members`, {
        key: org.key,
        method: "DELETE",
        raw,
        contentType,
      });
      expect(res.status, contentType).toBe(415);
      expect(((await res.json()) as { error: unknown }).error, contentType).toMatchObject({
        code: "UNSUPPORTED_MEDIA_TYPE",
      });
    }
    expect((await json(`/api/v1/segments/${seg.id}`, { key: org.key })).contact_count).toBe(2);

    const dyn = await json("/api/v1/segments", {
      key: org.key,
      body: {
        name: "d",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "score", operator: "gt", value: 0 }] },
      },
      expect: 201,
    });
    await json(`/api/v1/segments/${dyn.id}/members`, {
      key: org.key,
      body: { emails: ["plain@x.example"] },
      expect: 409,
    });
    await json(`/api/v1/contacts/import?segment_id=${dyn.id}`, {
      key: org.key,
      raw: "email\na@b.example",
      contentType: "text/csv",
      expect: 409,
    });
    await json(`/api/v1/contacts/import?segment_id=seg_nope`, {
      key: org.key,
      raw: "email\na@b.example",
      contentType: "text/csv",
      expect: 404,
    });
  });

  it("another organization's segment is 404 everywhere; a segment in use cannot be deleted", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const seg = await json("/api/v1/segments", {
      key: a.key,
      body: { name: "Mine", type: "static" },
      expect: 201,
    });
    for (const path of ["", "/contacts", "/stats", "/export"])
      await json(`/api/v1/segments/${seg.id}${path}`, { key: b.key, expect: 404 });
    await json(`/api/v1/segments/${seg.id}`, { key: b.key, method: "DELETE", expect: 404 });
    await json(`/api/v1/segments/${seg.id}/members`, {
      key: b.key,
      body: { contact_ids: ["ct_x"] },
      expect: 404,
    });
    await json("/api/v1/scenarios", {
      key: b.key,
      body: { name: "s", from_email: "a@b.example", segment_id: seg.id },
      expect: 404,
    });
    const s = await json("/api/v1/scenarios", {
      key: a.key,
      body: { name: "s", from_email: "a@b.example", segment_id: seg.id },
      expect: 201,
    });
    expect(s.segment_id).toBe(seg.id);
    expect(
      (await json(`/api/v1/segments/${seg.id}`, { key: a.key, method: "DELETE", expect: 409 })).error.code,
    ).toBe("CONFLICT");
  });
});
