import { expect, it } from "vitest";
import { BASE, call, json } from "../helpers/api";
import { signedIn } from "../helpers/ui";

const dataOf = (html: string) =>
  JSON.parse(
    /<script type="application\/json" id="designer-data">([^<]*)<\/script>/.exec(html)?.[1] ?? "null",
  );

it("landing pages in the UI: created from the list with a form, edited in the block editor, published, previewed", async () => {
  const { browser, org } = await signedIn();
  const form = await json<{ id: string; token: string }>("/api/v1/forms", {
    key: org.key,
    body: { name: "Newsletter", fields: ["email"] },
    expect: 201,
  });
  await browser.get("/app/templates");
  expect(browser.last).toContain('href="/app/landing-pages"');
  await browser.get("/app/landing-pages");
  expect(browser.last).toContain(`<option value="${form.id}">Newsletter</option>`);
  const bad = await browser.post("/app/landing-pages", { name: "Soldes", slug: "Soldes d'été", form_id: "" });
  expect(bad.status).toBe(422);
  await browser.get("/app/landing-pages");
  const made = await browser.post("/app/landing-pages", { name: "Soldes", slug: "soldes", form_id: form.id });
  expect(made.status).toBe(303);
  const page = made.headers.get("location") as string;
  await browser.get("/app/landing-pages");
  const twice = await browser.post("/app/landing-pages", { name: "Encore", slug: "soldes", form_id: "" });
  expect(twice.status).toBe(422);
  expect(browser.last).toContain("already used");

  await browser.get(page);
  const data = dataOf(browser.last);
  expect(data.mode).toBe("landing");
  expect(data.forms).toEqual([{ id: form.id, name: "Newsletter" }]);
  expect(data.design.blocks.map((b: { type: string }) => b.type)).toEqual(["heading", "text", "form"]);
  expect(data.page.published).toBe(false);
  const url = data.page.url as string;
  expect(url).toBe(`${BASE}/lp/${org.id}/soldes`);
  // Not published yet: 404 at its address.
  expect((await call(url.replace(BASE, ""))).status).toBe(404);

  const draft = { subject: "Soldes d'été", preheader: "", design: data.design, published: true };
  const saved = await browser.post(`${page}/design`, { draft: JSON.stringify(draft) });
  expect(saved.status).toBe(200);
  const live = await call(url.replace(BASE, ""));
  expect(live.status).toBe(200);
  const html = await live.text();
  expect(html).toContain("<title>Soldes d&#39;été</title>");
  expect(html).toContain(`action="${BASE}/f/${form.token}"`);

  await browser.get(page);
  await browser.post(`${page}/design/preview`, { draft: JSON.stringify(draft) });
  expect(browser.last).toContain(`action="${BASE}/f/${form.token}"`);
  await browser.get(page);
  const broken = await browser.post(`${page}/design`, {
    draft: JSON.stringify({ ...draft, design: { blocks: [{ type: "form", form_id: "frm_nope" }] } }),
  });
  expect(broken.status).toBe(422);
});
