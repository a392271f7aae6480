import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { scoreHistoryOf } from "../../services/leads/hot";
import { errors, idParam, jsonResponse, listOf, security } from "../openapi";

const ScoreChange = z
  .object({
    id: z.string(),
    delta: z.number().int(),
    score_after: z.number().int(),
    cause: z.string().openapi({
      example: "first_open",
      description: "first_open, open, first_click, click, bounce, decay, ...",
    }),
    event_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ScoreChange");

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/score-history",
  operationId: "getContactScoreHistory",
  tags: ["Contacts"],
  summary: "Every change of the contact's engagement score with its cause, newest first",
  security,
  request: { params: idParam, query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(ScoreChange), "Score changes"), 400: errors[400], 404: errors[404] },
});

/** Registered through its own routeGroups entry (the contacts group belongs to the foundation). */
export const registerScoreHistory = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await scoreHistoryOf(c.get("tenant"), c.req.valid("param").id, c.req.valid("query")), 200),
  );
