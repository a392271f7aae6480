import type { Ctx } from "./session";

/** What an email shown inside the UI may do: its own inline styles and images, nothing else. */
const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox";

/** An email's HTML for a sandboxed frame of the UI (template preview, a campaign's clicks). */
export const sandboxedHtml = (c: Ctx, body: string) =>
  c.body(body, 200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": PREVIEW_CSP,
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
