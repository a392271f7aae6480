import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { setWarmup } from "../../services/domains/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Domain, tags, WarmupPut } from "./schema";

const route = createRoute({
  method: "put",
  path: "/api/v1/domains/{id}/warmup",
  operationId: "putDomainWarmup",
  tags,
  summary: "Set the domain's daily warm-up ramp (null removes it)",
  description:
    "Day n (UTC, from when the ramp was first set) allows min(max_per_day, start_per_day x growth^n) emails from the " +
    "domain; mail past it stays pending with reason warmup and goes out the next day.",
  security,
  request: { params: idParam, body: jsonBody(WarmupPut) },
  responses: { 200: jsonResponse(Domain, "The domain with its ramp"), 404: errors[404], 422: errors[422] },
});

export const registerPutWarmup = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await setWarmup(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), 200),
  );
