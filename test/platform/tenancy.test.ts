import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, json, type TestOrg } from "../helpers/api";

/**
 * Tenancy isolation: every route that takes an id answers 404 (never 403, never data) for another
 * organization's resource, and lists never show another organization's rows.
 */
interface Resource {
  name: string;
  create: (org: TestOrg) => Promise<string>;
  list?: string;
  routes: (id: string, own: Record<string, string>) => { method: string; path: string; body?: unknown }[];
}

const resources: Resource[] = [
  {
    name: "contact",
    create: async (org) =>
      (await json("/api/v1/contacts", { key: org.key, body: { email: "shared@example.com" }, expect: 201 }))
        .id,
    list: "/api/v1/contacts",
    routes: (id) => [
      { method: "GET", path: `/api/v1/contacts/${id}` },
      { method: "PATCH", path: `/api/v1/contacts/${id}`, body: { first_name: "Mallory" } },
      { method: "GET", path: `/api/v1/contacts/${id}/export` },
      { method: "DELETE", path: `/api/v1/contacts/${id}` },
    ],
  },
  {
    name: "template",
    create: async (org) =>
      (
        await json("/api/v1/templates", {
          key: org.key,
          body: { name: "secret", subject: "s", html: "h" },
          expect: 201,
        })
      ).id,
    list: "/api/v1/templates",
    routes: (id, own) => [
      { method: "GET", path: `/api/v1/templates/${id}` },
      { method: "PATCH", path: `/api/v1/templates/${id}`, body: { name: "pwned" } },
      { method: "POST", path: `/api/v1/templates/${id}/preview`, body: { contact_id: own.contact } },
      { method: "DELETE", path: `/api/v1/templates/${id}` },
    ],
  },
  {
    name: "user",
    create: async (org) =>
      (
        await json("/api/v1/users", {
          key: org.key,
          body: { name: "Secret Agent", email: "agent@example.com" },
          expect: 201,
        })
      ).id,
    list: "/api/v1/users",
    routes: (id) => [
      { method: "GET", path: `/api/v1/users/${id}` },
      { method: "POST", path: "/api/v1/api-keys", body: { name: "x", user_id: id } },
    ],
  },
  {
    name: "scenario",
    create: async (org) =>
      (
        await json("/api/v1/scenarios", {
          key: org.key,
          body: { name: "Secret plan", provider: "log", from_email: "news@example.com" },
          expect: 201,
        })
      ).id,
    list: "/api/v1/scenarios",
    routes: (id, own) => [
      { method: "GET", path: `/api/v1/scenarios/${id}` },
      { method: "GET", path: `/api/v1/scenarios/${id}/sequences` },
      {
        method: "PUT",
        path: `/api/v1/scenarios/${id}/steps`,
        body: { steps: [{ step_order: 1, name: "x", trigger: "entry", template_id: own.template }] },
      },
      { method: "POST", path: `/api/v1/scenarios/${id}/start` },
      { method: "POST", path: `/api/v1/scenarios/${id}/pause` },
      { method: "POST", path: `/api/v1/scenarios/${id}/stop` },
      {
        method: "POST",
        path: `/api/v1/scenarios/${id}/simulate`,
        body: { contact_id: own.contact, events: [] },
      },
    ],
  },
  {
    name: "rule",
    create: async (org) =>
      (
        await json("/api/v1/rules", {
          key: org.key,
          body: {
            name: "secret rule",
            trigger: "page_visit",
            conditions: {},
            actions: [{ type: "add_tag", config: { tag: "x" } }],
            priority: 10,
            enabled: true,
          },
          expect: 201,
        })
      ).id,
    list: "/api/v1/rules",
    routes: (id) => [
      { method: "GET", path: `/api/v1/rules/${id}` },
      { method: "GET", path: `/api/v1/rules/${id}/runs` },
      { method: "PATCH", path: `/api/v1/rules/${id}`, body: { enabled: false } },
      { method: "DELETE", path: `/api/v1/rules/${id}` },
    ],
  },
  {
    name: "interaction",
    create: async (org) =>
      (
        await json("/api/v1/interactions", {
          key: org.key,
          body: { type: "task", title: "secret task" },
          expect: 201,
        })
      ).id,
    list: "/api/v1/inbox?status=all",
    routes: (id) => [
      { method: "GET", path: `/api/v1/interactions/${id}` },
      { method: "PATCH", path: `/api/v1/interactions/${id}/status`, body: { status: "done" } },
      { method: "PATCH", path: `/api/v1/interactions/${id}/assignee`, body: { assignee_id: null } },
      { method: "PATCH", path: `/api/v1/interactions/${id}/next-action`, body: { next_action_at: null } },
    ],
  },
  {
    name: "api key",
    create: async (org) =>
      (await json("/api/v1/api-keys", { key: org.key, body: { name: "victim" }, expect: 201 })).id,
    list: "/api/v1/api-keys",
    routes: (id) => [{ method: "DELETE", path: `/api/v1/api-keys/${id}` }],
  },
];

