import { describe, expect, it } from "vitest";
import vectors from "../fixtures/xss/wfuzz-XSS.txt?raw";
import { designMjml, renderDesign } from "../../src/services/designs/render";
import { type Design, DesignSchema } from "../../src/services/designs/schema";
import { createOrg, json } from "../helpers/api";

const design = (blocks: unknown[]): Design => DesignSchema.parse({ blocks });

/** The rendered HTML read by workerd's HTML5 parser: every element, its attributes and text. */
async function parsed(html: string) {
  const elements: { tag: string; attrs: [string, string][] }[] = [];
  await new HTMLRewriter()
    .on("*", {
      element: (e) => void elements.push({ tag: e.tagName, attrs: [...e.attributes] as [string, string][] }),
    })
    .transform(new Response(html))
    .arrayBuffer();
  return elements;
}

/** No script survives: no script element, no on* handler, no javascript:/vbscript:/data:text URL. */
async function assertInert(html: string) {
  const els = await parsed(html);
  expect(els.filter((e) => ["script", "iframe", "object", "embed"].includes(e.tag))).toEqual([]);
  for (const e of els)
    for (const [name, value] of e.attrs) {
      expect(name.startsWith("on"), `${e.tag} ${name}`).toBe(false);
      if (["href", "src", "action", "formaction", "background"].includes(name))
        expect(
          value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase(),
          `${e.tag} ${name}=${value}`,
        ).not.toMatch(/^(javascript|vbscript|data:text)/);
    }
}

const EVERY_BLOCK = [
  { type: "heading", text: "Bonjour {{ first_name }} & co", level: 1 },
  {
    type: "text",
    html: '<p>Our <strong>winter</strong> <em>sale</em>: <a href="https://shop.example/sale">see it</a></p><ul><li>one</li><li>two</li></ul>',
  },
  {
    type: "image",
    src: "https://cdn.example/hero.png",
    alt: "Scarves on a table",
    href: "https://shop.example/",
    width: 560,
  },
  {
    type: "button",
    label: "Shop now",
    href: "https://shop.example/?utm=1",
    background: "#1f4fd1",
    color: "#ffffff",
  },
  { type: "divider" },
  { type: "spacer", height: 16 },
  { type: "social", links: [{ network: "instagram", href: "https://instagram.com/shop" }] },
  { type: "products", source: "recommendations", columns: 2 },
  { type: "html", html: '<table role="presentation"><tr><td style="color:#333">Raw cell</td></tr></table>' },
  { type: "footer", address: "Atelier, 1 rue de la Paix, Paris" },
];

describe("designs: blocks to responsive email HTML", () => {
  it("each block type renders to the same MJML and HTML every time (snapshots), with alt text and no script", async () => {
    for (const block of EVERY_BLOCK) {
      const d = design([block]);
      expect(designMjml(d, null)).toMatchSnapshot(`mjml ${block.type}`);
      const out = await renderDesign(d, null);
      expect((await renderDesign(d, null)).html).toBe(out.html);
      expect(out.warnings).toEqual([]);
      expect(out.html).toMatchSnapshot(`html ${block.type}`);
      await assertInert(out.html);
      for (const img of (await parsed(out.html)).filter((e) => e.tag === "img"))
        expect(img.attrs.map(([k]) => k)).toContain("alt");
    }
  });

  it("columns: a section of one to four columns, stacked below 480 px; the preheader opens the HTML hidden", async () => {
    for (const n of [1, 2, 3, 4]) {
      const cols = Array.from({ length: n }, (_, i) => [{ type: "text", html: `<p>Column ${i + 1}</p>` }]);
      const out = await renderDesign(
        design([{ type: "section", background: "#fafafa", columns: cols }]),
        "Half price until Sunday",
      );
      expect(out.html).toMatchSnapshot(`section ${n} columns`);
      // mjml's responsive classes: each column is 100/n % wide above the breakpoint, full width below.
      expect(out.html).toContain(`@media only screen and (min-width:480px)`);
      expect(out.html).toContain(
        n === 1 ? "mj-column-per-100" : `mj-column-per-${n === 3 ? "33-333333333333336" : 100 / n}`,
      );
      const body = out.html.slice(out.html.indexOf("<body"));
      expect(body.indexOf("Half price until Sunday")).toBeLessThan(body.indexOf("Column 1"));
      expect(body).toMatch(/display:none[^>]*>Half price until Sunday/);
    }
  });

  it("the text part keeps every link's URL and the Liquid as written", async () => {
    const out = await renderDesign(design(EVERY_BLOCK), null);
    expect(out.text).toContain("Bonjour {{ first_name }} & co");
    expect(out.text).toContain("see it (https://shop.example/sale)");
    expect(out.text).toContain("Shop now: https://shop.example/?utm=1");
    expect(out.text).toContain("- one\n- two");
    expect(out.text).toContain("Unsubscribe: {{ unsubscribe_url }}");
    expect(out.text).not.toMatch(/<[a-z]/i);
  });
});

