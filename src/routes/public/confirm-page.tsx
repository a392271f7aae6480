import type { App } from "../../app-env";
import { configOf } from "../../config";
import { now } from "../../lib/clock";
import { clientIp, countFailure, limit } from "../../middleware/rate-limit";
import { verifyConfirm } from "../../services/tracking/tokens";
import { ConfirmPage } from "../../ui/public/pages";
import { invalidLinkPage, publicPage } from "../../ui/public/respond";

/** GET /c/:token shows the confirmation button and changes nothing (mail scanners follow links). */
export const registerConfirmPage = (app: App) =>
  app.get("/c/:token", async (c) => {
    await limit(
      c.env.PUBLIC_RATE_LIMIT,
      clientIp(c) && `confirm:${clientIp(c)}`,
      "requests from this address",
    );
    const token = await verifyConfirm(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"), now());
    if (!token) {
      await countFailure(c);
      return invalidLinkPage(c);
    }
    return publicPage(c, 200, (css, lang) => <ConfirmPage lang={lang} css={css} />);
  });
