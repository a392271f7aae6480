/**
 * A design rendered to email HTML: the blocks become MJML (table layout, inline CSS, columns that
 * stack below 480 px), rendered by mjml-browser on the server, so the API and the editor get the
 * same output; the text part is written from the same blocks. Liquid is kept as written and filled
 * at send time. Deterministic: the same design gives the same bytes (snapshot-tested).
 */
import { renderMjml } from "./mjml";
import { sanitizeRawHtml, sanitizeText } from "./sanitize";
import type { Block, ContentBlock, Design } from "./schema";
import { textOf } from "./text";
import { pickedTable, type ProductMap } from "./products";
import { imageSrc } from "./walk";
import { GUARD_CLOSE, guardOpen, type VisibilityRule, visibilityRules } from "./visibility";

/** Text content: HTML's three special characters escaped; quotes kept so Liquid filters still parse. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** An attribute value. */
const attr = (s: string) => esc(s).replace(/"/g, "&quot;");

const NETWORKS: Record<string, string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  x: "X",
  linkedin: "LinkedIn",
  youtube: "YouTube",
  tiktok: "TikTok",
  website: "Website",
};

function productsTable(columns: number): string {
  const width = Math.floor(100 / columns);
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>{% for p in recommendations limit: ${columns} %}<td style="width:${width}%;padding:8px;vertical-align:top;text-align:center"><a href="{{ p.url }}"><img src="{{ p.image_url }}" alt="{{ p.name }}" width="160" style="max-width:100%;height:auto;border:0"></a><p style="margin:8px 0 4px;font-weight:600">{{ p.name }}</p><p style="margin:0">{{ p.price }} {{ p.currency }}</p></td>{% endfor %}</tr></table>`;
}

function blockMjml(b: ContentBlock, picked: ProductMap): string {
  switch (b.type) {
    case "heading": {
      const size = { 1: 28, 2: 22, 3: 18 }[b.level];
      return `<mj-text font-size="${size}px" font-weight="700" line-height="1.25"><h${b.level} style="margin:0;font-size:${size}px">${esc(b.text)}</h${b.level}></mj-text>`;
    }
    case "text":
      return `<mj-text>${sanitizeText(b.html)}</mj-text>`;
    case "image": {
      const parts = [`src="${attr(imageSrc(b))}"`];
      if (b.alt !== undefined) parts.push(`alt="${attr(b.alt)}"`);
      if (b.href) parts.push(`href="${attr(b.href)}"`);
      if (b.width) parts.push(`width="${b.width}px"`);
      return `<mj-image ${parts.join(" ")} />`;
    }
    case "button": {
      const parts = [`href="${attr(b.href)}"`];
      if (b.background) parts.push(`background-color="${b.background}"`);
      if (b.color) parts.push(`color="${b.color}"`);
      return `<mj-button ${parts.join(" ")}>${esc(b.label)}</mj-button>`;
    }
    case "divider":
      return `<mj-divider border-width="1px" border-color="#d0d0d8" />`;
    case "spacer":
      return `<mj-spacer height="${b.height}px" />`;
    case "social":
      return `<mj-text align="center">${b.links.map((l) => `<a href="${attr(l.href)}">${NETWORKS[l.network]}</a>`).join(" · ")}</mj-text>`;
    case "products":
      return b.source === "product_ids"
        ? `<mj-text>${pickedTable(b.product_ids ?? [], b.columns, picked)}</mj-text>`
        : `<mj-text>${productsTable(b.columns)}</mj-text>`;
    case "html":
      return `<mj-raw>${sanitizeRawHtml(b.html)}</mj-raw>`;
    case "footer":
      return `<mj-text align="center" font-size="12px" color="#55555f">${esc(b.address)}<br><a href="{{ unsubscribe_url }}">${esc(b.unsubscribe_label)}</a> · <a href="{{ preferences_url }}">${esc(b.preferences_label)}</a></mj-text>`;
  }
}

/** A block's MJML, inside its Liquid guard when it is shown on a condition. */
function guarded(rules: Map<Block, VisibilityRule>, b: Block, body: string) {
  const rule = rules.get(b);
  return rule ? `<mj-raw>${guardOpen(rule.key)}</mj-raw>${body}<mj-raw>${GUARD_CLOSE}</mj-raw>` : body;
}

/** The MJML document of a design (top-level blocks in a row share one section). */
export function designMjml(d: Design, preheader: string | null, picked: ProductMap = new Map()): string {
  const s = d.settings;
  const rules = visibilityRules(d.blocks);
  const column = (blocks: ContentBlock[]) =>
    `<mj-column>${blocks.map((b) => guarded(rules, b, blockMjml(b, picked))).join("")}</mj-column>`;
  const body: string[] = [];
  let run: ContentBlock[] = [];
  const flush = () => {
    if (run.length) body.push(`<mj-section background-color="#ffffff">${column(run)}</mj-section>`);
    run = [];
  };
  for (const b of d.blocks as Block[]) {
    if (b.type === "section") {
      flush();
      body.push(
        guarded(
          rules,
          b,
          `<mj-section background-color="${b.background ?? "#ffffff"}">${b.columns.map(column).join("")}</mj-section>`,
        ),
      );
    } else run.push(b);
  }
  flush();
  const head = [
    preheader ? `<mj-preview>${esc(preheader)}</mj-preview>` : "",
    `<mj-attributes><mj-all font-family="${attr(s.font_family)}" /><mj-text color="${s.text_color}" font-size="16px" line-height="1.5" /><mj-button background-color="${s.link_color}" color="#ffffff" font-size="16px" /></mj-attributes>`,
    `<mj-style inline="inline">a { color: ${s.link_color}; }</mj-style>`,
    `<mj-breakpoint width="480px" />`,
  ].join("");
  return `<mjml><mj-head>${head}</mj-head><mj-body width="${s.width}px" background-color="${s.background}">${body.join("")}</mj-body></mjml>`;
}

export interface RenderedDesign {
  html: string;
  text: string;
  /** MJML's own warnings (a malformed raw HTML block, for instance). */
  warnings: string[];
}

/** `picked`: the products of product_ids blocks (products.ts, designProducts). */
export async function renderDesign(
  d: Design,
  preheader: string | null,
  picked: ProductMap = new Map(),
): Promise<RenderedDesign> {
  const out = await renderMjml(designMjml(d, preheader, picked));
  return {
    html: out.html,
    text: textOf(d, picked),
    warnings: out.errors.map((e) => `${e.tagName}: ${e.message}`),
  };
}
