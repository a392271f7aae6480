/**
 * A landing page as responsive web HTML (not email tables): the blocks in a centred column whose
 * sections' columns wrap on a phone, the page's colours in one stylesheet carrying the response's
 * CSP nonce (no style attribute: the page's policy forbids them), text blocks sanitized as in
 * email, form blocks as the form's own markup posting to its /f/:token. No Liquid: a page has no
 * contact to fill it, so text shows as written.
 */
import { escapeHtml as esc } from "../../lib/html";
import type { ProductMap } from "../designs/products";
import { sanitizeRawHtml, sanitizeText } from "../designs/sanitize";
import type { ContentBlock } from "../designs/schema";
import { type FormRow, formSnippet } from "../forms/store";
import type { LandingDesign, PageBlock } from "./schema";

export interface LandingContext {
  baseUrl: string;
  forms: Map<string, FormRow>;
  products: ProductMap;
  nonce: string;
}

const NETWORKS: Record<string, string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  x: "X",
  linkedin: "LinkedIn",
  youtube: "YouTube",
  tiktok: "TikTok",
  website: "Website",
};

/** An http(s) or mailto link kept; anything else (a Liquid variable with no contact) becomes "#". */
const link = (h: string | undefined) => esc(h && /^(https?:|mailto:)/i.test(h) ? h : "#");

function block(b: PageBlock, key: string, ctx: LandingContext, css: string[]): string {
  switch (b.type) {
    case "form": {
      const f = ctx.forms.get(b.form_id);
      return f ? `<div class="form">${formSnippet(f, `${ctx.baseUrl}/f/${f.token}`, "hp")}</div>` : "";
    }
    case "section":
      if (b.background) css.push(`#${key}{background:${b.background}}`);
      return `<div class="cols" id="${key}">${b.columns
        .map(
          (col, i) =>
            `<div class="col">${col.map((x, j) => block(x, `${key}-${i}-${j}`, ctx, css)).join("")}</div>`,
        )
        .join("")}</div>`;
    default:
      return content(b, key, ctx, css);
  }
}

function content(b: ContentBlock, key: string, ctx: LandingContext, css: string[]): string {
  switch (b.type) {
    case "heading":
      return `<h${b.level}>${esc(b.text)}</h${b.level}>`;
    case "text":
      return `<div class="text">${sanitizeText(b.html)}</div>`;
    case "image": {
      const src = b.asset_id ? `${ctx.baseUrl}/i/${b.asset_id}` : (b.src ?? "");
      if (b.width) css.push(`#${key}{width:${b.width}px}`);
      const img = `<img id="${key}" src="${link(src)}" alt="${esc(b.alt ?? "")}">`;
      return `<p class="image">${b.href ? `<a href="${link(b.href)}">${img}</a>` : img}</p>`;
    }
    case "button":
      css.push(
        `#${key}{${b.background ? `background:${b.background};` : ""}${b.color ? `color:${b.color}` : ""}}`,
      );
      return `<p class="button"><a class="btn" id="${key}" href="${link(b.href)}">${esc(b.label)}</a></p>`;
    case "divider":
      return "<hr>";
    case "spacer":
      css.push(`#${key}{height:${b.height}px}`);
      return `<div id="${key}"></div>`;
    case "social":
      return `<p class="social">${b.links.map((l) => `<a href="${link(l.href)}">${NETWORKS[l.network]}</a>`).join(" · ")}</p>`;
    case "products": {
      const picked = (b.product_ids ?? []).map((id) => ctx.products.get(id)).filter((p) => !!p);
      return `<div class="products">${picked
        .map(
          (p) =>
            `<div class="product">${p.image_url ? `<img src="${link(p.image_url)}" alt="${esc(p.name)}">` : ""}<p><strong>${p.url ? `<a href="${link(p.url)}">${esc(p.name)}</a>` : esc(p.name)}</strong>${p.price !== null ? `<br>${p.price} ${esc(p.currency ?? "")}` : ""}</p></div>`,
        )
        .join("")}</div>`;
    }
    case "html":
      return sanitizeRawHtml(b.html);
    case "footer":
      return `<footer>${esc(b.address)}</footer>`;
  }
}

export function renderLanding(page: { title: string; design: LandingDesign }, ctx: LandingContext): string {
  const s = page.design.settings;
  const css: string[] = [];
  const body = page.design.blocks.map((b, i) => block(b, `b${i}`, ctx, css)).join("\n");
  const style = [
    "*{box-sizing:border-box}",
    `body{margin:0;background:${s.background};color:${s.text_color};font-family:${s.font_family};line-height:1.5}`,
    `main{max-width:${s.width}px;margin:0 auto;padding:24px 20px;background:#fff;min-height:100vh}`,
    `a{color:${s.link_color}}h1,h2,h3{line-height:1.25;margin:0 0 12px}img{max-width:100%;height:auto}`,
    ".cols{display:flex;flex-wrap:wrap;gap:16px}.col{flex:1 1 220px;min-width:0}",
    `.btn{display:inline-block;background:${s.link_color};color:#fff;padding:12px 24px;border-radius:4px;text-decoration:none;font-weight:600}`,
    "hr{border:0;border-top:1px solid #d0d0d8;margin:16px 0}.hp{position:absolute;left:-5000px}",
    ".form label{font-weight:600}.form input,.form textarea{width:100%;padding:10px;font:inherit;border:1px solid #b0b0b8;border-radius:4px}",
    `.form button{background:${s.link_color};color:#fff;border:0;padding:12px 24px;border-radius:4px;font:inherit;font-weight:600;cursor:pointer}`,
    ".products{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:16px}.social{text-align:center}",
    "footer{font-size:12px;color:#55555f;text-align:center;margin-top:24px}",
    ...css,
  ].join("\n");
  // The page's language: its first form's (a page without one says English).
  const lang = [...ctx.forms.values()][0]?.language === "fr" ? "fr" : "en";
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(page.title)}</title><style nonce="${ctx.nonce}">${style}</style></head><body><main>\n${body}\n</main></body></html>`;
}
