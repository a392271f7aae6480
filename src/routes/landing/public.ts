/**
 * GET /lp/<organization>/<slug>: a published landing page, rate-limited per address like every
 * public page, under its own policy: styles only from the page's one stylesheet (a nonce), no
 * script at all, forms posting only to this Worker, no framing.
 */
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { base64url } from "../../lib/ids";
import { clientIp, limit } from "../../middleware/rate-limit";
import { renderLanding } from "../../services/landing/render";
import { LandingDesign } from "../../services/landing/schema";
import { publishedLanding, shownInputs } from "../../services/landing/store";

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export function registerLandingPage(app: App) {
  app.get("/lp/:org/:slug", async (c) => {
    await limit(
      c.env.PUBLIC_RATE_LIMIT,
      clientIp(c) && `lp-ip:${clientIp(c)}`,
      "page views from this address",
    );
    const { org, slug } = c.req.param();
    if (!/^org_[0-9a-f]{16,40}$/.test(org) || !/^[a-z0-9-]{1,64}$/.test(slug)) return notFound();
    const tenant = await tenantFor(c.env, org);
    const row = await publishedLanding(tenant, slug);
    if (!row) return notFound();
    const design = LandingDesign.parse(JSON.parse(row.design));
    const { forms, products } = await shownInputs(tenant, design);
    const baseUrl = configOf(c.env).PUBLIC_BASE_URL;
    const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const html = renderLanding({ title: row.title ?? row.name, design }, { baseUrl, forms, products, nonce });
    return c.body(html, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-cache",
    });
  });
}
