import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { hotLeads } from "../../services/leads/hot";
import { getScoring } from "../../services/events/apply/scoring";
import { errors, jsonResponse, security } from "../openapi";

const Query = z.object({
  threshold: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .openapi({ description: "Minimum score (default: the organization's hot_threshold, 15)" }),
  limit: z.coerce.number().int().min(1).max(200).default(10),
  by: z
    .enum(["score", "fit_score"])
    .default("score")
    .openapi({ description: "Rank by engagement score or fit score" }),
});

const HotLeads = z
  .object({
    items: z.array(
      z.object({
        contact_id: z.string(),
        email: z.string(),
        name: z.string().nullable(),
        score: z.number().int(),
        fit_score: z.number().nullable(),
        last_event_at: z.string().nullable(),
      }),
    ),
    threshold: z.number().int(),
    total: z.number().int(),
  })
  .openapi("HotLeads");

const route = createRoute({
  method: "get",
  path: "/api/v1/leads/hot",
  operationId: "listHotLeads",
  tags: ["Leads"],
  summary: "Contacts whose engagement score is at or above a threshold, highest first",
  security,
  request: { query: Query },
  responses: { 200: jsonResponse(HotLeads, "Hot leads"), 400: errors[400] },
});

export const registerHotLeads = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const q = c.req.valid("query");
    const threshold = q.threshold ?? (await getScoring(tenant)).hot_threshold;
    return c.json(await hotLeads(tenant, { threshold, limit: q.limit, by: q.by }), 200);
  });
