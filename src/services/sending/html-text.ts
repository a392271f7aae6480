import { decodeHTML } from "entities";
import { compile } from "html-to-text";

/** Decode every HTML entity (the full HTML5 list and numeric references), as in attribute values. */
export const decodeEntities = (s: string): string => decodeHTML(s);

/**
 * The converter, compiled on first use and kept: `convert()` compiled its options again for every
 * email (5% of the isolate's CPU in a journey send's profile).
 */
let converter: ((html: string) => string) | undefined;

/**
 * A readable text/plain alternative from an HTML body, for templates without a text part
 * (html-to-text): blocks become line breaks, headings keep their case, links keep their URL
 * ("label (url)"), list items get a dash, images and mailto/anchor links show their text only.
 */
export function htmlToText(html: string): string {
  converter ??= compile({
    wordwrap: false,
    selectors: [
      {
        selector: "a",
        options: { linkBrackets: ["(", ")"], hideLinkHrefIfSameAsText: true, noAnchorUrl: true },
      },
      { selector: "a[href^='mailto:']", format: "anchor", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      ...["h1", "h2", "h3", "h4", "h5", "h6"].map((h) => ({ selector: h, options: { uppercase: false } })),
      { selector: "ul", options: { itemPrefix: "- " } },
      { selector: "table", format: "dataTable" },
    ],
  });
  return converter(html)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