let a: TestOrg;
let b: TestOrg;
const aIds: Record<string, string> = {};
const bIds: Record<string, string> = {};

beforeAll(async () => {
  a = await createOrg("Tenant A");
  b = await createOrg("Tenant B");
  for (const r of resources) {
    aIds[r.name] = await r.create(a);
    bIds[r.name] = await r.create(b);
  }
});

describe("tenancy isolation", () => {
  for (const r of resources) {
    it(`another organization's ${r.name} is 404 on every route, and unchanged`, async () => {
      for (const route of r.routes(aIds[r.name] as string, bIds)) {
        const res = await call(route.path, { method: route.method, key: b.key, body: route.body });
        const text = await res.text();
        // Binding a key to another org's user is a validation error on B's own request; all else is 404.
        expect([404, 422], `${route.method} ${route.path} -> ${res.status}`).toContain(res.status);
        expect(text).not.toContain(aIds[r.name]);
      }
      if (r.list) {
        const listed = JSON.stringify(await json(r.list, { key: b.key, expect: 200 }));
        expect(listed).not.toContain(aIds[r.name]);
      }
    });
  }

  it("A's data survived B's attempts", async () => {
    const contact = await json(`/api/v1/contacts/${aIds.contact}`, { key: a.key, expect: 200 });
    expect(contact.first_name).toBeNull();
    expect((await json(`/api/v1/templates/${aIds.template}`, { key: a.key, expect: 200 })).name).toBe(
      "secret",
    );
    expect(
      (await json("/api/v1/api-keys", { key: a.key, expect: 200 })).items.map((k: { id: string }) => k.id),
    ).toContain(aIds["api key"]);
  });

  it("no route with an id answers 2xx with another organization's ids (OpenAPI sweep)", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json", {
      expect: 200,
    });
    const leaks: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      if (
        !template.startsWith("/api/v1/") ||
        template.startsWith("/api/v1/admin/") ||
        !template.includes("{id}")
      )
        continue;
      for (const method of Object.keys(ops)) {
        for (const [name, id] of Object.entries(aIds)) {
          const res = await call(template.replace("{id}", id), {
            method: method.toUpperCase(),
            key: b.key,
            body: method === "get" || method === "delete" ? undefined : {},
          });
          const text = await res.text();
          if (res.status < 300 || text.includes(id))
            leaks.push(`${method.toUpperCase()} ${template} with A's ${name} -> ${res.status}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it("the same email can exist once in each organization", async () => {
    const mine = await json("/api/v1/contacts?email=shared@example.com", { key: a.key, expect: 200 });
    const theirs = await json("/api/v1/contacts?email=shared@example.com", { key: b.key, expect: 200 });
    expect(mine.items).toHaveLength(1);
    expect(theirs.items).toHaveLength(1);
    expect(mine.items[0].id).not.toBe(theirs.items[0].id);
  });
});
