import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { expirePendingSignups } from "../../src/cron/pending-consent";
import { tenantFor } from "../../src/db/route";
import { resetClock, setClock } from "../../src/lib/clock";
import { rawOf } from "../../src/services/messages/store";
import { BASE, createOrg, json, type TestOrg } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import { deliver, enqueueSend, outcomeSpy } from "../helpers/sending";
import {
  createScenario,
  drainEnroll,
  drainSend,
  entry,
  fixture,
  putSteps,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
afterEach(() => resetClock());

const post = (path: string, body: string | Record<string, string>, headers: Record<string, string> = {}) =>
  exports.default.fetch(
    new Request(`${BASE}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": typeof body === "string" ? "application/x-www-form-urlencoded" : "application/json",
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
const get = (path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`${BASE}${path}`, { redirect: "manual", headers }));

async function contactByEmail(org: TestOrg, email: string) {
  return (await json(`/api/v1/contacts?email=${encodeURIComponent(email)}`, { key: org.key })).items[0];
}

/** The raw MIME of the newest message to this contact. */
async function lastMime(org: TestOrg, contactId: string) {
  const m = (await json(`/api/v1/messages?contact_id=${contactId}`, { key: org.key })).items[0];
  const row = await env.DB.prepare("SELECT raw, raw_ref AS rawRef FROM messages WHERE id = ?")
    .bind(m.id)
    .first<{ raw: string | null; rawRef: string | null }>();
  const raw = (await rawOf(env.ARCHIVE, row as { raw: string | null; rawRef: string | null })) ?? "";
  const parts = [...raw.matchAll(/Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/g)].map(
    (x) =>
      new TextDecoder().decode(
        Uint8Array.from(atob((x[1] ?? "").replace(/\s+/g, "")), (ch) => ch.charCodeAt(0)),
      ),
  );
  return [raw, ...parts].join("\n");
}

describe("consent records", () => {
  it("keeps the history (newest first, never changed) and shows the current state per type; imports a consent column", async () => {
    const org = await createOrg();
    const c = await json("/api/v1/contacts", { key: org.key, body: { email: "ann@x.example" }, expect: 201 });
    expect(c.consents).toEqual({
      email_marketing: null,
      sms_marketing: null,
      phone_marketing: null,
      profiling: null,
      third_party_sharing: null,
    });
    await json(`/api/v1/contacts/${c.id}/consents`, {
      key: org.key,
      body: {
        type: "email_marketing",
        granted: true,
        source: "crm",
        ip: "203.0.113.7",
        user_agent: "Mozilla/5.0",
      },
      expect: 201,
    });
    await json(`/api/v1/contacts/${c.id}/consents`, {
      key: org.key,
      body: { type: "email_marketing", granted: false, source: "phone call" },
      expect: 201,
    });
    await json(`/api/v1/contacts/${c.id}/consents`, {
      key: org.key,
      body: { type: "profiling", granted: true, source: "crm" },
      expect: 201,
    });
    const history = (await json(`/api/v1/contacts/${c.id}/consents`, { key: org.key })).items;
    expect(history.map((h: { type: string; state: string }) => `${h.type}:${h.state}`)).toEqual([
      "profiling:granted",
      "email_marketing:revoked",
      "email_marketing:granted",
    ]);
    expect(history[2]).toMatchObject({
      source: "crm",
      ip: "203.0.113.7",
      user_agent: "Mozilla/5.0",
      double_opt_in: false,
      granted: true,
    });
    expect((await json(`/api/v1/contacts/${c.id}`, { key: org.key })).consents).toMatchObject({
      email_marketing: "revoked",
      profiling: "granted",
    });
    await json(`/api/v1/contacts/${c.id}/consents`, {
      key: org.key,
      body: { type: "telepathy", granted: true, source: "x" },
      expect: 422,
    });

    const res = await json("/api/v1/contacts/import", {
      key: org.key,
      raw: "email,consent_email_marketing\nyes@x.example,granted\nno@x.example,revoked\nodd@x.example,maybe\nnone@x.example,",
      contentType: "text/csv",
      expect: 200,
    });
    expect(res.rejected).toEqual([
      { line: 4, email: "odd@x.example", reason: "consent_email_marketing must be granted or revoked" },
    ]);
    const yes = await contactByEmail(org, "yes@x.example");
    expect(yes.consents.email_marketing).toBe("granted");
    expect((await json(`/api/v1/contacts/${yes.id}/consents`, { key: org.key })).items[0]).toMatchObject({
      source: "import",
      state: "granted",
    });
    expect((await contactByEmail(org, "none@x.example")).consents.email_marketing).toBeNull();
    expect((await contactByEmail(org, "yes@x.example")).attributes).toEqual({});
  });

  it("when email consent is required, only consenting contacts are enrolled and sent to; when not, everyone is", async () => {
    const f = await fixture(1);
    const granted = await json("/api/v1/contacts", {
      key: f.org.key,
      body: { email: "g@x.example" },
      expect: 201,
    });
    await json("/api/v1/contacts", { key: f.org.key, body: { email: "n@x.example" }, expect: 201 });
    await json(`/api/v1/contacts/${granted.id}/consents`, {
      key: f.org.key,
      body: { type: "email_marketing", granted: true, source: "crm" },
      expect: 201,
    });
    const enrolled = async () => {
      const s = await createScenario(f);
      await putSteps(f, s.id, [entry(f.templates[0] as string)]);
      await transition(f, s.id, "start");
      await drainEnroll(q);
      return (await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).progress.enrolled;
    };
    expect(await enrolled()).toBe(2);
    await json("/api/v1/settings/consent", {
      key: f.org.key,
      method: "PUT",
      body: { require_email_consent: true },
      expect: 200,
    });
    expect(await enrolled()).toBe(1);
    // The campaign dry run counts the other as no_consent.
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "all",
        type: "dynamic",
        criteria: {
          logic: "and",
          conditions: [{ field: "email_domain", operator: "eq", value: "x.example" }],
        },
      },
      expect: 201,
    });
    const c = await json("/api/v1/campaigns", {
      key: f.org.key,
      body: { name: "c", from_email: "a@sender.example", template_id: f.templates[0], segment_ids: [seg.id] },
      expect: 201,
    });
    const dry = await json(`/api/v1/campaigns/${c.id}/dry-run`, {
      key: f.org.key,
      method: "POST",
      expect: 200,
    });
    expect(dry).toMatchObject({ audience: 2, would_send: 1 });
    expect(dry.excluded.no_consent).toBe(1);
    // A send already queued for a contact whose consent went away is skipped with the reason.
    await json(`/api/v1/contacts/${granted.id}/consents`, {
      key: f.org.key,
      body: { type: "email_marketing", granted: false, source: "crm" },
      expect: 201,
    });
    await drainSend(q);
    const reasons = await env.DB.prepare(
      "SELECT reason FROM operation_ledger WHERE organization_id = ? AND status = 'skipped'",
    )
      .bind(f.org.id)
      .all<{ reason: string }>();
    expect(reasons.results.map((r) => r.reason)).toContain("INSUFFICIENT_CONSENT");
  });
});

describe("double opt-in sign-up forms", () => {
  async function doiForm(org: TestOrg, extra: Record<string, unknown> = {}) {
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: { name: "Newsletter", type: "static" },
      expect: 201,
    });
    const form = await json("/api/v1/forms", {
      key: org.key,
      body: {
        name: "Newsletter",
        fields: ["email", "first_name", { name: "company" }],
        tags: ["newsletter"],
        segment_id: seg.id,
        double_opt_in: true,
        ...extra,
      },
      expect: 201,
    });
    return { form, seg };
  }

  it("post, one confirmation email with its /c/ link, GET changes nothing, POST confirms, then a campaign reaches them", async () => {
    const t0 = Date.parse("2031-05-05T10:00:00Z");
    setClock(t0);
    const org = await createOrg();
    const { form, seg } = await doiForm(org);
    expect(form.action_url).toBe(`${BASE}/f/${form.token}`);
    expect(form.snippet).toContain(`action="${BASE}/f/${form.token}"`);
    expect(form.snippet).toContain('name="website"');
    const res = await post(`/f/${form.token}`, "email=Zoe%40x.example&first_name=Zo%C3%A9&company=Acme", {
      "CF-Connecting-IP": "198.51.100.1",
      "User-Agent": "Mozilla/5.0 (X11)",
    });
    expect(res.status).toBe(202);
    const contact = await contactByEmail(org, "zoe@x.example");
    expect(contact).toMatchObject({
      status: "unsubscribed",
      first_name: "Zoé",
      attributes: { company: "Acme" },
    });
    expect(contact.consents.email_marketing).toBe("pending");
    await drainSend(q);
    const mime = await lastMime(org, contact.id);
    const link = /(https:\/\/mail\.example\.test\/c\/[A-Za-z0-9_.-]+)/.exec(mime)?.[1] as string;
    expect(link).toBeTruthy();
    expect(mime).toContain("Please confirm your subscription");
    const path = link.replace(BASE, "");
    setClock(t0 + 60_000);
    // GET: the page, nothing changed (scanners follow links).
    const page = await get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(page.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    expect((await contactByEmail(org, "zoe@x.example")).consents.email_marketing).toBe("pending");
    // POST: confirmed, with double opt-in, address and browser.
    const done = await post(path, "", {
      "CF-Connecting-IP": "198.51.100.2",
      "User-Agent": "Mozilla/5.0 (Confirm)",
    });
    expect(done.status).toBe(200);
    const after = await contactByEmail(org, "zoe@x.example");
    expect(after).toMatchObject({ status: "subscribed", tags: ["newsletter"] });
    expect(after.consents.email_marketing).toBe("granted");
    const history = (await json(`/api/v1/contacts/${after.id}/consents`, { key: org.key })).items;
    expect(history[0]).toMatchObject({
      state: "granted",
      double_opt_in: true,
      ip: "198.51.100.2",
      user_agent: "Mozilla/5.0 (Confirm)",
    });
    expect((await json(`/api/v1/segments/${seg.id}`, { key: org.key })).contact_count).toBe(1);
    // A replayed confirmation changes nothing.
    await post(path, "");
    expect((await json(`/api/v1/contacts/${after.id}/consents`, { key: org.key })).items).toHaveLength(
      history.length,
    );
    await drainEvents();
    const submits = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE organization_id = ? AND type = 'form_submit'",
    )
      .bind(org.id)
      .first<{ n: number }>();
    expect(submits?.n).toBe(1);
    // The confirmed contact now receives a campaign to the form's segment.
    const tpl = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "n", subject: "News", html: "<p>Hi</p>" },
      expect: 201,
    });
    const camp = await json("/api/v1/campaigns", {
      key: org.key,
      body: { name: "n", from_email: "a@sender.example", template_id: tpl.id, segment_ids: [seg.id] },
      expect: 201,
    });
    await json(`/api/v1/campaigns/${camp.id}/send`, { key: org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    expect(
      (await json(`/api/v1/messages?campaign_id=${camp.id}`, { key: org.key })).items.map(
        (m: { contact_id: string }) => m.contact_id,
      ),
    ).toEqual([after.id]);
  });

  it("answers the same for a new and a known address, sends one confirmation an hour, drops the honeypot", async () => {
    const t0 = Date.parse("2031-05-06T10:00:00Z");
    setClock(t0);
    const org = await createOrg();
    await json("/api/v1/contacts", { key: org.key, body: { email: "known@x.example" }, expect: 201 });
    const { form } = await doiForm(org);
    const a = await post(`/f/${form.token}`, { email: "known@x.example" });
    const b = await post(`/f/${form.token}`, { email: "fresh@x.example" });
    expect([a.status, await a.text()]).toEqual([b.status, await b.text()]);
    await post(`/f/${form.token}`, { email: "fresh@x.example" });
    setClock(t0 + 20 * 60_000);
    await post(`/f/${form.token}`, { email: "fresh@x.example" });
    const fresh = await contactByEmail(org, "fresh@x.example");
    const confirmations = await env.DB.prepare(
      "SELECT count(*) AS n FROM operation_ledger WHERE organization_id = ? AND contact_id = ?",
    )
      .bind(org.id, fresh.id)
      .first<{ n: number }>();
    expect(confirmations?.n).toBe(1);
    setClock(t0 + 61 * 60_000);
    await post(`/f/${form.token}`, { email: "fresh@x.example" });
    const again = await env.DB.prepare(
      "SELECT count(*) AS n FROM operation_ledger WHERE organization_id = ? AND contact_id = ?",
    )
      .bind(org.id, fresh.id)
      .first<{ n: number }>();
    expect(again?.n).toBe(2);
    // The honeypot: accepted as usual, nothing kept.
    expect(
      (await post(`/f/${form.token}`, { email: "bot@x.example", website: "https://spam.example" })).status,
    ).toBe(202);
    expect(await contactByEmail(org, "bot@x.example")).toBeUndefined();
    // Bad input: validated like the API.
    for (const body of [
      { email: "not-an-email" } as Record<string, string>,
      { email: "x@x.example", first_name: "Eve\r\nBcc: all@x.example" },
      { email: "y@x.example", company: "z".repeat(600) },
    ]) {
      const res = await post(`/f/${form.token}`, body);
      expect(res.status).toBe(422);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("VALIDATION_ERROR");
    }
    expect((await post("/f/nope-nope-nope-nope-nope", { email: "a@x.example" })).status).toBe(404);
    // With a redirect URL: 303 there.
    const redirecting = await json("/api/v1/forms", {
      key: org.key,
      body: { name: "r", fields: ["email"], redirect_url: "https://shop.example/thanks" },
      expect: 201,
    });
    const r = await post(`/f/${redirecting.token}`, "email=r%40x.example");
    expect([r.status, r.headers.get("Location")]).toEqual([303, "https://shop.example/thanks"]);
    await json("/api/v1/forms", {
      key: org.key,
      body: { name: "r", fields: ["email"], redirect_url: "javascript:alert(1)" },
      expect: 422,
    });
  });

  it("expired, forged or altered confirmation tokens are a 404 page; never-confirmed sign-ups expire", async () => {
    const t0 = Date.parse("2031-05-07T10:00:00Z");
    setClock(t0);
    const org = await createOrg();
    const { form } = await doiForm(org);
    await post(`/f/${form.token}`, { email: "late@x.example" });
    await drainSend(q);
    const contact = await contactByEmail(org, "late@x.example");
    const link = /(\/c\/[A-Za-z0-9_.-]+)/.exec(await lastMime(org, contact.id))?.[1] as string;
    const [body, sig] = link.slice(3).split(".") as [string, string];
    expect((await get(`/c/${body}.${sig.slice(0, -2)}xx`)).status).toBe(404);
    expect((await get(`/c/${body.slice(0, -3)}abc.${sig}`)).status).toBe(404);
    setClock(t0 + 31 * 86_400_000);
    const expired = await post(link, "");
    expect(expired.status).toBe(404);
    expect(await expired.text()).toContain("This link is not valid");
    expect(await expirePendingSignups(env)).toBeGreaterThanOrEqual(1);
    expect(await contactByEmail(org, "late@x.example")).toBeUndefined();
  });
});

describe("preference centre", () => {
  it("{{ preferences_url }} opens the recipient's page; saving updates consents; unsubscribe from all opts out", async () => {
    const org = await createOrg();
    const c = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "pref@x.example" },
      expect: 201,
    });
    await json(`/api/v1/contacts/${c.id}/consents`, {
      key: org.key,
      body: { type: "email_marketing", granted: true, source: "crm" },
      expect: 201,
    });
    const tpl = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "p", subject: "Hi", html: '<p><a href="{{ preferences_url }}">Preferences</a></p>' },
      expect: 201,
    });
    // A marketing send of that template to the contact, through the real SEND consumer.
    const tenant = await tenantFor(env, org.id);
    const { body } = await enqueueSend(tenant, {
      keyParts: [org.id, "prefs", c.id],
      contactId: c.id,
      templateId: tpl.id,
    });
    await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
    const link = /(\/p\/[A-Za-z0-9_.-]+)/.exec(await lastMime(org, c.id))?.[1] as string;
    expect(link).toBeTruthy();
    const page = await get(link, { "Accept-Language": "fr-FR,fr;q=0.9" });
    const html = await page.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain("Vos préférences e-mail");
    expect(html).toMatch(/name="email_marketing" value="granted" checked/);
    expect(page.headers.get("Content-Security-Policy")).not.toContain("unsafe-inline");
    const saved = await post(link, "email_marketing=granted&profiling=granted");
    expect(saved.status).toBe(200);
    expect((await json(`/api/v1/contacts/${c.id}`, { key: org.key })).consents).toMatchObject({
      email_marketing: "granted",
      profiling: "granted",
      sms_marketing: null,
    });
    await post(link, "unsubscribe_all=1");
    const after = await json(`/api/v1/contacts/${c.id}`, { key: org.key });
    expect(after.status).toBe("unsubscribed");
    expect(after.consents).toMatchObject({ email_marketing: "revoked", profiling: "revoked" });
    expect((await get("/p/forged.token")).status).toBe(404);
  });

  it("erasing a contact reduces its consent history to the hashed address and the revocation", async () => {
    const org = await createOrg();
    const c = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "gone@x.example" },
      expect: 201,
    });
    await json(`/api/v1/contacts/${c.id}/consents`, {
      key: org.key,
      body: { type: "email_marketing", granted: true, source: "crm", ip: "203.0.113.9" },
      expect: 201,
    });
    const exported = await json(`/api/v1/contacts/${c.id}/export`, { key: org.key });
    expect(exported.consents[0]).toMatchObject({
      type: "email_marketing",
      state: "granted",
      ip: "203.0.113.9",
    });
    await json(`/api/v1/contacts/${c.id}`, { key: org.key, method: "DELETE", expect: 200 });
    const rows = await env.DB.prepare(
      "SELECT contact_id, email_hash, type, state, source, ip FROM consent_records WHERE organization_id = ?",
    )
      .bind(org.id)
      .all();
    expect(rows.results).toEqual([
      {
        contact_id: null,
        email_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        type: "email_marketing",
        state: "revoked",
        source: "erasure",
        ip: null,
      },
    ]);
  });
});

/**
 * Rate-limit windows are aligned to the wall clock (a 60 s window rolls over at each minute): a run
 * that straddles a rollover sees two windows. Start where at least `need` seconds of one are left.
 */
async function atWindowStart(periodSeconds: number, need: number) {
  const left = periodSeconds * 1000 - (Date.now() % (periodSeconds * 1000));
  if (left < need * 1000) await new Promise((r) => setTimeout(r, left + 100));
}

describe("rate limits on public endpoints", () => {
  it("answers 429 with Retry-After past 60 posts a minute from one address, and slows failed authentication", async () => {
    await atWindowStart(60, 30);
    const org = await createOrg();
    const form = await json("/api/v1/forms", {
      key: org.key,
      body: { name: "r", fields: ["email"], double_opt_in: false },
      expect: 201,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++)
      statuses.push(
        (await post(`/f/${form.token}`, { email: `r${i}@x.example` }, { "CF-Connecting-IP": "192.0.2.50" }))
          .status,
      );
    expect(statuses.filter((s) => s === 202)).toHaveLength(60);
    const limited = await post(
      `/f/${form.token}`,
      { email: "more@x.example" },
      { "CF-Connecting-IP": "192.0.2.50" },
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect((await limited.json<{ error: { code: string } }>()).error.code).toBe("RATE_LIMIT_EXCEEDED");
    // Another address is not held up.
    expect(
      (await post(`/f/${form.token}`, { email: "other@x.example" }, { "CF-Connecting-IP": "192.0.2.51" }))
        .status,
    ).toBe(202);

    const bad: number[] = [];
    for (let i = 0; i < 22; i++)
      bad.push(
        (
          await exports.default.fetch(
            new Request(`${BASE}/api/v1/contacts`, {
              headers: { Authorization: "Bearer em_live_wrong", "CF-Connecting-IP": "192.0.2.60" },
            }),
          )
        ).status,
      );
    expect(bad.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(bad.slice(20)).toEqual([429, 429]);
    // A valid key from that address still works.
    const ok = await exports.default.fetch(
      new Request(`${BASE}/api/v1/contacts`, {
        headers: { Authorization: `Bearer ${org.key}`, "CF-Connecting-IP": "192.0.2.60" },
      }),
    );
    expect(ok.status).toBe(200);
  });
});
