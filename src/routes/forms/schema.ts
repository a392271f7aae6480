import { z } from "@hono/zod-openapi";
import { headerSafe } from "../../lib/validation";

export const fieldName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "letters, digits and _ (a contact field or an attribute)");

export const Field = z.union([
  fieldName,
  z
    .object({
      name: fieldName,
      type: z.enum(["email", "text", "tel", "textarea"]).optional(),
      required: z.boolean().optional(),
    })
    .strict(),
]);

export const fields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters"),
  fields: z.array(Field).min(1).max(30),
  tags: z.array(headerSafe(100).min(1)).max(20).optional(),
  segment_id: z.string().min(1).max(100).nullable().optional(),
  redirect_url: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .nullable()
    .optional()
    .openapi({ description: "Where a browser goes after posting (https)" }),
  double_opt_in: z
    .boolean()
    .nullable()
    .optional()
    .openapi({ description: "Null: the organization's consent setting" }),
  confirmation_template_id: z.string().min(1).max(100).nullable().optional(),
  language: z.enum(["en", "fr"]).optional(),
};

export const Form = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z.string(),
    action_url: z.string(),
    snippet: z.string().openapi({ description: "An HTML form to paste into a website" }),
  })
  .passthrough()
  .openapi("Form");
