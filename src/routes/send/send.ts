import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf, systemSender } from "../../config";
import { emailField, headerSafe, jsonObject } from "../../lib/validation";
import { sendNow } from "../../services/sending/send-now";
import { errors, jsonBody, jsonResponse, security } from "../openapi";

export const SendRequest = z
  .object({
    to: z.union([emailField, z.object({ email: emailField, name: headerSafe(200).optional() }).strict()]),
    template_id: z.string().min(1).max(100).optional(),
    subject: headerSafe(998).min(1).optional(),
    html: z.string().max(500_000).optional(),
    text: z.string().max(500_000).optional(),
    data: jsonObject()
      .optional()
      .openapi({ description: "Available to Liquid as data.* (at most 32 KB, 10 levels deep)" }),
    from_email: emailField.optional(),
    from_name: headerSafe(200).optional(),
    reply_to: emailField.optional(),
    provider: z.enum(["log", "ses", "brevo"]).optional(),
    tags: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,50}$/, "letters, digits, _ and -, at most 50"))
      .max(10)
      .optional(),
    idempotency_key: z.string().min(1).max(200).optional().openapi({
      description: "The same key within 24 hours answers the first message and sends nothing more",
    }),
    transactional: z
      .boolean()
      .default(true)
      .openapi({ description: "false: marketing rules apply (consent, frequency cap, List-Unsubscribe)" }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.template_id && (b.subject || b.html || b.text))
      ctx.addIssue({
        code: "custom",
        path: ["template_id"],
        message: "give template_id or subject and html, not both",
      });
    if (!b.template_id && !(b.subject && (b.html || b.text)))
      ctx.addIssue({
        code: "custom",
        path: ["template_id"],
        message: "give template_id, or subject and html (or text)",
      });
  })
  .openapi("SendRequest", {
    example: {
      to: { email: "ada@example.com", name: "Ada" },
      template_id: "tpl_…",
      data: { order: { id: "A-1001", total: "42.00 EUR" } },
      idempotency_key: "order-A-1001-receipt",
    },
  });

const SendAccepted = z
  .object({
    message_id: z.string().openapi({ description: "GET /api/v1/messages/{id} follows it" }),
    duplicate: z
      .boolean()
      .openapi({ description: "true: an earlier request with this idempotency_key sent it" }),
  })
  .openapi("SendAccepted");

const route = createRoute({
  method: "post",
  path: "/api/v1/send",
  operationId: "sendEmail",
  tags: ["Send"],
  summary: "Send one email now (transactional by default), from a template or inline content",
  description:
    "The contact is found or created by address. Through the same SEND pipeline, ledger, tracking and events as every " +
    "other send. A suppressed address answers 422 SUPPRESSED; a From domain registered but not verified, 422 " +
    "DOMAIN_NOT_VERIFIED. Transactional mail skips marketing consent and the frequency cap and carries no " +
    "List-Unsubscribe.",
  security,
  request: { body: jsonBody(SendRequest) },
  responses: {
    202: jsonResponse(SendAccepted, "Accepted: queued for sending"),
    422: errors[422],
  },
});

export const registerSend = (app: App) =>
  app.openapi(route, async (c) => {
    const res = await sendNow(c.env, c.get("tenant"), c.req.valid("json"), {
      fromEmail: systemSender(configOf(c.env)),
    });
    return c.json(res, 202);
  });
