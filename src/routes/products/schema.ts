import { z } from "@hono/zod-openapi";

const noControl = /^[^\u0000-\u001f\u007f]*$/;
export const ProductInput = z
  .object({
    id: z.string().trim().min(1).max(200).regex(noControl, "no control characters"),
    name: z.string().trim().min(1).max(300).regex(noControl, "no control characters"),
    category: z.string().trim().max(200).regex(noControl).nullable().optional(),
    price: z.number().min(0).max(1e9).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")
      .nullable()
      .optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .optional(),
    image_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .optional(),
    available: z.boolean().optional(),
  })
  .strict()
  .openapi("ProductInput");
export const Product = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.string().nullable(),
    price: z.number().nullable(),
    currency: z.string().nullable(),
    url: z.string().nullable(),
    image_url: z.string().nullable(),
    available: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Product");
