/**
 * A landing page's design: the email blocks (services/designs/schema.ts) plus `form`, a sign-up
 * form of the organization posting to its /f/:token, at the top level.
 */
import { z } from "@hono/zod-openapi";
import { Block, DesignSettings } from "../designs/schema";

const formBlock = z
  .object({
    type: z.literal("form"),
    id: z
      .string()
      .regex(/^[\w-]{1,40}$/)
      .optional(),
    form_id: z.string().min(1).max(100),
  })
  .strict();
export type FormBlock = z.infer<typeof formBlock>;

export const PageBlock = z.union([formBlock, Block]);
export type PageBlock = z.infer<typeof PageBlock>;

export const LandingDesign = z
  .object({ settings: DesignSettings, blocks: z.array(PageBlock).min(1).max(100) })
  .strict()
  .openapi("LandingDesign", { description: "The email blocks plus {type: form, form_id}" });
export type LandingDesign = z.infer<typeof LandingDesign>;

export const slugField = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "lower-case letters, digits and - (at most 64)");
