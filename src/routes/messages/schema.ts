import { z } from "@hono/zod-openapi";
import { MESSAGE_STATUSES } from "../../db/schema";
import { paginationQuery } from "../../lib/pagination";

export const Message = z
  .object({
    id: z.string(),
    contact_id: z.string().nullable(),
    scenario_id: z.string().nullable(),
    campaign_id: z.string().nullable(),
    step_order: z.number().int().nullable(),
    variant_name: z.string().nullable(),
    provider: z.string().openapi({ example: "ses" }),
    external_id: z
      .string()
      .nullable()
      .openapi({ description: "The provider's id (SES MessageId, Brevo messageId without brackets)" }),
    subject: z.string().nullable(),
    from_email: z.string().nullable(),
    to_email: z.string().nullable(),
    status: z.enum(MESSAGE_STATUSES),
    failure_reason: z.string().nullable(),
    sent_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    open_count: z.number().int(),
    click_count: z.number().int(),
    created_at: z.string(),
  })
  .openapi("Message");

export const MessageWithRaw = Message.extend({
  raw: z.string().nullable().openapi({ description: "The exact MIME message handed to the provider" }),
}).openapi("MessageWithRaw");

export const MessageListQuery = z.object({
  ...paginationQuery,
  contact_id: z.string().min(1).max(100).optional(),
  scenario_id: z.string().min(1).max(100).optional(),
  campaign_id: z.string().min(1).max(100).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
});
