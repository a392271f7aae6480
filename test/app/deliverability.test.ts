import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { json } from "../helpers/api";
import { HttpResponse, http, network, useNetwork } from "../helpers/network";
import { signedIn } from "../helpers/ui";

useNetwork();
const DOH = "https://cloudflare-dns.com/dns-query";

/** DNS over HTTPS: these TXT records by name, nothing else. */
function dns(records: Record<string, string[]>) {
  network.use(
    http.get(DOH, ({ request }) => {
      const name = new URL(request.url).searchParams.get("name") ?? "";
      const Answer = (records[name] ?? []).map((d) => ({
        name: `${name}.`,
        type: 16,
        TTL: 60,
        data: `"${d}"`,
      }));
      return HttpResponse.json({ Status: 0, Answer });
    }),
  );
}

const listed = async (key: string, q = "") =>
  (
    await json<{ items: { email: string | null; reason: string; source: string }[] }>(
      `/api/v1/suppressions?limit=100${q}`,
      { key },
    )
  ).items;

describe("settings: the suppression list page", () => {
  it("adds, searches, imports in parts, removes (as an event) and exports, in English and French", async () => {
    const { browser, org } = await signedIn();
    const page = await browser.get("/app/settings/suppressions");
    expect(page.status).toBe(200);
    expect(browser.last).toContain("Suppression list");
    await browser.post("/app/settings/suppressions", {
      emails: "one@list.example\ntwo@list.example, not-an-address",
    });
    expect(browser.last).toContain("Added: 2, already on the list: 0, rejected: 1.");
    expect(browser.last).toContain("not-an-address: invalid email");
    expect((await listed(org.key)).map((s) => s.email).sort()).toEqual([
      "one@list.example",
      "two@list.example",
    ]);
    expect((await listed(org.key))[0]?.source).toBe("ui");

    // A part of a CSV, as the page script sends it: JSON back with line numbers of the part.
    const res = await browser.post(
      "/app/settings/suppressions/import",
      { csv: "name,email\nA,three@list.example\nB,one@list.example\nC,bad" },
      { headers: { accept: "application/json" } },
    );
    expect(await res.json()).toEqual({
      created: 1,
      updated: 1,
      rejected: [{ line: 4, email: "bad", reason: "invalid email" }],
    });
    // Without the script: the whole file, the outcome on the page.
    await browser.get("/app/settings/suppressions");
    await browser.post("/app/settings/suppressions/import", { csv: "email\nfour@list.example" });
    expect(browser.last).toContain("Added + already on the list: 1 + 0");

    await browser.get("/app/settings/suppressions?q=thr");
    expect(browser.last).toContain("three@list.example");
    expect(browser.last).not.toContain("four@list.example");
    await browser.get("/app/settings/suppressions?reason=unsubscribed");
    expect(browser.last).not.toContain("one@list.example");

    await browser.get("/app/settings/suppressions");
    await browser.post("/app/settings/suppressions/remove", { email: "two@list.example" });
    expect(browser.last).toContain("Taken off the list.");
    expect((await listed(org.key)).map((s) => s.email)).not.toContain("two@list.example");
    const ev = await env.DB.prepare(
      "SELECT raw FROM events WHERE organization_id = ?1 AND type = 'suppression_removed'",
    )
      .bind(org.id)
      .first<{ raw: string }>();
    expect(JSON.parse(ev?.raw ?? "{}").email).toBe("two@list.example");
    // Removing it again: the page says it is not there, no error page.
    const again = await browser.post("/app/settings/suppressions/remove", { email: "two@list.example" });
    expect(again.status).toBe(422);

    const csv = await browser.get("/app/settings/suppressions/export?q=list.example");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = browser.last.trim().split(/\r?\n/);
    expect(lines[0]).toBe("email,reason,source,created_at");
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",")[0])
        .sort(),
    ).toEqual(["four@list.example", "one@list.example", "three@list.example"]);

    await browser.get("/app/settings/suppressions", { cookie: `${browser.cookieHeader()}; lang=fr` });
    expect(browser.last).toContain("Liste de suppression");
    expect(browser.last).toContain("Ajoutée à la main");
  });

  it("refuses a form without the CSRF token and lists nothing of another organization", async () => {
    const { org: other } = await signedIn();
    await json("/api/v1/suppressions", {
      key: other.key,
      body: { emails: ["theirs@x.example"] },
      expect: 200,
    });
    const { browser, org } = await signedIn();
    await browser.get("/app/settings/suppressions");
    expect(browser.last).not.toContain("theirs@x.example");
    const res = await browser.post("/app/settings/suppressions", { emails: "a@b.example" }, { csrf: null });
    expect(res.status).toBe(403);
    expect(await listed(org.key)).toEqual([]);
  });
});

