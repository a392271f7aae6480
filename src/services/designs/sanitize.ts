/**
 * What a design's HTML fields may hold, enforced by js-xss (a maintained allowlist sanitizer): a
 * `text` block keeps p, strong, em, a (href, title), ul, ol, li and br and nothing else; an `html`
 * block keeps js-xss's email-safe set (tables, images, formatting; no script, no event handler, no
 * javascript: URL). Links may be a Liquid variable (`{{ unsubscribe_url }}`), filled at send time.
 */
import { FilterXSS, getDefaultWhiteList, type IWhiteList, safeAttrValue } from "./xss-lib";

const DROPPED_WITH_BODY = [
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "template",
  "noscript",
  "textarea",
  "title",
  "xmp",
  "noembed",
  "noframes",
];
const LIQUID_OUTPUT = /^\{\{\s*[\w.]+\s*\}\}$/;

/** Liquid outputs pass as link targets; anything else goes through js-xss's own URL check. */
const attrValue = (tag: string, name: string, value: string, css: Parameters<typeof safeAttrValue>[3]) =>
  (name === "href" || name === "src") && LIQUID_OUTPUT.test(value.trim())
    ? value.trim()
    : safeAttrValue(tag, name, value, css);

const filterOf = (whiteList: IWhiteList) =>
  new FilterXSS({
    whiteList,
    stripIgnoreTag: true,
    stripIgnoreTagBody: DROPPED_WITH_BODY,
    allowCommentTag: false,
    safeAttrValue: attrValue,
  });

const TEXT = filterOf({ p: [], strong: [], em: [], a: ["href", "title"], ul: [], ol: [], li: [], br: [] });

const EMAIL_ATTRS = [
  "align",
  "valign",
  "width",
  "height",
  "bgcolor",
  "border",
  "cellpadding",
  "cellspacing",
  "style",
  "class",
];
const RAW = filterOf(
  Object.fromEntries(
    Object.entries(getDefaultWhiteList()).map(([tag, attrs]) => [
      tag,
      [...new Set([...(attrs ?? []), ...EMAIL_ATTRS])],
    ]),
  ),
);

/** A text block's HTML with only the allowed tags left. */
export const sanitizeText = (html: string) => TEXT.process(html);
/** A raw HTML block with no executable content left. */
export const sanitizeRawHtml = (html: string) => RAW.process(html);
