import { z } from "@hono/zod-openapi";
import { headerSafe, localeField } from "../../lib/validation";
import { DesignSchema } from "../../services/designs/schema";

const MAX_BODY = 512 * 1024;

const fields = {
  name: z.string().min(1).max(200),
  subject: headerSafe(998).min(1),
  /** Raw HTML with Liquid; or `design`, from which the Worker renders html and text. */
  html: z.string().min(1).max(MAX_BODY),
  text: z.string().max(MAX_BODY).nullable().optional(),
  design: DesignSchema,
  preheader: headerSafe(200).nullable().optional(),
  locale: localeField.nullable().optional(),
  /** {language: template id}: contacts whose locale matches get that template. */
  translations: z
    .record(localeField, z.string().min(1).max(100))
    .refine((t) => Object.keys(t).length <= 30, "at most 30 translations")
    .nullable()
    .optional(),
};

export const TemplateCreate = z
  .object({
    ...fields,
    name: fields.name.optional(),
    subject: fields.subject.optional(),
    html: fields.html.optional(),
    design: fields.design.optional(),
    /** A starter design to copy (GET /api/v1/template-gallery); name, subject and preheader default to its own. */
    gallery_id: z.string().min(1).max(100).optional(),
  })
  .refine((t) => [t.html, t.design, t.gallery_id].filter(Boolean).length === 1, {
    message: "needs html, design or gallery_id (one of them)",
    path: ["html"],
  })
  .refine((t) => t.subject || t.gallery_id, { message: "required", path: ["subject"] })
  .refine((t) => t.name || t.gallery_id, { message: "required", path: ["name"] })
  .openapi("TemplateCreate");

export const TemplatePatch = z
  .object(fields)
  .partial()
  .refine((t) => !(t.html && t.design), { message: "html or design, not both", path: ["html"] })
  .openapi("TemplatePatch");

export const Template = z
  .object({
    id: z.string(),
    name: z.string(),
    subject: z.string(),
    html: z.string(),
    text: z.string().nullable(),
    design: DesignSchema.nullable(),
    preheader: z.string().nullable(),
    locale: z.string().nullable(),
    translations: z.record(z.string(), z.string()).nullable(),
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

/** What the block editor saves and previews (the template page): the same fields as the API's. */
export const DesignDraft = z
  .object({ subject: fields.subject, preheader: fields.preheader, design: fields.design })
  .strict();

/** A template's language and translations as the template page's form sends them. */
export const TemplateLanguage = z
  .object({ locale: fields.locale, translations: fields.translations })
  .strict();
