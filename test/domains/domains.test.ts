import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runDomainChecks } from "../../src/cron/domains";
import { setClock } from "../../src/lib/clock";
import { createOrg, json, type TestOrg } from "../helpers/api";
import { HttpResponse, http, network, useNetwork } from "../helpers/network";
import { drainSend, useScenarioQueues } from "../helpers/scenario";
import { configureBrevo, configureSes } from "../helpers/sending";

useNetwork();
const q = useScenarioQueues();
const T0 = Date.parse("2031-03-03T08:00:00Z");
const HOUR = 3_600_000;
const SES = "https://email.eu-west-1.amazonaws.com/v2/email/identities";
const DOH = "https://cloudflare-dns.com/dns-query";

/** DNS over HTTPS as the JSON API answers: TXT records by name. */
function dns(records: Record<string, string[]>) {
  network.use(
    http.get(DOH, ({ request }) => {
      const name = new URL(request.url).searchParams.get("name") ?? "";
      const answers = (records[name] ?? []).map((data) => ({
        name: `${name}.`,
        type: 16,
        TTL: 300,
        data: `"${data}"`,
      }));
      return HttpResponse.json({ Status: 0, Answer: answers });
    }),
  );
}

/** SES identities: DKIM and MAIL FROM statuses as given. */
function ses(state: { dkim: string; mailFrom: string }) {
  const identity = () => ({
    IdentityType: "DOMAIN",
    VerifiedForSendingStatus: state.dkim === "SUCCESS",
    DkimAttributes: { SigningEnabled: true, Status: state.dkim, Tokens: ["tok1", "tok2", "tok3"] },
    MailFromAttributes: { MailFromDomain: "mail.shop.example", MailFromDomainStatus: state.mailFrom },
  });
  network.use(
    http.post(SES, () => HttpResponse.json(identity())),
    http.put(`${SES}/:domain/mail-from`, () => HttpResponse.json({})),
    http.get(`${SES}/:domain`, () => HttpResponse.json(identity())),
  );
}

const domainApi = (org: TestOrg, body: unknown, expect: number) =>
  json("/api/v1/domains", { key: org.key, body, expect });

