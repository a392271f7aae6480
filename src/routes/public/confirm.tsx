import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, App } from "../../app-env";
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { forms } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped } from "../../lib/tenant";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import { confirmSubscription } from "../../services/forms/submit";
import { verifyConfirm } from "../../services/tracking-tokens";
import { assetPath } from "../../ui/assets";
import { ConfirmPage, MessagePage } from "../../ui/public/pages";
import { langOf, PUBLIC_TEXT } from "../../ui/public/text";

async function page(
  c: Context<AppEnv>,
  status: 200 | 404,
  body: (css: string, lang: "en" | "fr") => unknown,
) {
  const css = await assetPath("public");
  c.header("Cache-Control", "no-store");
  return c.html(body(css, langOf(c.req.header("Accept-Language"))) as string, status);
}

const invalid = (c: Context<AppEnv>) =>
  page(c, 404, (css, lang) => (
    <MessagePage
      lang={lang}
      css={css}
      title={PUBLIC_TEXT[lang].invalidTitle}
      body={PUBLIC_TEXT[lang].invalidBody}
    />
  ));

/**
 * GET /c/:token shows the confirmation button and changes nothing (mail scanners follow links);
 * POST /c/:token confirms (consent granted with double opt-in, address and browser). A forged,
 * altered or expired token is a 404 page; a replayed confirmation changes nothing.
 */
export function registerConfirm(app: App) {
  app.get("/c/:token", async (c) => {
    await limit(
      c.env.PUBLIC_RATE_LIMIT,
      clientIp(c) && `confirm:${clientIp(c)}`,
      "requests from this address",
    );
    const token = await verifyConfirm(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"), now());
    if (!token) {
      await countFailure(c);
      return invalid(c);
    }
    return page(c, 200, (css, lang) => <ConfirmPage lang={lang} css={css} />);
  });
  app.post("/c/:token", async (c) => {
    await limit(
      c.env.PUBLIC_RATE_LIMIT,
      clientIp(c) && `confirm:${clientIp(c)}`,
      "requests from this address",
    );
    await c.req.raw.body?.cancel();
    const token = await verifyConfirm(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"), now());
    if (!token) {
      await countFailure(c);
      return invalid(c);
    }
    const tenant = await tenantFor(c.env, token.o);
    const form =
      (await tenant.db
        .select()
        .from(forms)
        .where(scoped(tenant, forms, eq(forms.id, token.f)))
        .get()) ?? null;
    const ok = await confirmSubscription(c.env, tenant, form, token.c, {
      ip: clientIp(c),
      userAgent: c.req.header("User-Agent")?.slice(0, 512) ?? null,
    });
    if (!ok) return invalid(c);
    return page(c, 200, (css, lang) => (
      <MessagePage
        lang={lang}
        css={css}
        title={PUBLIC_TEXT[lang].confirmedTitle}
        body={PUBLIC_TEXT[lang].confirmedBody}
      />
    ));
  });
}
