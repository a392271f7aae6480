/**
 * A design's text part, written from its blocks (not scraped from the HTML): headings, paragraphs
 * and lists as lines, every link with its URL, buttons as "label: URL", images by their alt text.
 */
import { pickedText, type ProductMap } from "./products";
import { imageSrc } from "./walk";
import { GUARD_CLOSE, guardOpen, visibilityRules } from "./visibility";
import { FilterXSS } from "./xss-lib";
import type { Block, ContentBlock, Design } from "./schema";

/** Text-block HTML (already limited to p, strong, em, a, ul, ol, li, br) as plain lines. */
const TO_TEXT = new FilterXSS({
  whiteList: {},
  stripIgnoreTag: false,
  stripIgnoreTagBody: ["script", "style"],
  escapeHtml: (s) => s,
  onTag(tag, html, info) {
    if (tag === "br") return "\n";
    if (tag === "li" && !info.isClosing) return "\n- ";
    if ((tag === "p" || tag === "ul" || tag === "ol") && info.isClosing) return "\n";
    if (tag === "a" && !info.isClosing) {
      const href = /href\s*=\s*"([^"]*)"|href\s*=\s*'([^']*)'/i.exec(html);
      pendingHref = href?.[1] ?? href?.[2] ?? null;
      return "";
    }
    if (tag === "a" && info.isClosing) {
      const h = pendingHref;
      pendingHref = null;
      return h ? ` (${h})` : "";
    }
    return "";
  },
});
let pendingHref: string | null = null;

const decode = (s: string) =>
  s
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

const htmlText = (html: string) =>
  decode(TO_TEXT.process(html))
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

function blockText(b: ContentBlock, picked: ProductMap): string {
  switch (b.type) {
    case "heading":
      return b.text;
    case "text":
      return htmlText(b.html);
    case "image": {
      const alt = b.alt ?? "";
      return b.href ? `${alt || imageSrc(b)} (${b.href})` : alt;
    }
    case "button":
      return `${b.label}: ${b.href}`;
    case "divider":
      return "----";
    case "spacer":
      return "";
    case "social":
      return b.links.map((l) => `${l.network}: ${l.href}`).join("\n");
    case "products":
      if (b.source === "product_ids") return pickedText(b.product_ids ?? [], picked);
      return `{% for p in recommendations limit: ${b.columns} %}- {{ p.name }}: {{ p.url }}\n{% endfor %}`;
    case "html":
      return htmlText(b.html);
    case "footer":
      return `${b.address}\n${b.unsubscribe_label}: {{ unsubscribe_url }}\n${b.preferences_label}: {{ preferences_url }}`;
  }
}

export function textOf(d: Design, picked: ProductMap = new Map()): string {
  const parts: string[] = [];
  const rules = visibilityRules(d.blocks);
  const guarded = (b: Block, text: string) => {
    const rule = rules.get(b);
    return rule && text ? `${guardOpen(rule.key)}${text}${GUARD_CLOSE}` : text;
  };
  for (const b of d.blocks as Block[]) {
    if (b.type === "section")
      parts.push(
        guarded(
          b,
          b.columns
            .flatMap((col) => col.map((x) => guarded(x, blockText(x, picked))))
            .filter(Boolean)
            .join("\n\n"),
        ),
      );
    else parts.push(guarded(b, blockText(b, picked)));
  }
  return parts
    .filter((p) => p !== "")
    .join("\n\n")
    .trim();
}
