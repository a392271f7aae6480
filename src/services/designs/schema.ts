/**
 * A template's design (API.md, "Email designs, assets and checks"): settings and a list of blocks,
 * a section holding columns of blocks. One zod schema validates the API input (422 with the path of
 * each problem) and re-reads stored designs. Liquid works in every text field.
 */
import { z } from "@hono/zod-openapi";
import { checkCriteria } from "../segments/criteria-check";

const MAX_TEXT = 20_000;
const color = z.string().regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/, "must be a hex color (#1f4fd1)");
/** An http(s) URL or a Liquid output ({{ unsubscribe_url }}); never javascript: or data:. */
const href = z
  .string()
  .max(2000)
  .refine(
    (v) =>
      /^https?:\/\/[^\s"<>]+$/i.test(v) || /^\{\{\s*[\w.]+\s*\}\}$/.test(v) || /^mailto:[^\s"<>]+$/i.test(v),
    "must be an http(s) or mailto: URL, or a Liquid variable such as {{ unsubscribe_url }}",
  );
const blockId = z
  .string()
  .regex(/^[\w-]{1,40}$/)
  .optional();
/** Segment criteria on the contact (the segments' own checks): the block shows only when they hold. */
const visibleIf = z
  .record(z.string(), z.unknown())
  .superRefine((v, ctx) => {
    for (const i of checkCriteria(v)) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
  })
  .optional();
/** What every block takes besides its own fields. */
const common = { id: blockId, visible_if: visibleIf };

const heading = z
  .object({
    type: z.literal("heading"),
    ...common,
    text: z.string().min(1).max(500),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
  })
  .strict();
const text = z.object({ type: z.literal("text"), ...common, html: z.string().max(MAX_TEXT) }).strict();
const image = z
  .object({
    type: z.literal("image"),
    ...common,
    /** An uploaded image (POST /api/v1/assets): rendered from the Worker's public URL. */
    asset_id: z
      .string()
      .regex(/^ast_[0-9a-f]{28}$/, "must be an asset id (POST /api/v1/assets)")
      .optional(),
    src: href.optional(),
    alt: z.string().max(500).optional(),
    href: href.optional(),
    width: z.number().int().min(20).max(1200).optional(),
  })
  .strict()
  .refine((b) => b.asset_id || b.src, { message: "needs src or asset_id", path: ["src"] });
const button = z
  .object({
    type: z.literal("button"),
    ...common,
    label: z.string().min(1).max(200),
    href,
    background: color.optional(),
    color: color.optional(),
  })
  .strict();
const divider = z.object({ type: z.literal("divider"), ...common }).strict();
const spacer = z
  .object({ type: z.literal("spacer"), ...common, height: z.number().int().min(4).max(200).default(24) })
  .strict();
const social = z
  .object({
    type: z.literal("social"),
    ...common,
    links: z
      .array(
        z
          .object({
            network: z.enum(["facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "website"]),
            href,
          })
          .strict(),
      )
      .min(1)
      .max(10),
  })
  .strict();
const products = z
  .object({
    type: z.literal("products"),
    ...common,
    /** The contact's recommendations at send time, or the products named here (as they are when saved). */
    source: z.enum(["recommendations", "product_ids"]),
    product_ids: z.array(z.string().min(1).max(200)).min(1).max(12).optional(),
    columns: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
  })
  .strict()
  .refine((b) => b.source !== "product_ids" || b.product_ids?.length, {
    message: "source product_ids needs product_ids",
    path: ["product_ids"],
  });
const rawHtml = z.object({ type: z.literal("html"), ...common, html: z.string().max(100_000) }).strict();
const footer = z
  .object({
    type: z.literal("footer"),
    ...common,
    address: z.string().min(1).max(500),
    /** The two links' words (English by default). */
    unsubscribe_label: z.string().min(1).max(100).default("Unsubscribe"),
    preferences_label: z.string().min(1).max(100).default("Preferences"),
  })
  .strict();

export const ContentBlock = z.discriminatedUnion("type", [
  heading,
  text,
  image,
  button,
  divider,
  spacer,
  social,
  products,
  rawHtml,
  footer,
]);
export type ContentBlock = z.infer<typeof ContentBlock>;

const section = z
  .object({
    type: z.literal("section"),
    ...common,
    background: color.optional(),
    columns: z.array(z.array(ContentBlock).max(20)).min(1).max(4),
  })
  .strict();

export const Block = z.union([section, ContentBlock]);
export type Block = z.infer<typeof Block>;
export type Section = z.infer<typeof section>;

/** The whole email's (or landing page's) width, colours and font. */
export const DesignSettings = z
  .object({
    width: z.number().int().min(320).max(900).default(600),
    background: color.default("#f4f4f7"),
    font_family: z
      .string()
      .max(200)
      .regex(/^[\w\s,'"-]+$/, "letters, spaces, commas and quotes only")
      .default("Helvetica, Arial, sans-serif"),
    text_color: color.default("#1d1d1f"),
    link_color: color.default("#1f4fd1"),
  })
  .strict()
  .default({
    width: 600,
    background: "#f4f4f7",
    font_family: "Helvetica, Arial, sans-serif",
    text_color: "#1d1d1f",
    link_color: "#1f4fd1",
  });

export const DesignSchema = z
  .object({
    settings: DesignSettings,
    blocks: z.array(Block).min(1).max(100),
  })
  .strict()
  .openapi("Design", { description: "Blocks rendered to responsive HTML by the Worker." });
export type Design = z.infer<typeof DesignSchema>;