describe("sending domains", () => {
  it("SES: the records to publish, DOMAIN_NOT_VERIFIED until verified, then a lost verification pauses its senders", async () => {
    setClock(T0);
    const org = await createOrg();
    await json("/api/v1/users", {
      key: org.key,
      body: { name: "Ops", email: "ops@team.example" },
      expect: 201,
    });
    await configureSes(org);
    const state = { dkim: "PENDING", mailFrom: "PENDING" };
    ses(state);
    dns({});
    const d = await domainApi(org, { domain: "Shop.Example" }, 201);
    expect(d).toMatchObject({ domain: "shop.example", provider: "ses", status: "pending" });
    expect(
      d.records.map(
        (r: { kind: string; type: string; name: string; value: string }) =>
          `${r.kind} ${r.type} ${r.name} ${r.value}`,
      ),
    ).toEqual([
      "dkim CNAME tok1._domainkey.shop.example tok1.dkim.amazonses.com",
      "dkim CNAME tok2._domainkey.shop.example tok2.dkim.amazonses.com",
      "dkim CNAME tok3._domainkey.shop.example tok3.dkim.amazonses.com",
      "mail_from MX mail.shop.example 10 feedback-smtp.eu-west-1.amazonses.com",
      "spf TXT mail.shop.example v=spf1 include:amazonses.com ~all",
      "dmarc TXT _dmarc.shop.example v=DMARC1; p=none; rua=mailto:dmarc-reports@shop.example",
    ]);
    // Mail from it is refused everywhere until it is verified.
    const tpl = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "T", subject: "S", html: "<p>x</p>" },
      expect: 201,
    });
    const s = await json("/api/v1/scenarios", {
      key: org.key,
      body: { name: "S", from_email: "news@shop.example", provider: "ses" },
      expect: 201,
    });
    await json(`/api/v1/scenarios/${s.id}/steps`, {
      key: org.key,
      method: "PUT",
      body: { steps: [{ step_order: 1, name: "a", trigger: "entry", template_id: tpl.id }] },
      expect: 200,
    });
    await json("/api/v1/contacts", { key: org.key, body: { email: "c@example.com" }, expect: 201 });
    expect(
      (await json(`/api/v1/scenarios/${s.id}/start`, { key: org.key, method: "POST", expect: 422 })).error
        .code,
    ).toBe("DOMAIN_NOT_VERIFIED");
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "email", operator: "contains", value: "@" }] },
      },
      expect: 201,
    });
    const c = await json("/api/v1/campaigns", {
      key: org.key,
      body: {
        name: "C",
        template_id: tpl.id,
        segment_ids: [seg.id],
        from_email: "hello@news.shop.example",
        provider: "ses",
      },
      expect: 201,
    });
    expect(
      (await json(`/api/v1/campaigns/${c.id}/send`, { key: org.key, method: "POST", expect: 422 })).error
        .code,
    ).toBe("DOMAIN_NOT_VERIFIED");
    expect(
      (
        await json("/api/v1/send", {
          key: org.key,
          body: { to: "c@example.com", subject: "x", html: "<p>x</p>", from_email: "a@shop.example" },
          expect: 422,
        })
      ).error.code,
    ).toBe("DOMAIN_NOT_VERIFIED");
    // Published: the provider and DNS say so, a check makes it verified.
    state.dkim = "SUCCESS";
    state.mailFrom = "SUCCESS";
    dns({ "_dmarc.shop.example": ["v=DMARC1; p=none"] });
    const verified = await json(`/api/v1/domains/${d.id}`, { key: org.key, expect: 200 });
    expect(verified.status).toBe("verified");
    expect(verified.records.every((r: { status: string }) => r.status === "verified")).toBe(true);
    await json(`/api/v1/scenarios/${s.id}/start`, { key: org.key, method: "POST", expect: 200 });
    // A day later DKIM fails at SES: the scheduled check pauses the scenario and tells the team.
    state.dkim = "FAILED";
    setClock(T0 + 25 * HOUR);
    expect(await runDomainChecks(env)).toBeGreaterThanOrEqual(1);
    const after = await json(`/api/v1/scenarios/${s.id}`, { key: org.key });
    expect(after).toMatchObject({ status: "paused", paused_reason: "domain_unverified" });
    expect((await json(`/api/v1/domains/${d.id}`, { key: org.key })).status).toBe("failed");
    const notes = await env.DB.prepare("SELECT title FROM notifications WHERE organization_id = ?1")
      .bind(org.id)
      .all<{ title: string }>();
    expect(notes.results.map((n) => n.title)).toContain("Sending domain shop.example is no longer verified");
    expect(
      (await json(`/api/v1/scenarios/${s.id}/resume`, { key: org.key, method: "POST", expect: 422 })).error
        .code,
    ).toBe("DOMAIN_NOT_VERIFIED");
  });

  it("Brevo: its records and their status; a provider that cannot be reached leaves it pending with the reason", async () => {
    setClock(T0);
    const org = await createOrg();
    await configureBrevo(org);
    let authenticated = false;
    const body = () => ({
      domain: "brand.example",
      dns_records: {
        dkim_record: {
          type: "TXT",
          value: "k=rsa;p=MIGf",
          host_name: "mail._domainkey",
          status: authenticated,
        },
        brevo_code: { type: "TXT", value: "brevo-code:abc", host_name: "@", status: authenticated },
      },
    });
    network.use(
      http.post("https://api.brevo.com/v3/senders/domains", () => HttpResponse.json(body())),
      http.get("https://api.brevo.com/v3/senders/domains/:d", () => HttpResponse.json(body())),
    );
    dns({ "_dmarc.brand.example": ["v=DMARC1; p=quarantine"] });
    const d = await domainApi(org, { domain: "brand.example" }, 201);
    expect(
      d.records.map((r: { kind: string; name: string; status: string }) => `${r.kind} ${r.name} ${r.status}`),
    ).toEqual([
      "dkim mail._domainkey.brand.example pending",
      "verification brand.example pending",
      "dmarc _dmarc.brand.example verified",
    ]);
    authenticated = true;
    expect((await json(`/api/v1/domains/${d.id}`, { key: org.key })).status).toBe("verified");
    network.use(http.get("https://api.brevo.com/v3/senders/domains/:d", () => HttpResponse.error()));
    const down = await json(`/api/v1/domains/${d.id}`, { key: org.key, expect: 200 });
    expect(down.status).toBe("verified");
    expect(down.reason).toMatch(/Brevo get domain/);
  });

  it("refuses an IP, a public suffix, a name that is not one, and a domain another organization verified", async () => {
    const org = await createOrg();
    dns({ "brand-new.example": ["v=spf1 ~all"], "_dmarc.brand-new.example": ["v=DMARC1; p=none"] });
    for (const domain of [
      "192.168.1.10",
      "co.uk",
      "github.io",
      "not a domain",
      "-bad-.example",
      "x".repeat(300),
    ])
      expect((await domainApi(org, { domain }, 422)).error.code, domain).toBe("VALIDATION_ERROR");
    // No provider: SPF and DMARC checked over DNS; verified.
    const mine = await domainApi(org, { domain: "brand-new.example" }, 201);
    expect(mine).toMatchObject({ provider: "log", status: "verified" });
    await domainApi(org, { domain: "brand-new.example" }, 409);
    const other = await createOrg();
    expect((await domainApi(other, { domain: "brand-new.example" }, 409)).error.code).toBe("CONFLICT");
    await json(`/api/v1/domains/${mine.id}`, { key: other.key, expect: 404 });
    await json(`/api/v1/domains/${mine.id}`, { key: other.key, method: "DELETE", expect: 404 });
  });
});

