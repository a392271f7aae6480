import { describe, expect, it } from "vitest";
import { createOrg, json } from "../helpers/api";

describe("contact_created rules", () => {
  it("run when a contact is created through the API", async () => {
    const org = await createOrg();
    const rule = await json("/api/v1/rules", {
      key: org.key,
      body: {
        name: "Welcome tag",
        trigger: "contact_created",
        conditions: { all: [{ field: "attributes.source", op: "eq", value: "webinar" }] },
        actions: [{ type: "add_tag", config: { tag: "new-lead" } }],
        priority: 50,
        enabled: true,
      },
      expect: 201,
    });
    const matching = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "w@example.com", attributes: { source: "webinar" } },
      expect: 201,
    });
    const other = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "o@example.com", attributes: { source: "ads" } },
      expect: 201,
    });
    expect((await json(`/api/v1/contacts/${matching.id}`, { key: org.key, expect: 200 })).tags).toEqual([
      "new-lead",
    ]);
    expect((await json(`/api/v1/contacts/${other.id}`, { key: org.key, expect: 200 })).tags).toEqual([]);
    const runs = await json(`/api/v1/rules/${rule.id}/runs`, { key: org.key, expect: 200 });
    expect(runs.items).toHaveLength(1);
  });
});
