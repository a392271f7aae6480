import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetClock } from "../../src/lib/clock";
import { signClick, signOpen, signUnsubscribe } from "../../src/services/tracking/tokens";
import { BASE, call } from "../helpers/api";
import {
  drainEvents,
  type EventsOrg,
  eventRows,
  eventsOrg,
  getContactRow,
  getMessage,
  seedContact,
  seedMessage,
  seedScenario,
  sequencesOf,
} from "../helpers/events";
import { isSuppressed } from "../../src/services/suppressions/store";

const KEY = env.ENCRYPTION_KEY;

/** GET without following redirects: what a browser or a link scanner receives. */
const get = (path: string) => exports.default.fetch(new Request(`${BASE}${path}`, { redirect: "manual" }));

/** POST a one-click unsubscribe body (urlencoded unless given), without following redirects. */
const postUnsubscribe = (path: string, body: BodyInit = "List-Unsubscribe=One-Click") =>
  exports.default.fetch(
    new Request(`${BASE}${path}`, {
      method: "POST",
      redirect: "manual",
      body,
      headers: typeof body === "string" ? { "Content-Type": "application/x-www-form-urlencoded" } : {},
    }),
  );
const GIF_HEADER = [0x47, 0x49, 0x46, 0x38]; // "GIF8"

beforeEach(() => resetClock());

async function setup() {
  const org = await eventsOrg();
  const contact = await seedContact(org.tenant, "reader@example.com");
  const messageId = await seedMessage(org.tenant, { contactId: contact.id, subject: "News" });
  return { org, contact, messageId };
}

const unsubscribeState = async (org: EventsOrg, contactId: string) => ({
  status: (await getContactRow(contactId))?.status,
  suppressed: await isSuppressed(org.tenant, "reader@example.com"),
  events: (await eventRows(org.id)).length,
});

describe("open pixel /t/o", () => {
  it("answers a 1x1 GIF and records the open", async () => {
    const { org, contact, messageId } = await setup();
    const res = await call(`/t/o/${await signOpen(KEY, { o: org.id, m: messageId })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/gif");
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 4)]).toEqual(GIF_HEADER);
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ openCount: 1, status: "opened" });
    expect((await getContactRow(contact.id))?.score).toBe(3);
  });

  it("still answers the pixel for a bad token, and records nothing for it or for a HEAD", async () => {
    const { org, messageId } = await setup();
    const bad = await call("/t/o/not-a-token");
    expect(bad.status).toBe(200);
    expect(bad.headers.get("Content-Type")).toBe("image/gif");
    const click = await signClick(KEY, { o: org.id, m: messageId, u: "https://example.com/" });
    expect((await call(`/t/o/${click}`)).status).toBe(200); // a click token is no open token
    const head = await call(`/t/o/${await signOpen(KEY, { o: org.id, m: messageId })}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await eventRows(org.id)).toHaveLength(0);
  });
});

