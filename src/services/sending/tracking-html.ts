import { decodeEntities } from "./html-text";

/** Signs one destination into a click-tracking URL (same URL, same token within one message). */
export type ClickSigner = (url: string) => Promise<string>;

export interface TrackingOptions {
  signClick: ClickSigner;
  /** URLs that must stay as they are: the unsubscribe link (its token is already signed). */
  keep: (url: string) => boolean;
  /** The 1x1 open pixel URL; null adds none. */
  pixelUrl: string | null;
  /** HTML appended at the end of the body (the visible unsubscribe link); null adds none. */
  footerHtml: string | null;
}

const isHttp = (url: string) => /^https?:\/\//i.test(url);

/** Memoize per message: a link repeated in the body is signed once. */
export function memoSigner(sign: ClickSigner): ClickSigner {
  const cache = new Map<string, Promise<string>>();
  return (url) => {
    let p = cache.get(url);
    if (!p) {
      p = sign(url);
      cache.set(url, p);
    }
    return p;
  };
}

/**
 * Rewrite every http(s) link (<a>, <area>) to its signed click URL, then add the footer and the open
 * pixel at the end of <body>. HTMLRewriter (workerd's streaming parser) rather than regexes, so
 * comments, scripts and odd quoting do not fool it.
 */
export async function trackHtml(html: string, opts: TrackingOptions): Promise<string> {
  const pixel = opts.pixelUrl
    ? `<img src="${opts.pixelUrl}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`
    : "";
  const tail = `${opts.footerHtml ?? ""}${pixel}`;
  let sawBody = false;
  const rewriter = new HTMLRewriter()
    .on("a[href], area[href]", {
      async element(el) {
        const raw = el.getAttribute("href");
        if (raw === null) return;
        const href = decodeEntities(raw).trim();
        if (!isHttp(href) || opts.keep(href)) return;
        el.setAttribute("href", await opts.signClick(href));
      },
    })
    .on("body", {
      element(el) {
        sawBody = true;
        if (tail) el.append(tail, { html: true });
      },
    });
  const out = await rewriter
    .transform(new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }))
    .text();
  return sawBody || !tail ? out : out + tail;
}

/** The same for a text part: bare http(s) URLs become click URLs, except the ones to keep. */
export async function trackText(
  text: string,
  opts: Pick<TrackingOptions, "signClick" | "keep">,
): Promise<string> {
  const urls = [...new Set(text.match(/https?:\/\/[^\s<>"'()[\]]+/gi) ?? [])];
  const pairs = await Promise.all(
    urls.map(async (u) => {
      const clean = u.replace(/[.,;:!?]+$/, "");
      return [clean, opts.keep(clean) ? clean : await opts.signClick(clean)] as const;
    }),
  );
  const map = new Map(pairs);
  return text.replace(/https?:\/\/[^\s<>"'()[\]]+/gi, (u) => {
    const clean = u.replace(/[.,;:!?]+$/, "");
    return (map.get(clean) ?? clean) + u.slice(clean.length);
  });
}
