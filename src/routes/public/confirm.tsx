import type { App } from "../../app-env";
import { configOf } from "../../config";
import { tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import { findForm } from "../../services/forms/store";
import { confirmSubscription } from "../../services/forms/submit";
import { verifyConfirm } from "../../services/tracking/tokens";
import { MessagePage } from "../../ui/public/pages";
import { invalidLinkPage, publicPage } from "../../ui/public/respond";
import { PUBLIC_TEXT } from "../../ui/public/text";

/**
 * POST /c/:token confirms (consent granted with double opt-in, address and browser). A forged,
 * altered or expired token is a 404 page; a replayed confirmation changes nothing.
 */
export const registerConfirm = (app: App) =>
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
      return invalidLinkPage(c);
    }
    const tenant = await tenantFor(c.env, token.o);
    const form = (await findForm(tenant, token.f)) ?? null;
    const ok = await confirmSubscription(c.env, tenant, form, token.c, {
      ip: clientIp(c),
      userAgent: c.req.header("User-Agent")?.slice(0, 512) ?? null,
    });
    if (!ok) return invalidLinkPage(c);
    return publicPage(c, 200, (css, lang) => (
      <MessagePage
        lang={lang}
        css={css}
        title={PUBLIC_TEXT[lang].confirmedTitle}
        body={PUBLIC_TEXT[lang].confirmedBody}
      />
    ));
  });
