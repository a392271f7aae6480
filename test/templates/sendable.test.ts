import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import { createScenario, fixture, putSteps, transition } from "../helpers/scenario";

const broken = '<p>Hi</p><a href="javascript:alert(1)">x</a><a href="{{ unsubscribe_url }}">u</a>';

describe("a template with an error does not leave", () => {
  it("campaign send and schedule answer 422 TEMPLATE_INVALID naming it; fixed, the send goes", async () => {
    const f = await fixture(1);
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: f.org.key,
      body: { name: "Broken", subject: "S", html: broken },
      expect: 201,
    });
    await json("/api/v1/contacts", { key: f.org.key, body: { email: "a@vip.example" }, expect: 201 });
    const seg = await json<{ id: string }>("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "email", operator: "contains", value: "@" }] },
      },
      expect: 201,
    });
    const c = await json<{ id: string }>("/api/v1/campaigns", {
      key: f.org.key,
      body: { name: "C", from_email: "news@sender.example", template_id: t.id, segment_ids: [seg.id] },
      expect: 201,
    });
    const res = await json<{ error: { code: string; message: string } }>(`/api/v1/campaigns/${c.id}/send`, {
      key: f.org.key,
      method: "POST",
      expect: 422,
    });
    expect(res.error.code).toBe("TEMPLATE_INVALID");
    expect(res.error.message).toContain(`"Broken" (${t.id})`);
    expect(res.error.message).toContain("BROKEN_LINK");
    await json(`/api/v1/campaigns/${c.id}/schedule`, {
      key: f.org.key,
      body: { send_at: new Date(Date.now() + 86_400_000).toISOString() },
      expect: 422,
    });
    await json(`/api/v1/templates/${t.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { html: '<p>Hi</p><a href="https://shop.example/">x</a><a href="{{ unsubscribe_url }}">u</a>' },
      expect: 200,
    });
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
  });

  it("a translation with an error stops the campaign too (a contact's locale would send it)", async () => {
    const f = await fixture(1);
    const key = f.org.key;
    const fr = await json<{ id: string }>("/api/v1/templates", {
      key,
      body: { name: "Cassé", subject: "S", html: broken, locale: "fr" },
      expect: 201,
    });
    const en = await json<{ id: string }>("/api/v1/templates", {
      key,
      body: {
        name: "Fine",
        subject: "S",
        html: '<p>Hi</p><a href="{{ unsubscribe_url }}">u</a>',
        translations: { fr: fr.id },
      },
      expect: 201,
    });
    const seg = await json<{ id: string }>("/api/v1/segments", {
      key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "email", operator: "contains", value: "@" }] },
      },
      expect: 201,
    });
    const c = await json<{ id: string }>("/api/v1/campaigns", {
      key,
      body: { name: "C", from_email: "news@sender.example", template_id: en.id, segment_ids: [seg.id] },
      expect: 201,
    });
    const res = await json<{ error: { code: string; message: string } }>(`/api/v1/campaigns/${c.id}/send`, {
      key,
      method: "POST",
      expect: 422,
    });
    expect(res.error.message).toContain(`"Cassé" (${fr.id})`);
  });

  it("scenario start answers 422 TEMPLATE_INVALID for a step's template with an error; warnings never block", async () => {
    const f = await fixture(1);
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: f.org.key,
      body: { name: "Broken", subject: "S", html: broken },
      expect: 201,
    });
    const s = await createScenario(f);
    await putSteps(f, s.id, [{ step_order: 1, name: "One", trigger: "entry", template_id: t.id }]);
    const res = await transition(f, s.id, "start", 422);
    expect(JSON.stringify(res)).toContain("TEMPLATE_INVALID");
    // The fixture's own template has warnings only (no preheader, no unsubscribe link): it starts.
    await putSteps(f, s.id, [{ step_order: 1, name: "One", trigger: "entry", template_id: f.templates[0] }]);
    await transition(f, s.id, "start", 200);
  });
});
