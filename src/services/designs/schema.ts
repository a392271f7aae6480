/**
 * A template's design (API.md, "Email designs, assets and checks"): settings and a list of blocks,
 * a section holding columns of blocks. One zod schema validates the API input (422 with the path of
 * each problem) and re-reads stored designs. Liquid works in every text field.
 */
import { z } from "@hono/zod-openapi";

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
const id = z
  .string()
  .regex(/^[\w-]{1,40}$/)
  .optional();

const heading = z
  .object({
    type: z.literal("heading"),
    id,
    text: z.string().min(1).max(500),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1),
  })
  .strict();
const text = z.object({ type: z.literal("text"), id, html: z.string().max(MAX_TEXT) }).strict();
const image = z
  .object({
    type: z.literal("image"),
    id,
    src: href,
    alt: z.string().max(500).optional(),
    href: href.optional(),
    width: z.number().int().min(20).max(1200).optional(),
  })
  .strict();
const button = z
  .object({
    type: z.literal("button"),
    id,
    label: z.string().min(1).max(200),
    href,
    background: color.optional(),
    color: color.optional(),
  })
  .strict();
const divider = z.object({ type: z.literal("divider"), id }).strict();
const spacer = z
  .object({ type: z.literal("spacer"), id, height: z.number().int().min(4).max(200).default(24) })
  .strict();
const social = z
  .object({
    type: z.literal("social"),
    id,
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
    id,
    source: z.literal("recommendations"),
    columns: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
  })
  .strict();
const rawHtml = z.object({ type: z.literal("html"), id, html: z.string().max(100_000) }).strict();
const footer = z
  .object({
    type: z.literal("footer"),
    id,
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
    id,
    background: color.optional(),
    columns: z.array(z.array(ContentBlock).max(20)).min(1).max(4),
  })
  .strict();

export const Block = z.union([section, ContentBlock]);
export type Block = z.infer<typeof Block>;
export type Section = z.infer<typeof section>;

export const DesignSchema = z
  .object({
    settings: z
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
      }),
    blocks: z.array(Block).min(1).max(100),
  })
  .strict()
  .openapi("Design", { description: "Blocks rendered to responsive HTML by the Worker." });
export type Design = z.infer<typeof DesignSchema>;
