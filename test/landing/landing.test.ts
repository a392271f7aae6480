import { expect, it } from "vitest";
import png from "../fixtures/images/python.png?inline";
import { BASE, call, createOrg, json, type TestOrg } from "../helpers/api";

const bytesOf = (dataUrl: string) =>
  Uint8Array.from(atob(dataUrl.split(",")[1] ?? ""), (ch) => ch.charCodeAt(0));

async function setup() {
  const org = await createOrg();
  const form = await json<{ id: string; token: string }>("/api/v1/forms", {
    key: org.key,
    body: { name: "Newsletter", fields: ["email", "first_name"], double_opt_in: true, language: "fr" },
    expect: 201,
  });
  const upload = new FormData();
  upload.set("file", new File([bytesOf(png)], "hero.png"));
  const asset = (await (
    await call("/api/v1/assets", { key: org.key, method: "POST", raw: upload, contentType: null })
  ).json()) as { id: string; url: string };
  return { org, form, asset };
}

const designOf = (formId: string, assetId: string) => ({
  settings: { background: "#faf7f2", link_color: "#b3261e" },
  blocks: [
    { type: "heading", text: "Les ateliers du printemps", level: 1 },
    { type: "image", asset_id: assetId, alt: "L'atelier" },
    {
      type: "text",
      html: '<p>Inscrivez-vous <strong>avant</strong> jeudi.</p><script>alert(1)</script><img src=x onerror="alert(2)">',
    },
    {
      type: "section",
      background: "#ffeedd",
      columns: [
        [{ type: "text", html: "<p>Gauche</p>" }],
        [{ type: "button", label: "Programme", href: "https://atelier.example/programme" }],
      ],
    },
    { type: "form", form_id: formId },
    { type: "footer", address: "Atelier Dupont · 1 rue Principale · Paris" },
  ],
});

const path = (url: string) => url.replace(BASE, "");

it("a landing page: created with its form, served as responsive web HTML under its own policy, posting to the form", async () => {
  const { org, form, asset } = await setup();
  const page = await json<{ id: string; url: string; published: boolean }>("/api/v1/landing-pages", {
    key: org.key,
    body: {
      name: "Printemps",
      slug: "printemps",
      title: "Ateliers du printemps",
      design: designOf(form.id, asset.id),
    },
    expect: 201,
  });
  expect(page.url).toBe(`${BASE}/lp/${org.id}/printemps`);
  expect(page.published).toBe(true);

  const res = await call(path(page.url), { headers: { "CF-Connecting-IP": "203.0.113.7" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/html");
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toContain("script-src");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  const html = await res.text();
  expect(html).toContain(`<style nonce="${nonce}">`);
  expect(html).toContain('<html lang="fr">');
  expect(html).toContain("<title>Ateliers du printemps</title>");
  expect(html).toContain('<meta name="viewport"');
  expect(html).toContain("<h1>Les ateliers du printemps</h1>");
  expect(html).toContain(`src="${BASE}/i/${asset.id}"`);
  expect(html).toContain("<strong>avant</strong>");
  expect(html).not.toMatch(/<script|onerror/i);
  expect(html).not.toContain("style=");
  expect(html).toContain(`action="${BASE}/f/${form.token}"`);
  expect(html).toContain('class="hp"');
  expect(html).toContain("Je m'inscris");
  expect(html).toContain("#b3{background:#ffeedd}");
  // The form on the page posts as an embedded one does: double opt-in, 202.
  const posted = await call(`/f/${form.token}`, {
    method: "POST",
    raw: "email=lea%40example.com&first_name=L%C3%A9a",
    contentType: "application/x-www-form-urlencoded",
    headers: { "CF-Connecting-IP": "203.0.113.8" },
  });
  expect(posted.status).toBe(202);
  const contacts = await json<{ items: { email: string; status: string }[] }>(
    "/api/v1/contacts?email=lea@example.com",
    {
      key: org.key,
    },
  );
  expect(contacts.items[0]?.status).toBe("unsubscribed");
});

it("landing pages: slugs unique per organization, forms and images of the organization only, unpublish and delete answer 404", async () => {
  const { org, form, asset } = await setup();
  const body = { name: "P", slug: "offre", design: designOf(form.id, asset.id) };
  const page = await json<{ id: string; url: string }>("/api/v1/landing-pages", {
    key: org.key,
    body,
    expect: 201,
  });
  await json("/api/v1/landing-pages", { key: org.key, body, expect: 409 });
  await json("/api/v1/landing-pages", {
    key: org.key,
    body: { ...body, slug: "Offre Spéciale" },
    expect: 422,
  });
  // Another organization may use the same slug, but not this organization's form or image.
  const other: TestOrg = await createOrg();
  const foreign = await json<{ error: { message: string } }>("/api/v1/landing-pages", {
    key: other.key,
    body: { ...body, design: designOf(form.id, asset.id) },
    expect: 422,
  });
  expect(foreign.error.message).toContain(form.id);
  const mine = await setup();
  const theirs = await json<{ url: string }>("/api/v1/landing-pages", {
    key: mine.org.key,
    body: { ...body, design: designOf(mine.form.id, mine.asset.id) },
    expect: 201,
  });
  expect(theirs.url).not.toBe(page.url);
  // Another organization's id in the URL does not reach this page.
  expect((await call(`/lp/${other.id}/offre`)).status).toBe(404);
  expect((await call(`/lp/${mine.org.id}/nope`)).status).toBe(404);
  await json(`/api/v1/landing-pages/${page.id}`, { key: other.key, expect: 404 });

  await json(`/api/v1/landing-pages/${page.id}`, {
    key: org.key,
    method: "PATCH",
    body: { published: false },
  });
  expect((await call(path(page.url))).status).toBe(404);
  await json(`/api/v1/landing-pages/${page.id}`, {
    key: org.key,
    method: "PATCH",
    body: { published: true },
  });
  expect((await call(path(page.url))).status).toBe(200);
  await json(`/api/v1/landing-pages/${page.id}`, { key: org.key, method: "DELETE" });
  expect((await call(path(page.url))).status).toBe(404);
  await json(`/api/v1/landing-pages/${page.id}`, { key: org.key, expect: 404 });
  const list = await json<{ items: unknown[] }>("/api/v1/landing-pages", { key: org.key });
  expect(list.items).toEqual([]);
});

it("GET /forms/:id/embed gives the form's HTML for another site; another organization's form is 404", async () => {
  const { org, form } = await setup();
  const embed = await json<{ html: string }>(`/api/v1/forms/${form.id}/embed`, { key: org.key });
  expect(embed.html).toContain(`<form method="post" action="${BASE}/f/${form.token}">`);
  expect(embed.html).toContain('name="email" type="email" required');
  expect(embed.html).toContain('name="website"');
  const other = await createOrg();
  await json(`/api/v1/forms/${form.id}/embed`, { key: other.key, expect: 404 });
});
