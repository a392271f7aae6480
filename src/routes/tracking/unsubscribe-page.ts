import type { App } from "../../app-env";
import { configOf } from "../../config";
import { verifyUnsubscribe } from "../../services/tracking/tokens";
import { confirmPage, notFoundPage, unsubscribeHtml } from "./page";

/** GET /u/:token shows a confirm page and changes nothing (link scanners and prefetchers follow GETs). */
export const registerUnsubscribePage = (app: App) =>
  app.get("/u/:token", async (c) => {
    const token = await verifyUnsubscribe(configOf(c.env).ENCRYPTION_KEY, c.req.param("token"));
    return token ? unsubscribeHtml(confirmPage(), 200) : unsubscribeHtml(notFoundPage(), 404);
  });
