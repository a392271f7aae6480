import type { App } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { countFailure } from "../../middleware/rate-limit";
import { tenantByWebhookToken } from "../../services/organizations/store";
import { ingestSnsDelivery } from "../../services/events/ingest/ses";
import { webhookBodyLimit } from "./limits";

/**
 * POST /webhooks/ses/:token — the Amazon SNS HTTPS endpoint of an organization. SNS posts
 * `text/plain`, so the body is read as text whatever the Content-Type; the signature is verified on
 * it before anything is acted on (src/webhooks/ses.ts).
 */
export const registerSesWebhook = (app: App) =>
  app.post("/webhooks/ses/:token", webhookBodyLimit, async (c) => {
    const tenant = await tenantByWebhookToken(c.env, c.req.param("token"));
    if (!tenant) {
      await countFailure(c);
      throw new ApiError("NOT_FOUND", "unknown webhook");
    }
    const out = await ingestSnsDelivery(tenant, c.env.EVENTS_QUEUE, await c.req.text(), c.req.raw.headers);
    return c.json(out.body, out.status);
  });
