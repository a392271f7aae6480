/**
 * What is wrong with a template before it is sent (API.md, "Email designs, assets and checks"): the
 * Liquid that does not parse or render (PERSONALIZATION_ERROR), the HTML Gmail clips (over 102 KB),
 * images without alt text, links that are not URLs or not https, no unsubscribe link in the body,
 * a subject over 78 characters, no preheader. The HTML is read by workerd's HTMLRewriter, rendered for a contact
 * (a sample one when none is given) with working unsubscribe links, as a send renders it.
 * CSS and HTML support per email client comes from the caniemail data (css-support.ts).
 */
import type { ContactRow } from "../contacts/types";
import type { Design } from "../designs/schema";
import { blockByUrl, eachBlock, imageSrc } from "../designs/walk";
import type { CheckIssue } from "./check-types";
import { cssIssues } from "./css-support";
import { htmlLiquid, liquidError, textLiquid } from "./liquid";
import { renderTemplate, type TemplateRow, previewContext, unknownVariables } from "./store";

export type { CheckIssue };

/** Gmail clips a message whose HTML is over 102 KB. */
export const CLIP_BYTES = 102 * 1024;
export const MAX_SUBJECT = 78;
const UNSUBSCRIBE = /\b(unsubscribe_url|unsubscribe_link|preferences_url)\b/;

/** Links and images of rendered HTML, read by HTMLRewriter. */
async function linksAndImages(html: string) {
  const links: string[] = [];
  const images: { src: string; alt: string | null }[] = [];
  await new HTMLRewriter()
    .on("a[href]", { element: (e) => void links.push(e.getAttribute("href") ?? "") })
    .on("img", {
      element: (e) => void images.push({ src: e.getAttribute("src") ?? "", alt: e.getAttribute("alt") }),
    })
    .transform(new Response(html))
    .arrayBuffer();
  return { links, images };
}

/** A link's problem: not a URL (or a script), or plain http; null when fine. */
function linkIssue(href: string): CheckIssue | null {
  const h = href.trim();
  if (h.startsWith("#") || /^(mailto|tel|sms):/i.test(h)) return null;
  let url: URL | null = null;
  try {
    url = new URL(h);
  } catch {
    url = null;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname)
    return {
      code: "BROKEN_LINK",
      severity: "error",
      message: `link "${h.slice(0, 200)}" is not a web address`,
    };
  if (url.protocol === "http:")
    return { code: "INSECURE_LINK", severity: "warning", message: `link ${h.slice(0, 200)} is not https` };
  return null;
}

export async function checkTemplate(
  template: Pick<TemplateRow, "subject" | "html" | "text"> & {
    preheader?: string | null;
    design?: string | null;
    /** The organization's snippets, when the template renders any (snippets.ts, withSnippets). */
    snippets?: Record<string, string>;
  },
  opts: { baseUrl: string; contact?: ContactRow; css?: boolean },
): Promise<CheckIssue[]> {
  const issues: CheckIssue[] = [];
  if (!template.preheader?.trim())
    issues.push({
      code: "MISSING_PREHEADER",
      severity: "warning",
      message: "no preheader: inboxes show the first words of the body after the subject instead",
    });
  const parseErrors = [
    liquidError("subject", template.subject, textLiquid),
    liquidError("html", template.html, htmlLiquid),
    template.text ? liquidError("text", template.text, textLiquid) : null,
  ].filter((e) => e !== null);
  for (const e of parseErrors)
    issues.push({ code: "PERSONALIZATION_ERROR", severity: "error", message: `${e.field}: ${e.message}` });
  for (const w of unknownVariables(template))
    issues.push({ code: "PERSONALIZATION_ERROR", severity: "warning", message: `${w.field}: ${w.message}` });
  if (!UNSUBSCRIBE.test(template.html))
    issues.push({
      code: "NO_UNSUBSCRIBE",
      severity: "warning",
      message:
        "the body has no {{ unsubscribe_url }} link (the List-Unsubscribe header alone is not enough for bulk senders)",
    });
  if (parseErrors.length) return issues;
  const ctx = previewContext(opts.contact ?? null, opts.baseUrl, "Check");
  let rendered: Awaited<ReturnType<typeof renderTemplate>>;
  try {
    rendered = await renderTemplate(template, ctx);
  } catch (e) {
    issues.push({ code: "PERSONALIZATION_ERROR", severity: "error", message: (e as Error).message });
    return issues;
  }
  const bytes = new TextEncoder().encode(rendered.html).length;
  if (bytes > CLIP_BYTES)
    issues.push({
      code: "HTML_TOO_LARGE",
      severity: "warning",
      message: `the HTML is ${Math.ceil(bytes / 1024)} KB: Gmail clips messages over 102 KB`,
    });
  if ([...rendered.subject].length > MAX_SUBJECT)
    issues.push({
      code: "SUBJECT_TOO_LONG",
      severity: "warning",
      message: `the subject has ${[...rendered.subject].length} characters: over ${MAX_SUBJECT}, clients cut it`,
    });
  const { links, images } = await linksAndImages(rendered.html);
  const blocks = template.design ? (JSON.parse(template.design) as Design).blocks : [];
  const byUrl = blockByUrl(blocks);
  const noAlt = (src: string, block?: string): CheckIssue => ({
    code: "IMAGE_MISSING_ALT",
    severity: "warning",
    message: `image ${src.slice(0, 200)} has no alt text`,
    ...(block ? { block } : {}),
  });
  // A design's image block without alt renders alt="" (MJML's default): the block says it.
  eachBlock(blocks, (b) => {
    if (b.type === "image" && !b.alt?.trim()) issues.push(noAlt(imageSrc(b), b.id));
  });
  for (const img of images) if (img.alt === null && !byUrl.has(img.src)) issues.push(noAlt(img.src));
  for (const href of new Set(links)) {
    const issue = linkIssue(href);
    const block = byUrl.get(href);
    if (issue) issues.push(block ? { ...issue, block } : issue);
  }
  if (opts.css !== false) issues.push(...(await cssIssues(rendered.html, !!template.design)));
  return issues;
}
