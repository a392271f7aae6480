import { z } from "@hono/zod-openapi";

export const Notification = z
  .object({
    id: z.string(),
    user_id: z.string(),
    interaction_id: z.string().nullable(),
    title: z.string(),
    body: z.string().nullable(),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Notification");

export const userIdQuery = {
  user_id: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Whose notifications; default the team member the API key is bound to" }),
};
