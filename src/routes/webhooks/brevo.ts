import type { App } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { countFailure } from "../../middleware/rate-limit";
import { webhookOrganization } from "../../services/organizations/store";
import { ingestBrevoDelivery } from "../../services/events/ingest/brevo";
import { webhookBodyLimit } from "./limits";

/** POST /webhooks/brevo/:token — Brevo transactional webhook events, one object or an array. */
export const registerBrevoWebhook = (app: App) =>
  app.post("/webhooks/brevo/:token", webhookBodyLimit, async (c) => {
    const org = await webhookOrganization(c.env, c.req.param("token"));
    if (!org) {
      await countFailure(c);
      throw new ApiError("NOT_FOUND", "unknown webhook");
    }
    const out = await ingestBrevoDelivery(
      org.tenant,
      c.env.EVENTS_QUEUE,
      await c.req.text(),
      c.req.raw.headers,
      org.settings,
    );
    return c.json(out.body, out.status);
  });