describe("settings: the sending domain pages", () => {
  it("registers a domain, shows its records with copy buttons, turns verified on a check, and ramps", async () => {
    const { browser, org } = await signedIn();
    dns({});
    await browser.get("/app/settings/domains");
    expect(browser.last).toContain("Sending domains");
    // An IP is refused on the page, with the reason.
    const bad = await browser.post("/app/settings/domains", { domain: "192.168.1.1" });
    expect(bad.status).toBe(422);
    expect(browser.last).toContain("an IP address is not a domain");

    const created = await browser.post("/app/settings/domains", { domain: "news.shop.example" });
    expect(created.status).toBe(303);
    const path = created.headers.get("location") ?? "";
    expect(path).toMatch(/^\/app\/settings\/domains\/[\w-]+$/);
    await browser.get(path);
    expect(browser.last).toContain("_dmarc.news.shop.example");
    expect(browser.last).toContain("v=DMARC1; p=none");
    expect(browser.last).toMatch(/data-copy="rec-0-value"/);
    expect(browser.last).toContain('class="badge pending"');

    dns({
      "news.shop.example": ["v=spf1 include:amazonses.com ~all"],
      "_dmarc.news.shop.example": ["v=DMARC1; p=none"],
    });
    await browser.post(`${path}/check`, {});
    expect(browser.last).toContain('class="badge verified"');
    expect(browser.last).not.toContain('class="badge pending"');

    const wrong = await browser.post(`${path}/warmup`, {
      start_per_day: "500",
      growth: "2",
      max_per_day: "100",
    });
    expect(wrong.status).toBe(422);
    expect(browser.last).toContain("max_per_day must be at least start_per_day");
    await browser.post(`${path}/warmup`, { start_per_day: "50", growth: "2", max_per_day: "1000" });
    expect(browser.last).toContain("Allowed today: 50");
    // The chart: day 1 = 50, doubling, capped at 1000 from day 6.
    expect(browser.last).toContain(
      "Allowance per day, for the first 14 days: 50, 100, 200, 400, 800, 1000, 1000, 1000",
    );
    const id = path.split("/").pop() as string;
    const api = await json<{ warmup: { start_per_day: number } | null }>(`/api/v1/domains/${id}`, {
      key: org.key,
    });
    expect(api.warmup?.start_per_day).toBe(50);
    await browser.post(`${path}/warmup`, { stop: "1" });
    expect(browser.last).toContain("No warm-up");

    await browser.get(path, { cookie: `${browser.cookieHeader()}; lang=fr` });
    expect(browser.last).toContain("Enregistrements DNS à publier");

    // Another organization sees 404 for it, and cannot register it now that it is verified here.
    const { browser: theirs } = await signedIn();
    expect((await theirs.get(path)).status).toBe(404);
    await theirs.get("/app/settings/domains");
    const taken = await theirs.post("/app/settings/domains", { domain: "news.shop.example" });
    expect(taken.status).toBe(422);

    await browser.get(path);
    expect((await browser.post(`${path}/delete`, {})).status).toBe(303);
    expect((await browser.get(path)).status).toBe(404);
  });
});
