import { describe, expect, it } from "vitest";
import { call, createOrg, json } from "../helpers/api";

interface Check {
  issues: { code: string; severity: string; message: string }[];
}

const templateOf = (key: string, body: Record<string, unknown>) =>
  json<{ id: string }>("/api/v1/templates", { key, body: { name: "T", ...body }, expect: 201 });

describe("POST /api/v1/templates/:id/check", () => {
  it("a clean email has no issue; each fault is named with its severity", async () => {
    const org = await createOrg();
    const clean = await templateOf(org.key, {
      subject: "Bonjour {{ first_name }}",
      preheader: "Our news",
      html: '<p>Hi</p><img src="https://cdn.example/a.png" alt="Logo"><a href="https://shop.example/?a=1&amp;b=2">Shop</a> <a href="{{ unsubscribe_url }}">Unsubscribe</a> <a href="mailto:hi@shop.example">Mail</a>',
    });
    // No body at all, and an empty one, both check against a sample contact.
    const none = await call(`/api/v1/templates/${clean.id}/check`, { key: org.key, method: "POST" });
    expect(none.status).toBe(200);
    expect(((await none.json()) as Check).issues).toEqual([]);
    expect(
      (await json<Check>(`/api/v1/templates/${clean.id}/check`, { key: org.key, body: {} })).issues,
    ).toEqual([]);

    const faulty = await templateOf(org.key, {
      subject: `${"A very long subject line ".repeat(4)}{{ first_name }}`,
      html: `<p>${"x".repeat(105 * 1024)}</p><img src="https://cdn.example/b.png"><img src="https://cdn.example/c.png" alt=""><a href="http://shop.example/">Shop</a><a href="javascript:alert(1)">x</a><a href="not a url">y</a>{{ nickname }}`,
    });
    const { issues } = await json<Check>(`/api/v1/templates/${faulty.id}/check`, { key: org.key, body: {} });
    const codes = issues.map((i) => `${i.severity}:${i.code}`);
    expect(codes.sort()).toEqual(
      [
        "error:BROKEN_LINK",
        "error:BROKEN_LINK",
        "warning:HTML_TOO_LARGE",
        "warning:IMAGE_MISSING_ALT",
        "warning:INSECURE_LINK",
        "warning:MISSING_PREHEADER",
        "warning:NO_UNSUBSCRIBE",
        "warning:PERSONALIZATION_ERROR",
        "warning:SUBJECT_TOO_LONG",
      ].sort(),
    );
    // Errors come first; the messages name what is wrong.
    expect(issues[0]?.severity).toBe("error");
    expect(issues.find((i) => i.code === "IMAGE_MISSING_ALT")?.message).toContain("b.png");
    expect(issues.find((i) => i.code === "PERSONALIZATION_ERROR")?.message).toContain("nickname");
  });

  it("UNSUPPORTED_CSS names the clients: a raw template whole, a design for what its raw html block adds", async () => {
    const org = await createOrg();
    const raw = await templateOf(org.key, {
      subject: "Hi",
      preheader: "p",
      html: '<div style="display:grid">x</div><a href="{{ unsubscribe_url }}">u</a>',
    });
    const rawIssues = (await json<Check>(`/api/v1/templates/${raw.id}/check`, { key: org.key, body: {} }))
      .issues;
    const grid = rawIssues.find((i) => i.code === "UNSUPPORTED_CSS" && i.message.startsWith("display:grid"));
    expect(grid?.severity).toBe("warning");
    expect(grid?.message).toContain("outlook.windows");
    const designed = (html: string) => ({
      subject: "Hi",
      preheader: "p",
      design: {
        blocks: [
          { type: "text", html: "<p>Hello</p>" },
          { type: "html", html },
          { type: "footer", address: "a" },
        ],
      },
    });
    const plain = await templateOf(org.key, designed("<p>plain</p>"));
    expect(
      (await json<Check>(`/api/v1/templates/${plain.id}/check`, { key: org.key, body: {} })).issues,
    ).toEqual([]);
    const fancy = await templateOf(org.key, designed('<div style="display:grid">x</div>'));
    const fancyIssues = (await json<Check>(`/api/v1/templates/${fancy.id}/check`, { key: org.key, body: {} }))
      .issues;
    expect(fancyIssues.map((i) => i.code)).toEqual(["UNSUPPORTED_CSS"]);
    expect(fancyIssues[0]?.message).toMatch(/^display:grid is not supported by .*gmail/);
  });

  it("Liquid that fails for the chosen contact is an error; tenancy and bad input answer 404 and 422", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const contact = await json<{ id: string }>("/api/v1/contacts", {
      key: org.key,
      body: { email: "a@acme.example", attributes: { n: 100000000 } },
      expect: 201,
    });
    const t = await templateOf(org.key, {
      subject: "Hi",
      preheader: "Hello",
      // A loop as long as the contact's attribute: fine for the sample contact, over the limits for this one.
      html: '<p>{% for i in (1..attributes.n) %}{{ i }}{% endfor %}</p><a href="{{ unsubscribe_url }}">u</a>',
    });
    const res = await json<Check>(`/api/v1/templates/${t.id}/check`, {
      key: org.key,
      body: { contact_id: contact.id },
    });
    expect(res.issues.map((i) => [i.severity, i.code])).toContainEqual(["error", "PERSONALIZATION_ERROR"]);
    expect((await json<Check>(`/api/v1/templates/${t.id}/check`, { key: org.key, body: {} })).issues).toEqual(
      [],
    );
    await json(`/api/v1/templates/${t.id}/check`, { key: other.key, body: {}, expect: 404 });
    await json(`/api/v1/templates/${t.id}/check`, { key: org.key, body: { contact_id: 5 }, expect: 422 });
  });
});
