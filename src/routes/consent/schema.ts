import { z } from "@hono/zod-openapi";
import { CONSENT_TYPES } from "../../services/segments/fields";

export const Record = z
  .object({
    id: z.string(),
    type: z.enum(CONSENT_TYPES),
    state: z.enum(["granted", "revoked", "pending"]),
    granted: z.boolean(),
    source: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    double_opt_in: z.boolean(),
    created_at: z.string(),
  })
  .openapi("ConsentRecord");
