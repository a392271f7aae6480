import { z } from "@hono/zod-openapi";
import { BEHAVIOUR_EVENT_TYPES } from "../../contracts/events";
import { REPORTABLE_EMAIL_EVENT_TYPES } from "../../contracts/events";
import { emailField, jsonObject } from "../../lib/validation";

/** A purchase's order: counted once per order_id; items name products of the catalogue. */
const PurchaseProperties = z
  .object({
    order_id: z.string().min(1).max(200).optional(),
    amount: z.number().min(0).max(1e9),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")
      .optional(),
    items: z
      .array(
        z.object({
          product_id: z.string().min(1).max(200),
          quantity: z.number().positive().max(1e6).optional(),
          price: z.number().min(0).max(1e9).optional(),
        }),
      )
      .max(500)
      .optional(),
  })
  .passthrough();

const occurredAt = z.iso.datetime({ offset: true }).openapi({ example: "2026-05-04T10:00:00Z" });

export const BehaviourEventInput = z
  .object({
    type: z.enum(BEHAVIOUR_EVENT_TYPES),
    contact_id: z.string().min(1).max(100).optional(),
    email: emailField.optional(),
    occurred_at: occurredAt.optional(),
    properties: jsonObject().default({}),
    idempotency_key: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.contact_id || b.email, {
    message: "contact_id or email is required",
    path: ["contact_id"],
  })
  .refine(
    (b) => b.type !== "purchase" || (typeof b.properties.amount === "number" && b.properties.amount >= 0),
    {
      message: "a purchase needs a non-negative number in properties.amount",
      path: ["properties", "amount"],
    },
  )
  .superRefine((b, ctx) => {
    if (b.type !== "purchase") return;
    const r = PurchaseProperties.safeParse(b.properties);
    if (!r.success)
      for (const i of r.error.issues)
        ctx.addIssue({ code: "custom", path: ["properties", ...i.path], message: i.message });
  })
  .openapi("BehaviourEventInput");

export const EmailEventInput = z
  .object({
    provider: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-'"),
    external_id: z.string().min(1).max(300),
    event: z.enum(REPORTABLE_EMAIL_EVENT_TYPES),
    occurred_at: occurredAt,
    contact_id: z.string().min(1).max(100).optional(),
    email: emailField.optional(),
    subject: z.string().max(998).optional(),
    bounce_type: z.enum(["Permanent", "Transient", "Undetermined"]).optional(),
    url: z.url().max(4096).optional(),
    user_agent: z.string().max(512).optional(),
    machine: z.boolean().optional(),
    text: z
      .string()
      .max(20_000)
      .optional()
      .openapi({ description: "A reply's text (event replied): the inbox item shows it" }),
  })
  .openapi("EmailEventInput");

export const Accepted = z
  .object({
    id: z.string().nullable().openapi({ description: "The stored event's id (null for a duplicate)" }),
    duplicate: z.boolean(),
    message_id: z.string().optional(),
  })
  .openapi("EventAccepted");
