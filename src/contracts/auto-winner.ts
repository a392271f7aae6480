import { z } from "@hono/zod-openapi";

/** auto_winner of a campaign (with its test split) or, without test_percent / decide_after_hours, of a step. */
export const AutoWinnerSchema = z
  .object({
    metric: z.enum(["click_rate", "open_rate", "reply_rate"]),
    min_per_variant: z.number().int().min(1).max(1_000_000).default(100),
    probability: z.number().gt(0.5).lt(1).default(0.95),
    test_percent: z.number().min(1).max(100).optional(),
    decide_after_hours: z.number().min(0).max(720).optional(),
  })
  .strict()
  .openapi("AutoWinner");
