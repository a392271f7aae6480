import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

const segmentOf = (key: string, name: string, domain: string) =>
  json<{ id: string }>("/api/v1/segments", {
    key,
    body: {
      name,
      type: "dynamic",
      criteria: { logic: "and", conditions: [{ field: "email_domain", operator: "eq", value: domain }] },
    },
    expect: 201,
  });

/** A date-time-local value `days` from now (UTC wall clock: the test organization's zone). */
const wallClock = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

describe("the campaign wizard", () => {
  it("content, audience with its live count, schedule, then a review with the dry run and the check", async () => {
    const { browser, org } = await signedIn();
    for (const e of ["a@vip.example", "b@vip.example", "c@vip.example", "x@staff.example"])
      await json("/api/v1/contacts", { key: org.key, body: { email: e }, expect: 201 });
    const vip = await segmentOf(org.key, "VIP", "vip.example");
    const staff = await json<{ id: string }>("/api/v1/segments", {
      key: org.key,
      body: {
        name: "Staff",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "email", operator: "starts_with", value: "c@" }] },
      },
      expect: 201,
    });
    const tpl = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: {
        name: "Soldes",
        subject: "Soldes",
        preheader: "Until Sunday",
        html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Stop</a>',
      },
      expect: 201,
    });
    await browser.get("/app/campaigns/new");
    expect(browser.last).toContain('aria-current="step"');
    // Step 1, content: the API's own check names the field.
    const content = { name: "Winter sale", template_id: tpl.id, from_name: "Shop" };
    const bad = await browser.post("/app/campaigns/new", {
      step: "0",
      ...content,
      from_email: "nope",
      do: "next",
    });
    expect(bad.status).toBe(422);
    expect(browser.last).toMatch(/from_email: /);
    const ok = await browser.post("/app/campaigns/new", {
      step: "0",
      ...content,
      from_email: "news@shop.example",
      do: "next",
    });
    expect(ok.status).toBe(200);
    expect(browser.last).toMatch(/VIP \(3\)/);
    // What step 1 typed rides along, hidden.
    expect(browser.last).toContain('type="hidden" name="from_email" value="news@shop.example"');
    const carried = { ...content, from_email: "news@shop.example" };
    // Step 2, audience: nothing chosen is refused; the count follows segments and exclusions.
    const none = await browser.post("/app/campaigns/new", { step: "1", ...carried, do: "next" });
    expect(none.status).toBe(422);
    const live = await browser.post(
      "/app/campaigns/new",
      { step: "1", ...carried, segment_ids: [vip.id], exclude_segment_ids: [staff.id], do: "count" },
      { headers: { accept: "application/json" } },
    );
    expect(live.status).toBe(200);
    expect(JSON.parse(browser.last)).toEqual({ count: 2, sample: expect.arrayContaining(["a@vip.example"]) });
    await browser.get("/app/campaigns/new");
    await browser.post("/app/campaigns/new", { step: "1", ...carried, segment_ids: [vip.id], do: "count" });
    expect(browser.last).toMatch(/id="segment-count">3</);
    await browser.post("/app/campaigns/new", { step: "1", ...carried, segment_ids: [vip.id], do: "next" });
    expect(browser.last).toContain('name="send_at"');
    // Step 3, schedule: a past time is refused; back keeps the audience.
    const audience = { ...carried, segment_ids: [vip.id], exclude_segment_ids: [staff.id] };
    const past = await browser.post("/app/campaigns/new", {
      step: "2",
      ...audience,
      when: "later",
      send_at: wallClock(-1),
      do: "next",
    });
    expect(past.status).toBe(422);
    expect(browser.last).toMatch(/send_at: must be in the future/);
    await browser.post("/app/campaigns/new", { step: "2", ...audience, when: "later", do: "back" });
    expect(browser.last).toMatch(new RegExp(`name="segment_ids" value="${vip.id}" checked`));
    const at = wallClock(2);
    const review = await browser.post("/app/campaigns/new", {
      step: "2",
      ...audience,
      when: "later",
      send_at: at,
      do: "next",
    });
    expect(review.status).toBe(303);
    const location = review.headers.get("location") as string;
    expect(location).toMatch(/^\/app\/campaigns\/[^/]+\/review\?at=/);
    // Review: summary, dry run, check; the campaign is still a draft.
    await browser.get(location);
    // The dry run counts the segments' contacts (3) and what the send leaves out (the excluded segment's 1).
    expect(browser.last).toMatch(/Audience: <span class="figure">3</);
    expect(browser.last).toMatch(/<strong>2<\/strong>/);
    expect(browser.last).toContain("Soldes: No problem found in the email.");
    expect(browser.last).toContain(`href="/app/segments/${staff.id}">Staff</a>`);
    const id = location.split("/")[3] as string;
    expect((await json<{ status: string }>(`/api/v1/campaigns/${id}`, { key: org.key })).status).toBe(
      "draft",
    );
    const scheduled = await browser.post(`/app/campaigns/${id}/schedule`, { send_at: at });
    expect(scheduled.status).toBe(303);
    const after = await json<{ status: string; send_at: string }>(`/api/v1/campaigns/${id}`, {
      key: org.key,
    });
    expect(after.status).toBe("scheduled");
    expect(after.send_at.slice(0, 16)).toBe(at);
    // Once scheduled, the review page leads back to the campaign.
    const gone = await browser.get(location);
    expect(gone.status).toBe(303);
  });

  it("a template with an error-severity issue leaves the send button disabled on the review", async () => {
    const { browser, org } = await signedIn();
    await json("/api/v1/contacts", { key: org.key, body: { email: "a@vip.example" }, expect: 201 });
    const vip = await segmentOf(org.key, "VIP", "vip.example");
    const tpl = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: {
        name: "Broken",
        subject: "Hi",
        html: '<a href="javascript:alert(1)">x</a> <a href="{{ unsubscribe_url }}">u</a>',
      },
      expect: 201,
    });
    await browser.get("/app/campaigns/new");
    const res = await browser.post("/app/campaigns/new", {
      step: "2",
      name: "Broken",
      template_id: tpl.id,
      from_email: "news@shop.example",
      segment_ids: [vip.id],
      when: "now",
      do: "next",
    });
    expect(res.status).toBe(303);
    await browser.get(res.headers.get("location") as string);
    expect(browser.last).toContain("BROKEN_LINK");
    expect(browser.last).toMatch(/<button type="submit" disabled="">Send now<\/button>/);
  });
});
