import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { setClock } from "../../src/lib/clock";
import { rawOf } from "../../src/services/messages/store";
import { call, json } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import { drainEnroll, drainSend, fixture, type Fixture, useScenarioQueues } from "../helpers/scenario";

const q = useScenarioQueues();

/** 10 contacts: 0-5 tagged a, 4-9 tagged b (4 and 5 in both), 8 tagged out; 9 unsubscribed. */
async function audience(f: Fixture) {
  const rows = Array.from({ length: 10 }, (_, i) => {
    const tags = [i <= 5 ? "a" : null, i >= 4 ? "b" : null, i === 8 ? "out" : null].filter(Boolean).join(";");
    return `c${i}@shop.example,Person${i},${tags}`;
  });
  await json("/api/v1/contacts/import", {
    key: f.org.key,
    raw: ["email,first_name,tags", ...rows].join("\n"),
    contentType: "text/csv",
    expect: 200,
  });
  const c9 = (await json(`/api/v1/contacts?email=c9@shop.example`, { key: f.org.key })).items[0];
  await json(`/api/v1/contacts/${c9.id}`, {
    key: f.org.key,
    method: "PATCH",
    body: { status: "unsubscribed" },
    expect: 200,
  });
  const seg = async (tag: string) =>
    (
      await json("/api/v1/segments", {
        key: f.org.key,
        body: {
          name: tag,
          type: "dynamic",
          criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: tag }] },
        },
        expect: 201,
      })
    ).id as string;
  return { a: await seg("a"), b: await seg("b"), out: await seg("out") };
}

async function campaign(
  f: Fixture,
  segs: { a: string; b: string; out: string },
  extra: Record<string, unknown> = {},
) {
  return json("/api/v1/campaigns", {
    key: f.org.key,
    body: {
      name: "Spring sale",
      from_email: "shop@sender.example",
      variants: [
        { name: "A", template_id: f.templates[0], weight: 1 },
        { name: "B", template_id: f.templates[1], weight: 1 },
      ],
      segment_ids: [segs.a, segs.b],
      exclude_segment_ids: [segs.out],
      ...extra,
    },
    expect: 201,
  });
}

