import { expect, it } from "vitest";
import png from "../fixtures/images/python.png?inline";
import { call, createOrg, json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

const bytesOf = (dataUrl: string) =>
  Uint8Array.from(atob(dataUrl.split(",")[1] ?? ""), (ch) => ch.charCodeAt(0));

const DESIGN = {
  settings: { width: 600 },
  blocks: [
    { type: "heading", id: "h1", text: "Bonjour {{ first_name }}", level: 1 },
    { type: "image", id: "img", src: "https://cdn.example.com/a.png" },
    { type: "button", id: "go", label: "Voir", href: "http://shop.example.com/x" },
    { type: "footer", id: "f", address: "1 rue Principale, Paris" },
  ],
};

async function designed() {
  const { browser, org } = await signedIn();
  const t = await json<{ id: string }>("/api/v1/templates", {
    key: org.key,
    body: { name: "Lettre", subject: "Salut", preheader: "p", design: DESIGN },
    expect: 201,
  });
  const page = `/app/templates/${t.id}`;
  await browser.get(page);
  return { browser, org, id: t.id, page };
}

/** The editor's data block on the last page read. */
const dataOf = (html: string) => {
  const m = /<script type="application\/json" id="designer-data">([^<]*)<\/script>/.exec(html);
  return JSON.parse(m?.[1] ?? "null");
};

it("a designed template opens in the block editor: its blocks listed without script, the data, the check by block", async () => {
  const { browser } = await designed();
  const html = browser.last;
  expect(html).toContain('id="designer"');
  expect(html).toMatch(/<script type="module" src="\/static\/designer\.[0-9a-f]{12}\.js">/);
  expect(html).toContain('data-block-id="img" data-block-type="image"');
  expect(html).toContain("HTML (for developers)");
  const data = dataOf(html);
  expect(data.design.blocks.map((b: { id: string }) => b.id)).toEqual(["h1", "img", "go", "f"]);
  expect(data.urls.save).toMatch(/\/design$/);
  expect(data.t.moveUp).toBe("Move up");
  // The check names the blocks it is about: the image without alt, the http button.
  const byCode = Object.fromEntries(
    data.checks.map((i: { code: string; block?: string }) => [i.code, i.block]),
  );
  expect(byCode.IMAGE_MISSING_ALT).toBe("img");
  expect(byCode.INSECURE_LINK).toBe("go");
  // A raw template keeps the HTML editor.
  const raw = await browser.post("/app/templates", { name: "Raw", subject: "s", html: "<p>x</p>" });
  await browser.get(raw.headers.get("location") as string);
  expect(browser.last).not.toContain('id="designer"');
  expect(browser.last).toContain('<textarea id="html"');
});

it("saving the draft renders it as the API does and answers the new check; bad drafts are 422 with their path", async () => {
  const { browser, org, id, page } = await designed();
  const design = structuredClone(DESIGN) as { settings: object; blocks: Record<string, unknown>[] };
  Object.assign(design.blocks[1] ?? {}, { alt: "Notre atelier" });
  Object.assign(design.blocks[2] ?? {}, { href: "https://shop.example.com/x" });
  const res = await browser.post(`${page}/design`, {
    draft: JSON.stringify({ subject: "Nouveau sujet", preheader: "Aperçu", design }),
  });
  expect(res.status).toBe(200);
  const body = JSON.parse(browser.last) as { checks: { code: string }[] };
  expect(body.checks.filter((i) => i.code !== "UNSUPPORTED_CSS").map((i) => i.code)).toEqual([]);
  const t = await json<{ subject: string; preheader: string; html: string; design: typeof DESIGN }>(
    `/api/v1/templates/${id}`,
    { key: org.key },
  );
  expect(t.subject).toBe("Nouveau sujet");
  expect(t.preheader).toBe("Aperçu");
  expect(t.html).toContain('alt="Notre atelier"');
  expect(t.design.blocks[1]).toMatchObject({ id: "img", alt: "Notre atelier" });

  await browser.get(page);
  const bad = await browser.post(`${page}/design`, {
    draft: JSON.stringify({
      subject: "s",
      preheader: "",
      design: { blocks: [{ type: "button", label: "x", href: "javascript:alert(1)" }] },
    }),
  });
  expect(bad.status).toBe(422);
  expect(JSON.parse(browser.last).issues[0].field).toBe("design.blocks.0.href");
  await browser.get(page);
  const notJson = await browser.post(`${page}/design`, { draft: "{" });
  expect(notJson.status).toBe(422);
  // Without the session's CSRF token nothing is saved.
  const forged = await browser.post(
    `${page}/design`,
    { draft: JSON.stringify({ subject: "x", preheader: "", design }) },
    { csrf: null },
  );
  expect(forged.status).toBe(403);
  // Another organization's template: 404, untouched.
  const other = await signedIn();
  await other.browser.get("/app");
  const foreign = await other.browser.post(`${page}/design`, {
    draft: JSON.stringify({ subject: "x", preheader: "", design }),
  });
  expect(foreign.status).toBe(404);
  expect((await json<{ subject: string }>(`/api/v1/templates/${id}`, { key: org.key })).subject).toBe(
    "Nouveau sujet",
  );
});

it("the preview renders the draft for a contact in a sandboxed frame; the export is the rendered HTML", async () => {
  const { browser, org, page } = await designed();
  const c = await json<{ id: string }>("/api/v1/contacts", {
    key: org.key,
    body: { email: "amelie@example.com", first_name: "Amélie" },
    expect: 201,
  });
  const res = await browser.post(`${page}/design/preview`, {
    draft: JSON.stringify({ subject: "Pour {{ first_name }}", preheader: "", design: DESIGN }),
    contact_id: c.id,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-security-policy")).toContain("sandbox");
  expect(browser.last).toContain("<title>Pour Amélie</title>");
  expect(browser.last).toContain("Bonjour Amélie");
  await browser.get(page);
  await browser.post(`${page}/design/preview`, {
    draft: JSON.stringify({ subject: "s", preheader: "", design: { blocks: [] } }),
  });
  expect(browser.last).toContain("design.blocks");
  const exported = await browser.get(`${page}/export.html`);
  expect(exported.headers.get("content-disposition")).toBe('attachment; filename="Lettre.html"');
  expect(browser.last).toContain("Bonjour {{ first_name }}");
});

it("an image uploaded from the editor is stored as an asset of the organization; anything else is refused", async () => {
  const { browser, org } = await designed();
  const send = async (bytes: Uint8Array, name: string) => {
    const form = new FormData();
    form.set("_csrf", browser.csrf());
    form.set("file", new File([bytes], name));
    return call("/app/assets", {
      method: "POST",
      raw: form,
      contentType: null,
      headers: { cookie: browser.cookieHeader() },
    });
  };
  const ok = await send(bytesOf(png), "atelier.png");
  expect(ok.status).toBe(201);
  const asset = (await ok.json()) as { id: string; url: string };
  expect(asset.url).toMatch(/\/i\/ast_/);
  const list = await json<{ items: { id: string }[] }>("/api/v1/assets", { key: org.key });
  expect(list.items.map((a) => a.id)).toContain(asset.id);
  const text = await send(new TextEncoder().encode("not an image"), "fake.png");
  expect(text.status).toBe(415);
  expect(((await text.json()) as { error: { message: string } }).error.message).toBeTruthy();
  const stranger = await createOrg();
  expect((await json<{ items: unknown[] }>("/api/v1/assets", { key: stranger.key })).items).toEqual([]);
});
