import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, json, type TestOrg } from "../helpers/api";

let org: TestOrg;
beforeAll(async () => {
  org = await createOrg("Templates Co");
});

describe("templates", () => {
  it("creates, lists, updates and deletes a template", async () => {
    const t = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "Welcome", subject: "Hi {{ first_name }}", html: "<p>Hello {{ first_name }}</p>" },
      expect: 201,
    });
    expect(t).toMatchObject({ name: "Welcome", subject: "Hi {{ first_name }}", text: null });
    const list = await json("/api/v1/templates", { key: org.key, expect: 200 });
    expect(list.items.map((x: { id: string }) => x.id)).toContain(t.id);
    const u = await json(`/api/v1/templates/${t.id}`, {
      key: org.key,
      method: "PATCH",
      body: { name: "Welcome 2" },
      expect: 200,
    });
    expect(u.name).toBe("Welcome 2");
    await json(`/api/v1/templates/${t.id}`, { key: org.key, method: "DELETE", expect: 200 });
    await json(`/api/v1/templates/${t.id}`, { key: org.key, expect: 404 });
  });

  it("refuses a template that does not parse with 422 TEMPLATE_INVALID and the line", async () => {
    const res = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "Broken", subject: "ok", html: "<p>line one</p>\n<p>{% if first_name %}unclosed</p>" },
      expect: 422,
    });
    expect(res.error.code).toBe("TEMPLATE_INVALID");
    expect(res.error.details[0]).toMatchObject({ field: "html" });
    expect(res.error.details[0].line).toBeGreaterThanOrEqual(1);
    const unknownFilter = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "Filter", subject: "{{ first_name | nope }}", html: "<p></p>" },
      expect: 422,
    });
    expect(unknownFilter.error.details[0]).toMatchObject({ field: "subject", line: 1 });
  });

  it("previews for a contact with every variable, escaping HTML but not the subject", async () => {
    const contact = await json("/api/v1/contacts", {
      key: org.key,
      body: {
        email: "x@example.com",
        first_name: "<script>alert(1)</script>",
        attributes: { company: "A&B" },
      },
      expect: 201,
    });
    const t = await json("/api/v1/templates", {
      key: org.key,
      body: {
        name: "Vars",
        subject: "For {{ first_name }} at {{ attributes.company }}",
        html: '<p>{{ first_name }} / {{ last_name | default: "friend" }} / {{ attributes.company }}</p><a href="{{ unsubscribe_url }}">u</a>',
        text: "Hi {{ first_name }} ({{ email }}) from {{ scenario_name }}",
      },
      expect: 201,
    });
    const p = await json(`/api/v1/templates/${t.id}/preview`, {
      key: org.key,
      body: { contact_id: contact.id },
      expect: 200,
    });
    expect(p.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(p.html).not.toContain("<script>");
    expect(p.html).toContain("friend");
    expect(p.html).toContain("A&amp;B");
    expect(p.html).toContain("https://mail.example.test/u/");
    expect(p.subject).toBe("For <script>alert(1)</script> at A&B");
    expect(p.text).toBe("Hi <script>alert(1)</script> (x@example.com) from Preview");
  });

  it("previews {{ unsubscribe_link }} as {{ unsubscribe_url }} (the seed templates' name for it)", async () => {
    const contact = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "link@example.com" },
      expect: 201,
    });
    const t = await json("/api/v1/templates", {
      key: org.key,
      body: {
        name: "Link",
        subject: "s",
        html: '<a id="a" href="{{ unsubscribe_link }}">a</a><a id="b" href="{{ unsubscribe_url }}">b</a>',
      },
      expect: 201,
    });
    const p = await json(`/api/v1/templates/${t.id}/preview`, {
      key: org.key,
      body: { contact_id: contact.id },
      expect: 200,
    });
    const a = /id="a" href="([^"]*)"/.exec(p.html)?.[1];
    const b = /id="b" href="([^"]*)"/.exec(p.html)?.[1];
    expect(a).toMatch(/^https:\/\/mail\.example\.test\/u\//);
    expect(a).toBe(b);
  });

  it("preview of an unknown contact or template is 404", async () => {
    const t = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "n", subject: "s", html: "h" },
      expect: 201,
    });
    await json(`/api/v1/templates/${t.id}/preview`, {
      key: org.key,
      body: { contact_id: "ct_missing" },
      expect: 404,
    });
    await json("/api/v1/templates/tpl_missing/preview", {
      key: org.key,
      body: { contact_id: "ct_missing" },
      expect: 404,
    });
  });
});