describe("campaigns: dry run and send", () => {
  it("two overlapping segments minus an exclusion: the dry run's counts are what the send does, each recipient once under redelivery", async () => {
    const f = await fixture(2);
    const segs = await audience(f);
    const c = await campaign(f, segs);
    const dry = await json(`/api/v1/campaigns/${c.id}/dry-run`, {
      key: f.org.key,
      method: "POST",
      expect: 200,
    });
    expect(dry.audience).toBe(10);
    expect(dry.would_send).toBe(8);
    expect(dry.excluded).toMatchObject({
      unsubscribed: 1,
      excluded_segment: 1,
      suppressed: 0,
      no_consent: 0,
    });
    const excludedTotal = Object.values(dry.excluded as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(dry.would_send + excludedTotal).toBe(dry.audience);
    expect((dry.by_variant.A ?? 0) + (dry.by_variant.B ?? 0)).toBe(8);
    expect(dry.sample[0].subject).toMatch(/^Subject [01] for Person\d$/);
    expect(dry.errors).toEqual([]);
    // Nothing was sent or written by the dry run.
    expect(q.send.messages).toHaveLength(0);
    expect((await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key })).status).toBe("draft");

    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    const firstPage = q.enroll.messages[0]?.body;
    await drainEnroll(q);
    // The resolution page delivered again queues nobody twice.
    q.enroll.messages.push({ body: firstPage });
    await drainEnroll(q);
    const sends = q.send.take().map((m) => m.body);
    // Queue redelivery: every SEND message arrives twice.
    await drainSend(q, [...sends, ...sends]);
    const sent = await json(`/api/v1/messages?campaign_id=${c.id}&limit=200`, { key: f.org.key });
    const to = sent.items.map((m: { contact_id: string }) => m.contact_id);
    expect(to).toHaveLength(8);
    expect(new Set(to).size).toBe(8);
    const detail = await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key });
    expect(detail.status).toBe("sent");
    expect(detail.stats).toMatchObject({ recipients: 8, sent: 8, failed: 0 });
    expect(detail.stats.excluded).toMatchObject({ unsubscribed: 1, excluded_segment: 1 });
    expect(
      Object.values(detail.stats.by_variant as Record<string, { sent: number }>).reduce(
        (a, v) => a + v.sent,
        0,
      ),
    ).toBe(8);
    expect(detail.stats.by_variant.A?.sent ?? 0).toBe(dry.by_variant.A ?? 0);

    const recipients = await json(`/api/v1/campaigns/${c.id}/recipients?limit=200`, { key: f.org.key });
    expect(recipients.items).toHaveLength(10);
    expect(
      recipients.items.filter((r: { send_status: string }) => r.send_status === "executed"),
    ).toHaveLength(8);
    expect(recipients.items.find((r: { reason: string }) => r.reason === "excluded_segment")?.email).toBe(
      "c8@shop.example",
    );
    const csv = await (await call(`/api/v1/campaigns/${c.id}/recipients/export`, { key: f.org.key })).text();
    expect(csv.trim().split("\r\n")).toHaveLength(11);
    // Sending it again is an illegal transition.
    expect(
      (await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 409 })).error
        .code,
    ).toBe("ILLEGAL_TRANSITION");
  });

  it("watches it: opens, clicks per link with UTM parameters, the hourly timeline", async () => {
    const t0 = Date.parse("2031-03-03T09:10:00Z");
    setClock(t0);
    const f = await fixture(0);
    const tpl = await json("/api/v1/templates", {
      key: f.org.key,
      body: {
        name: "Sale",
        subject: "Sale",
        html: '<p><a href="https://shop.example/sale?ref=mail">Sale</a> <a href="https://shop.example/faq">FAQ</a></p>',
      },
      expect: 201,
    });
    const segs = await audience(f);
    const c = await campaign(f, segs, {
      variants: null,
      template_id: tpl.id,
      utm: { source: "newsletter", medium: "email", campaign: "spring" },
    });
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    const list = await json(`/api/v1/messages?campaign_id=${c.id}&limit=200`, { key: f.org.key });
    const messageRow = await env.DB.prepare("SELECT raw, raw_ref AS rawRef FROM messages WHERE id = ?")
      .bind(list.items[0].id)
      .first<{ raw: string | null; rawRef: string | null }>();
    const raw = (await rawOf(env.ARCHIVE, messageRow as { raw: string | null; rawRef: string | null })) ?? "";
    const html = atob(
      /Content-Type: text\/html[\s\S]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(raw)?.[1]?.replace(/\s+/g, "") ??
        "",
    );
    const links = [...html.matchAll(/href="(https:\/\/mail\.example\.test\/t\/c\/[^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    expect(links).toHaveLength(2);
    // Two clicks on the sale link, one on the FAQ, by the same reader.
    setClock(t0 + 3_600_000);
    const hits = [links[0], links[0], links[1]];
    const destinations: string[] = [];
    for (const [i, link] of hits.entries()) {
      setClock(t0 + 3_600_000 + i * 5_000);
      const res = await exports.default.fetch(
        new Request(link as string, {
          redirect: "manual",
          headers: { "User-Agent": "Mozilla/5.0 (Macintosh) Safari/605.1.15" },
        }),
      );
      expect(res.status).toBe(302);
      destinations.push(res.headers.get("Location") ?? "");
    }
    expect(destinations[0]).toBe(
      "https://shop.example/sale?ref=mail&utm_source=newsletter&utm_medium=email&utm_campaign=spring",
    );
    await drainEvents();
    const detail = await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key });
    expect(detail.stats).toMatchObject({ sent: 8, clicked: 1, click_rate: 0.125 });
    expect(detail.stats.links).toEqual([
      { url: destinations[0], clicks: 2, unique_clicks: 1 },
      { url: destinations[2], clicks: 1, unique_clicks: 1 },
    ]);
    const timeline = await json(`/api/v1/campaigns/${c.id}/timeline?bucket=hour`, { key: f.org.key });
    expect(timeline.items).toEqual([
      { at: "2031-03-03T09:00:00.000Z", sent: 8, delivered: 0, opened: 0, clicked: 0, unsubscribed: 0 },
      { at: "2031-03-03T10:00:00.000Z", sent: 0, delivered: 0, opened: 0, clicked: 1, unsubscribed: 0 },
    ]);
  });

  it("pause stops what is left, resume sends it, cancel drops it; each once", async () => {
    const f = await fixture(2);
    const segs = await audience(f);
    const c = await campaign(f, segs);
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await json(`/api/v1/campaigns/${c.id}/pause`, { key: f.org.key, method: "POST", expect: 200 });
    await drainSend(q);
    expect((await json(`/api/v1/messages?campaign_id=${c.id}`, { key: f.org.key })).items).toHaveLength(0);
    expect((await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key })).status).toBe("paused");
    await json(`/api/v1/campaigns/${c.id}/pause`, { key: f.org.key, method: "POST", expect: 409 });
    await json(`/api/v1/campaigns/${c.id}/resume`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    expect(
      (await json(`/api/v1/messages?campaign_id=${c.id}&limit=200`, { key: f.org.key })).items,
    ).toHaveLength(8);
    expect((await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key })).status).toBe("sent");

    const other = await campaign(f, segs);
    await json(`/api/v1/campaigns/${other.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await json(`/api/v1/campaigns/${other.id}/cancel`, { key: f.org.key, method: "POST", expect: 200 });
    await drainSend(q);
    expect((await json(`/api/v1/messages?campaign_id=${other.id}`, { key: f.org.key })).items).toHaveLength(
      0,
    );
    await json(`/api/v1/campaigns/${other.id}/resume`, { key: f.org.key, method: "POST", expect: 409 });
    const copy = await json(`/api/v1/campaigns/${other.id}/duplicate`, {
      key: f.org.key,
      method: "POST",
      expect: 201,
    });
    expect(copy).toMatchObject({ status: "draft", name: "Spring sale (copy)" });
  });

  it("a scheduled campaign starts once at send_at, whether its alarm or the cron comes first (or both)", async () => {
    const t0 = Date.parse("2031-04-01T08:00:00Z");
    setClock(t0);
    const f = await fixture(2);
    const segs = await audience(f);
    const c = await campaign(f, segs, { timezone: "Europe/Paris" });
    const sendAt = "2031-04-01T10:00:00.000Z";
    await json(`/api/v1/campaigns/${c.id}/schedule`, {
      key: f.org.key,
      method: "POST",
      body: { send_at: sendAt },
      expect: 200,
    });
    const runCron = async (at: number) => {
      setClock(at);
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime: at }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    // Before its time nothing starts.
    await runCron(t0 + 3_600_000);
    expect((await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key })).status).toBe("scheduled");
    expect(q.enroll.messages.filter((m) => (m.body as { kind?: string }).kind === "campaign")).toHaveLength(
      0,
    );
    // At its time: the alarm and the cron both fire.
    setClock(Date.parse(sendAt) + 1000);
    const clock = env.CAMPAIGN_CLOCK.get(env.CAMPAIGN_CLOCK.idFromName(c.id));
    expect(await runDurableObjectAlarm(clock)).toBe(true);
    await runCron(Date.parse(sendAt) + 60_000);
    const pages = q.enroll.messages.filter((m) => (m.body as { kind?: string }).kind === "campaign");
    expect(pages).toHaveLength(1);
    await drainEnroll(q);
    await drainSend(q);
    expect(
      (await json(`/api/v1/messages?campaign_id=${c.id}&limit=200`, { key: f.org.key })).items,
    ).toHaveLength(8);
    await json(`/api/v1/campaigns/${c.id}/schedule`, {
      key: f.org.key,
      method: "POST",
      body: { send_at: sendAt },
      expect: 409,
    });
  });
});

describe("campaigns: bad input", () => {
  it("answers 422 INVALID_EMAIL_CONTENT, 404 for another organization's ids, 409 for illegal transitions, 422 limits", async () => {
    const f = await fixture(1);
    const segs = await audience(f);
    const base = {
      name: "x",
      from_email: "shop@sender.example",
      template_id: f.templates[0],
      segment_ids: [segs.a],
    };
    const create = (body: Record<string, unknown>, expect: number) =>
      json("/api/v1/campaigns", { key: f.org.key, body, expect });
    expect((await create({ ...base, segment_ids: [] }, 422)).error.code).toBe("INVALID_EMAIL_CONTENT");
    expect((await create({ ...base, template_id: null }, 422)).error.code).toBe("INVALID_EMAIL_CONTENT");
    const empty = await json("/api/v1/templates", {
      key: f.org.key,
      body: { name: "e", subject: " ", html: "<p></p>" },
      expect: 201,
    });
    expect((await create({ ...base, template_id: empty.id }, 422)).error.code).toBe("INVALID_EMAIL_CONTENT");
    await json("/api/v1/settings/audience", {
      key: f.org.key,
      method: "PUT",
      body: { require_unsubscribe_link: true },
      expect: 200,
    });
    expect((await create(base, 422)).error.details[0].message).toMatch(/unsubscribe_url/);
    await json("/api/v1/settings/audience", {
      key: f.org.key,
      method: "PUT",
      body: { require_unsubscribe_link: false, max_audience: 3 },
      expect: 200,
    });

    const g = await fixture(1);
    const theirs = await audience(g);
    expect((await create({ ...base, segment_ids: [theirs.a] }, 404)).error.code).toBe("NOT_FOUND");
    expect((await create({ ...base, template_id: g.templates[0] }, 404)).error.code).toBe("NOT_FOUND");
    await create({ ...base, from_email: "not an address" }, 422);
    await create({ ...base, variants: [{ name: "A", template_id: f.templates[0], weight: 0 }] }, 422);

    const ok = await create(base, 201);
    // Six contacts in segment a, the limit is 3.
    expect(
      (await json(`/api/v1/campaigns/${ok.id}/send`, { key: f.org.key, method: "POST", expect: 422 })).error
        .code,
    ).toBe("SEGMENT_TOO_LARGE");
    await json("/api/v1/settings/audience", {
      key: f.org.key,
      method: "PUT",
      body: { max_audience: 1000 },
      expect: 200,
    });
    const ses = await create({ ...base, provider: "ses" }, 201);
    expect(
      (await json(`/api/v1/campaigns/${ses.id}/send`, { key: f.org.key, method: "POST", expect: 422 })).error
        .code,
    ).toBe("PROVIDER_NOT_CONFIGURED");
    await json(`/api/v1/campaigns/${ok.id}/pause`, { key: f.org.key, method: "POST", expect: 409 });
    await json(`/api/v1/campaigns/${ok.id}/schedule`, {
      key: f.org.key,
      method: "POST",
      body: { send_at: "2001-01-01T00:00:00Z" },
      expect: 422,
    });
    await json(`/api/v1/campaigns/${ok.id}`, { key: g.org.key, expect: 404 });
    await json(`/api/v1/campaigns/${ok.id}/dry-run`, { key: g.org.key, method: "POST", expect: 404 });
  });
});
