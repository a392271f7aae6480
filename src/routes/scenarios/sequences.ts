import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listSequences } from "../../services/scenarios/stats";
import { errors, idParam, jsonResponse, listOf, security } from "../openapi";
import { Sequence, SequenceListQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/scenarios/{id}/sequences",
  operationId: "listScenarioSequences",
  tags: ["Scenarios"],
  summary: "Per contact: status, current step and next run time",
  security,
  request: { params: idParam, query: SequenceListQuery },
  responses: {
    200: jsonResponse(listOf(Sequence), "A page of sequences, by contact id"),
    400: errors[400],
    404: errors[404],
  },
});

export const registerListSequences = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await listSequences(c.get("tenant"), c.req.valid("param").id, c.req.valid("query")), 200),
  );