describe("warm-up", () => {
  it("sends today's allowance and keeps the rest pending (reason warmup) for tomorrow", async () => {
    setClock(T0);
    const org = await createOrg();
    dns({ "warm.example": ["v=spf1 ~all"], "_dmarc.warm.example": ["v=DMARC1; p=none"] });
    const d = await domainApi(org, { domain: "warm.example" }, 201);
    const w = await json(`/api/v1/domains/${d.id}/warmup`, {
      key: org.key,
      method: "PUT",
      body: { start_per_day: 2, growth: 2, max_per_day: 10 },
      expect: 200,
    });
    expect(w.warmup).toMatchObject({ start_per_day: 2, today_allowance: 2 });
    for (let i = 0; i < 5; i++)
      await json("/api/v1/send", {
        key: org.key,
        body: { to: `r${i}@example.com`, subject: "Hi", html: "<p>x</p>", from_email: "hello@warm.example" },
        expect: 202,
      });
    const bodies = q.send.take().map((m) => m.body);
    await drainSend(q, bodies);
    const rows = async () =>
      (
        await env.DB.prepare(
          "SELECT status, reason FROM operation_ledger WHERE organization_id = ?1 ORDER BY id",
        )
          .bind(org.id)
          .all<{ status: string; reason: string | null }>()
      ).results;
    expect((await rows()).filter((r) => r.status === "executed")).toHaveLength(2);
    expect((await rows()).filter((r) => r.status === "pending").map((r) => r.reason)).toEqual([
      "warmup",
      "warmup",
      "warmup",
    ]);
    // The held messages went back on the queue for tomorrow; redelivered today they wait again.
    const held = q.send.take();
    expect(held).toHaveLength(3);
    expect(held.every((m) => (m.delaySeconds ?? 0) > 3600)).toBe(true);
    await drainSend(
      q,
      held.map((m) => m.body),
    );
    expect((await rows()).filter((r) => r.status === "executed")).toHaveLength(2);
    // Tomorrow the allowance is 4: the three go.
    setClock(T0 + 24 * HOUR);
    await drainSend(
      q,
      q.send.take().map((m) => m.body),
    );
    expect((await rows()).filter((r) => r.status === "executed")).toHaveLength(5);
    // Bad ramps are refused.
    for (const body of [
      { start_per_day: 0, growth: 2, max_per_day: 5 },
      { start_per_day: 10, growth: 2, max_per_day: 5 },
      { growth: 2 },
    ])
      await json(`/api/v1/domains/${d.id}/warmup`, { key: org.key, method: "PUT", body, expect: 422 });
  });
});