describe("designs: the sanitizer", () => {
  const list = vectors.split("\n").filter((l) => l.trim() !== "");

  it(`a text block keeps only p, strong, em, a, ul, ol, li, br (${list.length} wfuzz XSS vectors leave nothing executable)`, async () => {
    expect(list.length).toBeGreaterThan(30);
    for (const v of list) {
      for (const block of [
        { type: "text", html: v },
        { type: "text", html: `<p>${v}</p><a href="${v}">x</a>` },
        { type: "html", html: v },
        { type: "html", html: `<div><img src="x" onerror="${v}">${v}</div>` },
        { type: "heading", text: v, level: 2 },
        { type: "button", label: v.slice(0, 200), href: "https://shop.example/" },
        { type: "footer", address: v },
      ]) {
        const out = await renderDesign(design([block]), v);
        await assertInert(out.html);
      }
    }
    const kept = await renderDesign(
      design([
        {
          type: "text",
          html: '<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)><b>b</b><a href="javascript:alert(1)">c</a><a href="{{ unsubscribe_url }}">d</a></p>',
        },
      ]),
      null,
    );
    expect(kept.html).toContain("<p>a");
    expect(kept.html).not.toContain("alert");
    expect(kept.html).not.toContain("<b>");
    expect(kept.html).toMatch(/<a href="\{\{ unsubscribe_url \}\}"[^>]*>d<\/a>/);
  });

  it("links in fields must be http(s), mailto or a Liquid variable: javascript: is refused with its path", async () => {
    const org = await createOrg();
    const res = await json<{ error: { details: { field: string }[] } }>("/api/v1/templates", {
      key: org.key,
      body: {
        name: "X",
        subject: "S",
        design: { blocks: [{ type: "button", label: "Go", href: "javascript:alert(1)" }] },
      },
      expect: 422,
    });
    expect(JSON.stringify(res)).toContain("design.blocks.0.href");
  });
});

describe("designs through the API", () => {
  it("POST with a design renders html and text; GET returns the design; a preheader edit re-renders; html makes it raw", async () => {
    const org = await createOrg();
    const body = {
      name: "Winter",
      subject: "Sale",
      preheader: "Until Sunday",
      design: { blocks: EVERY_BLOCK },
    };
    const t = await json<{ id: string; html: string; text: string; design: Design; preheader: string }>(
      "/api/v1/templates",
      {
        key: org.key,
        body,
        expect: 201,
      },
    );
    expect(t.html).toBe((await renderDesign(design(EVERY_BLOCK), "Until Sunday")).html);
    expect(t.text).toContain("Shop now: https://shop.example/?utm=1");
    expect(t.design.blocks).toHaveLength(EVERY_BLOCK.length);
    const again = await json<{ design: Design; preheader: string }>(`/api/v1/templates/${t.id}`, {
      key: org.key,
    });
    expect(again.design).toEqual(t.design);
    const edited = await json<{ html: string; design: Design }>(`/api/v1/templates/${t.id}`, {
      key: org.key,
      method: "PATCH",
      body: { preheader: "Last day" },
    });
    expect(edited.html).toContain("Last day");
    expect(edited.design).toEqual(t.design);
    const raw = await json<{ html: string; design: null }>(`/api/v1/templates/${t.id}`, {
      key: org.key,
      method: "PATCH",
      body: { html: "<p>Raw {{ first_name }}</p>" },
    });
    expect(raw.design).toBeNull();
    expect(raw.html).toBe("<p>Raw {{ first_name }}</p>");
    // Neither, or both: 422.
    await json("/api/v1/templates", { key: org.key, body: { name: "X", subject: "S" }, expect: 422 });
    await json("/api/v1/templates", { key: org.key, body: { ...body, html: "<p>x</p>" }, expect: 422 });
  });
});
