import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { countMembers, criteriaMembership, sampleMembers } from "../../services/segments/query";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { CriteriaSchema, Preview } from "./schema";
import { contactView } from "../../services/contacts/view";

const tags = ["Segments"];

const route = createRoute({
  method: "post",
  path: "/api/v1/segments/preview",
  operationId: "previewSegment",
  tags,
  summary: "Count and sample the contacts that criteria match, before saving them",
  security,
  request: { body: jsonBody(z.object({ criteria: CriteriaSchema }).openapi("SegmentPreviewInput")) },
  responses: {
    200: jsonResponse(Preview, "Count and up to 20 contacts"),
    401: errors[401],
    422: errors[422],
  },
});

export const registerPreviewSegment = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const m = criteriaMembership(c.req.valid("json").criteria);
    const [count, sample] = await Promise.all([countMembers(tenant, m), sampleMembers(tenant, m, 20)]);
    return c.json({ count, sample: sample.map(contactView) }, 200);
  });
