import { z } from "@hono/zod-openapi";

export const User = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    timezone: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("User");