describe("click redirect /t/c", () => {
  it("redirects to the signed URL with 302 and records the click", async () => {
    const { org, contact, messageId } = await setup();
    const url = "https://example.com/offer?utm_source=mail&x=1";
    const res = await get(`/t/c/${await signClick(KEY, { o: org.id, m: messageId, u: url })}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(url);
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ clickCount: 1, status: "clicked" });
    expect((await getContactRow(contact.id))?.score).toBe(8);
  });

  it("answers 404 without a Location to forged, truncated and altered tokens", async () => {
    const { org, messageId } = await setup();
    const token = await signClick(KEY, { o: org.id, m: messageId, u: "https://example.com/a" });
    const [body = "", sig = ""] = token.split(".");
    const evil = btoa(JSON.stringify({ o: org.id, m: messageId, u: "https://evil.example/" })).replace(
      /=+$/,
      "",
    );
    const flipped = `${body.slice(0, -2)}${body.at(-2) === "A" ? "B" : "A"}${body.at(-1)}.${sig}`;
    const forged = [
      "nope",
      token.slice(0, -1),
      token.slice(0, token.length / 2),
      body,
      `${body}.`,
      flipped,
      `${evil}.${sig}`,
      await signOpen(KEY, { o: org.id, m: messageId }), // right key, wrong purpose
      await signClick("another-secret-that-is-long-enough-000000", {
        o: org.id,
        m: messageId,
        u: "https://evil.example/",
      }),
      await signClick(KEY, { o: org.id, m: messageId, u: "javascript:alert(1)" }),
    ];
    for (const t of forged) {
      const res = await get(`/t/c/${t}`);
      expect(res.status, t).toBe(404);
      expect(res.headers.get("Location"), t).toBeNull();
    }
    expect(await eventRows(org.id)).toHaveLength(0);
  });
});

describe("unsubscribe /u", () => {
  it("GET shows a confirm page and changes nothing", async () => {
    const { org, contact } = await setup();
    const { scenarioId } = await seedScenario(org.tenant, { contactIds: [contact.id] });
    const token = await signUnsubscribe(KEY, { o: org.id, c: contact.id });
    for (let i = 0; i < 3; i++) {
      const res = await call(`/u/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toContain("text/html");
      const html = await res.text();
      expect(html).toContain('<form method="post">');
      expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    }
    expect(await unsubscribeState(org, contact.id)).toEqual({
      status: "subscribed",
      suppressed: false,
      events: 0,
    });
    expect(await sequencesOf(contact.id)).toMatchObject([{ scenarioId, status: "active" }]);
    expect((await call("/u/forged.token")).status).toBe(404);
  });

  it("POST with the RFC 8058 body unsubscribes at once, answers 200 without redirect, and is idempotent", async () => {
    const { org, contact, messageId } = await setup();
    const stopping = await seedScenario(org.tenant, { contactIds: [contact.id] });
    const keeping = await seedScenario(org.tenant, { contactIds: [contact.id], stopOnUnsubscribe: false });
    const token = await signUnsubscribe(KEY, { o: org.id, c: contact.id, m: messageId });
    const post = () => postUnsubscribe(`/u/${token}`);
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers.get("Location")).toBeNull();
    expect(await res.text()).toContain("You are unsubscribed");
    // Before any queue work: status, suppression and sequences are already changed.
    expect(await unsubscribeState(org, contact.id)).toEqual({
      status: "unsubscribed",
      suppressed: true,
      events: 1,
    });
    const seqs = await sequencesOf(contact.id);
    expect(seqs.find((s) => s.scenarioId === stopping.scenarioId)).toMatchObject({
      status: "stopped",
      stopReason: "unsubscribed",
      nextRunAt: null,
    });
    expect(seqs.find((s) => s.scenarioId === keeping.scenarioId)).toMatchObject({ status: "active" });

    for (let i = 0; i < 2; i++) expect((await post()).status).toBe(200);
    expect(await unsubscribeState(org, contact.id)).toEqual({
      status: "unsubscribed",
      suppressed: true,
      events: 1,
    });
    await drainEvents();
    expect(await unsubscribeState(org, contact.id)).toEqual({
      status: "unsubscribed",
      suppressed: true,
      events: 1,
    });
    expect((await eventRows(org.id))[0]).toMatchObject({
      type: "unsubscribe",
      contactId: contact.id,
      messageId,
    });
  });

  it("POST takes a multipart body and the page's form, and 404s a bad token", async () => {
    const { org, contact } = await setup();
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    const token = await signUnsubscribe(KEY, { o: org.id, c: contact.id });
    const res = await postUnsubscribe(`/u/${token}`, form);
    expect(res.status).toBe(200);
    expect((await getContactRow(contact.id))?.status).toBe("unsubscribed");
    const forged = await postUnsubscribe(`/u/${token.slice(0, -3)}`);
    expect(forged.status).toBe(404);
    const open = await signOpen(KEY, { o: org.id, m: "msg_x" });
    expect((await postUnsubscribe(`/u/${open}`, "")).status).toBe(404);
  });

  it("POST for an erased contact answers 200 and changes nothing", async () => {
    const { org } = await setup();
    const token = await signUnsubscribe(KEY, { o: org.id, c: "ct_gone" });
    const res = await postUnsubscribe(`/u/${token}`);
    expect(res.status).toBe(200);
    expect(await eventRows(org.id)).toHaveLength(0);
  });
});
