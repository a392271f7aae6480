import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../../app-env";
import type { Tenant } from "../../lib/tenant";
import { now } from "../../lib/clock";
import { csvStream } from "../../lib/csv";
import { suppressionLines } from "../../services/suppressions/manage";
import { csvResponse, errors, security } from "../openapi";
import { SuppressionFilter, tags } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/suppressions/export",
  operationId: "exportSuppressions",
  tags,
  summary: "The suppression list as CSV (email or hash, reason, source, created_at)",
  security,
  request: { query: z.object(SuppressionFilter) },
  responses: { 200: csvResponse, 400: errors[400] },
});

/** The list as a CSV download (the API's export and the settings page's). */
export function suppressionsCsv(c: Context, tenant: Tenant, q: Parameters<typeof suppressionLines>[1]) {
  const day = new Date(now()).toISOString().slice(0, 10);
  return c.body(
    csvStream(["email", "reason", "source", "created_at"], () => suppressionLines(tenant, q)),
    200,
    {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="suppressions-${day}.csv"`,
    },
  );
}

export const registerExportSuppressions = (app: App) =>
  app.openapi(route, async (c) => suppressionsCsv(c, c.get("tenant"), c.req.valid("query")));
