import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { resetClock, setClock } from "../../src/lib/clock";
import { sha256Hex } from "../../src/lib/crypto";
import { endIdleSessions } from "../../src/services/app/sessions";
import { call, createOrg, json } from "../helpers/api";
import { Browser, signedIn } from "../helpers/ui";

afterEach(() => resetClock());

describe("web UI sign-in", () => {
  it("signs in with an API key into an HttpOnly, SameSite=Lax session stored hashed; sign-out revokes it", async () => {
    const org = await createOrg();
    const b = new Browser();
    expect((await b.get("/app")).status).toBe(303);
    const login = await b.get("/app/login");
    expect(login.status).toBe(200);
    expect(b.last).toContain('name="api_key"');
    const res = await b.post("/app/login/key", { api_key: org.key });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith("em_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    const token = b.cookies.get("em_session") as string;
    const stored = await env.DB.prepare("SELECT token_hash FROM ui_sessions WHERE organization_id = ?")
      .bind(org.id)
      .all<{ token_hash: string }>();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0]?.token_hash).not.toBe(token);
    expect((await b.get("/app")).status).toBe(200);
    expect(b.last).toContain("Dashboard");
    expect((await b.post("/app/logout", {})).status).toBe(303);
    b.cookies.set("em_session", token);
    expect((await b.get("/app")).status).toBe(303);
  });

  it("refuses a wrong key, a form without its CSRF token, and a revoked key's session", async () => {
    const org = await createOrg();
    const b = new Browser();
    await b.get("/app/login");
    expect((await b.post("/app/login/key", { api_key: "em_live_wrong" })).status).toBe(401);
    expect(
      (await b.post("/app/login/key", { api_key: org.key }, { csrf: "forged-token-forged-token" })).status,
    ).toBe(403);
    const { browser } = await signedIn(org);
    expect((await browser.post("/app/logout", {}, { csrf: null })).status).toBe(403);
    expect((await browser.post("/app/logout", {}, { csrf: "x".repeat(32) })).status).toBe(403);
    const keys = await json<{ items: { id: string }[] }>("/api/v1/api-keys", { key: org.key });
    for (const k of keys.items) await call(`/api/v1/api-keys/${k.id}`, { method: "DELETE", key: org.key });
    expect((await browser.get("/app")).status).toBe(303);
  });

  it("ends a session after 12 hours idle", async () => {
    const start = Date.parse("2026-12-03T08:00:00Z");
    setClock(start);
    const { browser } = await signedIn();
    setClock(start + 11 * 3600_000);
    expect((await browser.get("/app")).status).toBe(200);
    setClock(start + 22 * 3600_000 + 60_000);
    expect((await browser.get("/app")).status).toBe(200);
    setClock(start + 35 * 3600_000);
    const token = browser.cookies.get("em_session") as string;
    const res = await browser.get("/app");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app/login?expired=1");
    // The daily job removes what can no longer be used.
    const hash = await sha256Hex(token);
    const count = () =>
      env.DB.prepare("SELECT count(*) AS n FROM ui_sessions WHERE token_hash = ?")
        .bind(hash)
        .first<{ n: number }>();
    const before = await count();
    await endIdleSessions(createDb(env.DB), start + 35 * 3600_000);
    expect(before?.n).toBe(1);
    expect((await count())?.n).toBe(0);
  });

  it("mails a magic link that works once within 15 minutes, after a POST (GET changes nothing)", async () => {
    const org = await createOrg();
    const email = `Member-${crypto.randomUUID().slice(0, 8)}@Company.example`;
    await json("/api/v1/users", { key: org.key, body: { name: "Claire Martin", email }, expect: 201 });
    const b = new Browser();
    await b.get("/app/login");
    // Typed with capitals: the member is found all the same.
    const sent = await b.post("/app/login/email", { email: email.toUpperCase() });
    expect(sent.status).toBe(200);
    const row = await env.DB.prepare(
      "SELECT payload FROM operation_ledger WHERE organization_id = ? ORDER BY created_at DESC LIMIT 1",
    )
      .bind(org.id)
      .first<{ payload: string }>();
    const payload = JSON.parse(row?.payload ?? "{}") as { to_email: string; text: string };
    expect(payload.to_email).toBe(email);
    const token = /token=([A-Za-z0-9_-]+)/.exec(payload.text)?.[1] as string;
    expect(token).toBeTruthy();
    // An unknown address gets the same answer and no email.
    await b.post("/app/login/email", { email: "nobody@company.example" });
    expect(b.last).toContain("sign-in link is on its way");

    const visitor = new Browser();
    await visitor.get(`/app/login/link?token=${token}`);
    await visitor.get(`/app/login/link?token=${token}`);
    const ok = await visitor.post("/app/login/link", { token });
    expect(ok.status).toBe(303);
    expect((await visitor.get("/app")).status).toBe(200);
    const again = new Browser();
    await again.get(`/app/login/link?token=${token}`);
    expect((await again.post("/app/login/link", { token })).status).toBe(400);

    // A second link, used after 15 minutes, is refused.
    const at = Date.now();
    setClock(at);
    await b.post("/app/login/email", { email });
    const late = await env.DB.prepare(
      "SELECT payload FROM operation_ledger WHERE organization_id = ? ORDER BY created_at DESC LIMIT 1",
    )
      .bind(org.id)
      .first<{ payload: string }>();
    const lateToken = /token=([A-Za-z0-9_-]+)/.exec(JSON.parse(late?.payload ?? "{}").text)?.[1] as string;
    expect(lateToken).not.toBe(token);
    setClock(at + 16 * 60_000);
    const v2 = new Browser();
    await v2.get(`/app/login/link?token=${lateToken}`);
    expect((await v2.post("/app/login/link", { token: lateToken })).status).toBe(400);
  });

  it("answers French from Accept-Language and the switch, and never redirects off the app", async () => {
    const { browser } = await signedIn();
    await browser.get("/app/inbox", { "accept-language": "fr-FR,fr;q=0.9" });
    expect(browser.last).toContain("À faire");
    expect(browser.last).toContain("En cours");
    expect(browser.last).toContain("Terminé");
    const res = await browser.post("/app/lang", { lang: "fr", back: "https://evil.example/" });
    expect(res.headers.get("location")).toBe("/app");
    await browser.get("/app");
    expect(browser.last).toContain("Tableau de bord");
    expect(browser.last).toContain('lang="fr"');
    // The builders too: labels, days, options.
    await browser.get("/app/scenarios/new");
    for (const word of [
      "Fournisseur",
      "Expéditeur (e-mail)",
      "Plafond quotidien",
      "lun.",
      "Arrêter à la réponse",
    ])
      expect(browser.last).toContain(word);
    await browser.get("/app/segments/new");
    expect(browser.last).toContain("Opérateur");
    expect(browser.last).toContain("toutes (et)");
  });

  it("first run: the operator token creates an organization from the sign-in page and signs in to it", async () => {
    const b = new Browser();
    await b.get("/app/login");
    expect(b.last).toContain('action="/app/login/setup"');
    expect((await b.post("/app/login/setup", { name: "Atelier", admin_token: "not-the-token" })).status).toBe(
      401,
    );
    expect(b.cookies.has("em_session")).toBe(false);
    const res = await b.post("/app/login/setup", { name: "Atelier <Dupont>", admin_token: env.ADMIN_TOKEN });
    expect(res.status).toBe(201);
    expect(b.last).toContain("Atelier &lt;Dupont&gt;");
    const key = /id="new-key">(em_live_[^<]+)</.exec(b.last)?.[1] as string;
    expect(key).toBeTruthy();
    expect((await b.get("/app")).status).toBe(200);
    const settings = await json<{ organization: { name: string } }>("/api/v1/settings", { key });
    expect(settings.organization.name).toBe("Atelier <Dupont>");
  });
});
