import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import { signedIn } from "../helpers/ui";
import type { TestOrg } from "../helpers/api";

/** One of everything, through the API, so every page has something to show. */
async function seed(org: TestOrg) {
  const key = org.key;
  const contact = await json<{ id: string }>("/api/v1/contacts", {
    key,
    body: {
      email: `lead-${crypto.randomUUID().slice(0, 6)}@acme.example`,
      first_name: "<script>alert(1)</script>",
    },
    expect: 201,
  });
  const template = await json<{ id: string }>("/api/v1/templates", {
    key,
    body: { name: "Bienvenue <b>", subject: "Hello {{ first_name }}", html: "<p>Hi {{ first_name }}</p>" },
    expect: 201,
  });
  const scenario = await json<{ id: string }>("/api/v1/scenarios", {
    key,
    body: { name: "Welcome", from_email: "news@sender.example" },
    expect: 201,
  });
  const segment = await json<{ id: string }>("/api/v1/segments", {
    key,
    body: {
      name: "VIP",
      type: "dynamic",
      criteria: { logic: "and", conditions: [{ field: "score", operator: "gte", value: 0 }] },
    },
    expect: 201,
  });
  const campaign = await json<{ id: string }>("/api/v1/campaigns", {
    key,
    body: {
      name: "Launch",
      template_id: template.id,
      segment_ids: [segment.id],
      from_email: "news@sender.example",
    },
    expect: 201,
  });
  const rule = await json<{ id: string }>("/api/v1/rules", {
    key,
    body: {
      name: "Tag clickers",
      trigger: "email_clicked",
      actions: [{ type: "add_tag", config: { tag: "clicked" } }],
    },
    expect: 201,
  });
  const interaction = await json<{ id: string; updated_at: string }>("/api/v1/interactions", {
    key,
    body: {
      type: "call",
      title: "Call back <Acme>",
      contact_id: contact.id,
      next_action_at: new Date(Date.now() - 3600_000).toISOString(),
    },
    expect: 201,
  });
  return { contact, template, scenario, segment, campaign, rule, interaction };
}

const pagesOf = (s: Awaited<ReturnType<typeof seed>>) => [
  "/app",
  "/app/contacts",
  `/app/contacts/${s.contact.id}`,
  "/app/templates",
  "/app/templates/new",
  `/app/templates/${s.template.id}`,
  "/app/scenarios",
  "/app/scenarios/new",
  `/app/scenarios/${s.scenario.id}`,
  "/app/segments",
  "/app/segments/new",
  `/app/segments/${s.segment.id}`,
  "/app/campaigns",
  "/app/campaigns/new",
  `/app/campaigns/${s.campaign.id}`,
  "/app/inbox",
  "/app/rules",
  "/app/rules/new",
  `/app/rules/${s.rule.id}`,
  "/app/settings",
  "/app/settings/suppressions",
  "/app/settings/domains",
  "/app/reports",
  "/app/reports?days=90&group=template",
];

describe("web UI pages", () => {
  it("every page answers 200 with the strict CSP, and user data comes out escaped", async () => {
    const { browser, org } = await signedIn();
    const s = await seed(org);
    for (const path of pagesOf(s)) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy"), path).toContain("script-src 'self'");
      expect(res.headers.get("content-security-policy"), path).not.toContain("unsafe-inline");
      expect(browser.last, path).not.toContain("<script>alert(1)</script>");
      expect(browser.last, path).toMatch(/<script src="\/assets\/app-script\.[0-9a-f]{12}\.js"/);
    }
    await browser.get(`/app/contacts/${s.contact.id}`);
    expect(browser.last).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    await browser.get("/app/templates");
    expect(browser.last).toContain("Bienvenue &lt;b&gt;");
  });

  it("another organization's ids answer 404, and so do unknown pages", async () => {
    const { org: other } = await signedIn();
    const theirs = await seed(other);
    const { browser } = await signedIn();
    const ids = [
      theirs.contact,
      theirs.template,
      theirs.scenario,
      theirs.segment,
      theirs.campaign,
      theirs.rule,
    ].map((x) => x.id);
    const paths = pagesOf(theirs).filter((p) => ids.some((id) => p.endsWith(`/${id}`)));
    expect(paths).toHaveLength(6);
    for (const path of paths) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(404);
      expect(browser.last, path).not.toContain("Launch");
      // The page, not the API's JSON: same words for unknown and foreign ids.
      expect(browser.last, path).toContain("belongs to another organization");
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
    }
    expect((await browser.get("/app/nothing-here")).status).toBe(404);
    // Writes to another organization's objects change nothing.
    const res = await browser.post(`/app/inbox/${theirs.interaction.id}`, {
      action: "done",
      updated_at: theirs.interaction.updated_at,
    });
    expect(res.status).toBe(200);
    const still = await json<{ status: string }>(`/api/v1/interactions/${theirs.interaction.id}`, {
      key: other.key,
    });
    expect(still.status).toBe("todo");
  });

  it("refuses a page form without the session's CSRF token", async () => {
    const { browser } = await signedIn();
    await browser.get("/app/templates/new");
    const res = await browser.post(
      "/app/templates",
      { name: "x", subject: "s", html: "<p>h</p>" },
      { csrf: null },
    );
    expect(res.status).toBe(403);
    const list = await browser.get("/app/templates");
    expect(list.status).toBe(200);
    expect(browser.last).not.toContain(">x</a>");
  });
});
