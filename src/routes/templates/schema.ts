import { z } from "@hono/zod-openapi";
import { headerSafe } from "../../lib/validation";

const MAX_BODY = 512 * 1024;

export const TemplateCreate = z
  .object({
    name: z.string().min(1).max(200),
    subject: headerSafe(998).min(1),
    html: z.string().min(1).max(MAX_BODY),
    text: z.string().max(MAX_BODY).nullable().optional(),
  })
  .openapi("TemplateCreate");

export const TemplatePatch = TemplateCreate.partial().openapi("TemplatePatch");

export const Template = z
  .object({
    id: z.string(),
    name: z.string(),
    subject: z.string(),
    html: z.string(),
    text: z.string().nullable(),
    warnings: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .openapi({ description: "Variables no contact field or send provides: they render empty" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Template");

export const PreviewRequest = z
  .object({ contact_id: z.string().min(1).max(100) })
  .openapi("TemplatePreviewRequest");
export const Preview = z
  .object({ subject: z.string(), html: z.string(), text: z.string().nullable() })
  .openapi("TemplatePreview");
