import { describe, expect, it } from "vitest";
import { createOrg, json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

const contactOf = (key: string, email: string) =>
  json<{ id: string }>("/api/v1/contacts", { key, body: { email, first_name: "Jeanne" }, expect: 201 });

describe("web UI journeys", () => {
  it("template: a Liquid error comes back with its line; the preview renders for a contact under its own CSP", async () => {
    const { browser, org } = await signedIn();
    await contactOf(org.key, "jeanne@acme.example");
    await browser.get("/app/templates/new");
    const bad = await browser.post("/app/templates", {
      name: "Promo",
      subject: "Hi",
      html: "<p>ok</p>\n<p>{% if x %}never closed</p>",
    });
    expect(bad.status).toBe(422);
    expect(browser.last).toMatch(/line 2/);
    const good = await browser.post("/app/templates", {
      name: "Promo",
      subject: "Bonjour {{ first_name }}",
      html: "<p>Hi {{ first_name }}</p>",
    });
    expect(good.status).toBe(303);
    const page = good.headers.get("location") as string;
    await browser.get(page);
    const contactId = /<option value="([^"]+)">jeanne@acme.example/.exec(browser.last)?.[1] as string;
    expect(contactId).toBeTruthy();
    const preview = await browser.post("/app/templates/preview", {
      name: "Promo",
      subject: "Bonjour {{ first_name }}",
      html: "<p>Hi {{ first_name }}</p>",
      contact_id: contactId,
    });
    expect(preview.status).toBe(200);
    expect(browser.last).toContain("<p>Hi Jeanne</p>");
    expect(preview.headers.get("content-security-policy")).toContain("sandbox");
    expect(preview.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
  });

  it("scenario: built in the form with a 50/50 A/B step, weights checked, started", async () => {
    const { browser, org } = await signedIn();
    const [a, b] = await Promise.all(
      ["A", "B"].map((n) =>
        json<{ id: string }>("/api/v1/templates", {
          key: org.key,
          body: { name: n, subject: n, html: `<p>${n}</p>` },
          expect: 201,
        }),
      ),
    );
    const ab = await contactOf(org.key, "ab@acme.example");
    await browser.get("/app/scenarios/new");
    const created = await browser.post("/app/scenarios", {
      name: "Bienvenue",
      from_email: "news@sender.example",
      provider: "log",
    });
    expect(created.status).toBe(303);
    const page = created.headers.get("location") as string;
    await browser.get(page);
    const steps = (w: string) => ({
      rows: "2",
      s0_step_order: "1",
      s0_name: "Welcome",
      s0_trigger: "entry",
      s0_template_id: a?.id as string,
      s0_v0_name: "A",
      s0_v0_template_id: a?.id as string,
      s0_v0_weight: "50",
      s0_v1_name: "B",
      s0_v1_template_id: b?.id as string,
      s0_v1_weight: w,
      s1_step_order: "2",
      s1_name: "Follow-up",
      s1_trigger: "not_opened",
      s1_parent_step_order: "1",
      s1_delay_days: "3",
      s1_template_id: b?.id as string,
    });
    const wrong = await browser.post(`${page}/steps`, steps("0"));
    expect(wrong.status).toBe(422);
    expect(browser.last).toMatch(/weight/i);
    const saved = await browser.post(`${page}/steps`, steps("50"));
    expect(saved.status, browser.last.slice(0, 2000)).toBe(200);
    expect(browser.last).toContain("A 50%");
    expect(browser.last).toContain("B 50%");
    // Weights are relative: 1 and 3 are shown as the shares they give.
    await browser.post(`${page}/steps`, { ...steps("3"), s0_v0_weight: "1" });
    expect(browser.last).toContain("A 25%");
    expect(browser.last).toContain("B 75%");
    await browser.post(`${page}/steps`, steps("50"));
    // The simulation, as a timeline: the entry step is sent with one of the variants.
    const sim = await browser.post(`${page}/simulate`, { contact_id: ab.id });
    expect(sim.status).toBe(200);
    expect(browser.last).toMatch(/<td>send<\/td><td>1\. Welcome · [AB]/);
    expect((await browser.post(`${page}/start`, {})).status).toBe(303);
    await browser.get(page);
    expect(browser.last).toMatch(/class="badge">active</);
    // Stop needs its confirmation box.
    const unconfirmed = await browser.post(`${page}/stop`, {});
    expect(unconfirmed.status).toBe(200);
    expect(browser.last).toMatch(/class="badge">active</);
    expect((await browser.post(`${page}/stop`, { confirm: "yes" })).status).toBe(303);
  });

  it("inbox: a quick action answers at once, and a stale version answers 409 for the page to roll back", async () => {
    const { browser, org } = await signedIn();
    const item = await json<{ id: string; updated_at: string }>("/api/v1/interactions", {
      key: org.key,
      body: {
        type: "call",
        title: "Rappeler",
        next_action_at: new Date(Date.now() - 3600_000).toISOString(),
      },
      expect: 201,
    });
    await browser.get("/app/inbox");
    expect(browser.last).toContain("Rappeler");
    const csrf = browser.csrf();
    const later = await browser.post(
      `/app/inbox/${item.id}`,
      { action: "plus3", updated_at: item.updated_at },
      { csrf, headers: { accept: "application/json" } },
    );
    expect(later.status).toBe(200);
    const body = JSON.parse(browser.last) as { updated_at: string };
    expect(Date.parse(body.updated_at)).toBeGreaterThan(Date.parse(item.updated_at));
    const stale = await browser.post(
      `/app/inbox/${item.id}`,
      { action: "done", updated_at: item.updated_at },
      { csrf, headers: { accept: "application/json" } },
    );
    expect(stale.status).toBe(409);
    const done = await browser.post(
      `/app/inbox/${item.id}`,
      { action: "done", updated_at: body.updated_at },
      { csrf, headers: { accept: "application/json" } },
    );
    expect(done.status).toBe(200);
    const now = await json<{ status: string }>(`/api/v1/interactions/${item.id}`, { key: org.key });
    expect(now.status).toBe("done");
  });

  it("segment: the builder counts live; campaign: the dry run reports the audience", async () => {
    const { browser, org } = await signedIn();
    for (const e of ["a@vip.example", "b@vip.example", "c@other.example"]) await contactOf(org.key, e);
    await browser.get("/app/segments/new");
    const count = await browser.post("/app/segments", {
      name: "VIP",
      logic: "and",
      c0_field: "email_domain",
      c0_operator: "eq",
      c0_value: "vip.example",
      do: "count",
    });
    expect(count.status, browser.last.slice(0, 1500)).toBe(200);
    expect(browser.last).toMatch(/id="segment-count">2</);
    const saved = await browser.post("/app/segments", {
      name: "VIP",
      logic: "and",
      c0_field: "email_domain",
      c0_operator: "eq",
      c0_value: "vip.example",
      do: "save",
    });
    expect(saved.status).toBe(303);
    const segmentId = (saved.headers.get("location") as string).split("/").pop() as string;
    const tpl = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: { name: "N", subject: "News", html: "<p>News</p>" },
      expect: 201,
    });
    await browser.get("/app/campaigns/new");
    const campaign = await browser.post("/app/campaigns", {
      name: "Launch",
      template_id: tpl.id,
      segment_ids: [segmentId],
      from_email: "news@sender.example",
    });
    expect(campaign.status).toBe(303);
    const page = campaign.headers.get("location") as string;
    await browser.get(page);
    const report = await browser.post(`${page}/dry-run`, {});
    expect(report.status).toBe(200);
    expect(browser.last).toMatch(/Audience: <span class="figure">2</);
  });

  it("contacts: a CSV import shows rejected rows by line; erasure needs the address typed", async () => {
    const { browser, org } = await signedIn();
    await browser.get("/app/contacts");
    const csv = "email,first_name\nok@acme.example,Ok\nnot-an-email,Bad\nok2@acme.example,Ok2\n";
    const form = new FormData();
    form.set("_csrf", browser.csrf());
    form.set("file", new File([csv], "contacts.csv", { type: "text/csv" }));
    const { call } = await import("../helpers/api");
    const res = await call("/app/contacts/import", {
      method: "POST",
      raw: form,
      contentType: null,
      headers: { cookie: browser.cookieHeader() },
      redirect: "manual",
    });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toMatch(/<td>3<\/td><td>not-an-email<\/td>/);
    await browser.get("/app/contacts?q=ok2");
    expect(browser.last).toContain("ok2@acme.example");
    expect(browser.last).not.toContain(">ok@acme.example<");
    const id = /href="\/app\/contacts\/([^"]+)">ok2@acme.example/.exec(browser.last)?.[1] as string;
    await browser.get(`/app/contacts/${id}`);
    await browser.post(`/app/contacts/${id}/erase`, { confirm_email: "wrong@acme.example" });
    expect((await json(`/api/v1/contacts/${id}`, { key: org.key, expect: 200 })) as unknown).toBeTruthy();
    const erased = await browser.post(`/app/contacts/${id}/erase`, { confirm_email: "OK2@acme.example" });
    expect(erased.status).toBe(200);
    await json(`/api/v1/contacts/${id}`, { key: org.key, expect: 404 });
  });

  it("the page script's JSON answers: a CSV part imports and reports its rows; a segment counts", async () => {
    const { browser } = await signedIn();
    await browser.get("/app/contacts");
    const csrf = browser.csrf();
    const part = await browser.post(
      "/app/contacts/import",
      { csv: "email\npart1@acme.example\nbroken\n" },
      { csrf, headers: { accept: "application/json" } },
    );
    expect(part.status).toBe(200);
    expect(JSON.parse(browser.last)).toMatchObject({
      created: 1,
      updated: 0,
      rejected: [{ line: 3, email: "broken" }],
    });
    const count = await browser.post(
      "/app/segments",
      {
        name: "Acme",
        logic: "and",
        c0_field: "email_domain",
        c0_operator: "eq",
        c0_value: "acme.example",
        do: "count",
      },
      { csrf, headers: { accept: "application/json" } },
    );
    expect(count.status).toBe(200);
    expect(JSON.parse(browser.last)).toEqual({ count: 1, sample: ["part1@acme.example"] });
    const bad = await browser.post(
      "/app/segments",
      { name: "Acme", logic: "and", c0_field: "score", c0_operator: "gte", c0_value: "lots", do: "count" },
      { csrf, headers: { accept: "application/json" } },
    );
    expect(bad.status).toBe(422);
    expect(JSON.parse(browser.last).errors[0].field).toMatch(/^criteria/);
  });

  it("settings: a provider without its secret is refused on the field; secrets are never shown back", async () => {
    const { browser } = await signedIn();
    await browser.get("/app/settings");
    const res = await browser.post("/app/settings/providers", {
      ses_region: "eu-west-1",
      ses_access_key_id: "AKIAEXAMPLE123456",
    });
    expect(res.status).toBe(422);
    expect(browser.last).toContain("secret_access_key");
    await browser.get("/app/settings");
    const saved = await browser.post("/app/settings/providers", {
      brevo_api_key: "xkeysib-0123456789abcdef0123456789",
    });
    expect(saved.status).toBe(200);
    expect(browser.last).not.toContain("xkeysib-0123456789abcdef0123456789");
    expect(browser.last).toMatch(/Brevo: ?set \(write-only\)/);
  });

  it("campaign: a schedule is read in the member's timezone", async () => {
    const org = await createOrg();
    const member = await json<{ id: string }>("/api/v1/users", {
      key: org.key,
      body: { name: "Claire", email: "claire@acme.example", timezone: "Europe/Paris" },
      expect: 201,
    });
    const bound = await json<{ api_key: string }>("/api/v1/api-keys", {
      key: org.key,
      body: { name: "claire", user_id: member.id },
      expect: 201,
    });
    const { browser } = await signedIn({ id: org.id, key: bound.api_key });
    await contactOf(org.key, "x@acme.example");
    const segment = await json<{ id: string }>("/api/v1/segments", {
      key: org.key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "score", operator: "gte", value: 0 }] },
      },
      expect: 201,
    });
    const tpl = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: { name: "N", subject: "N", html: "<p>N</p>" },
      expect: 201,
    });
    const campaign = await json<{ id: string }>("/api/v1/campaigns", {
      key: org.key,
      body: {
        name: "Soldes",
        template_id: tpl.id,
        segment_ids: [segment.id],
        from_email: "news@sender.example",
      },
      expect: 201,
    });
    await browser.get(`/app/campaigns/${campaign.id}`);
    expect(browser.last).toContain("(Europe/Paris)");
    const res = await browser.post(`/app/campaigns/${campaign.id}/schedule`, { send_at: "2030-01-15T10:00" });
    expect(res.status, browser.last.slice(0, 500)).toBe(303);
    const got = await json<{ status: string; send_at: string }>(`/api/v1/campaigns/${campaign.id}`, {
      key: org.key,
    });
    expect(got).toMatchObject({ status: "scheduled", send_at: "2030-01-15T09:00:00.000Z" });
    await browser.get(`/app/campaigns/${campaign.id}`);
    const bad = await browser.post(`/app/campaigns/${campaign.id}/schedule`, { send_at: "soon" });
    expect(bad.status).toBe(200);
    expect(browser.last).toContain("send_at: a date and time (Europe/Paris)");
  });
});
