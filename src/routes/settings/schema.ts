import { z } from "@hono/zod-openapi";

export const Settings = z
  .object({
    organization: z.object({ id: z.string(), name: z.string() }),
    webhook_urls: z.object({ ses: z.string(), brevo: z.string() }),
    /** Set for 24 hours after a rotation: until then the previous URLs keep working. */
    previous_webhook_urls_valid_until: z.string().nullable(),
    providers: z.object({
      log: z.object({ configured: z.literal(true) }),
      ses: z.object({ configured: z.boolean() }),
      brevo: z.object({ configured: z.boolean() }),
    }),
  })
  .openapi("Settings");

export const webhookUrls = (base: string, token: string) => ({
  ses: `${base}/webhooks/ses/${token}`,
  brevo: `${base}/webhooks/brevo/${token}`,
});
