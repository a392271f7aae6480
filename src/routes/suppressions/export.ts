import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
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

export const registerExportSuppressions = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const q = c.req.valid("query");
    const day = new Date(now()).toISOString().slice(0, 10);
    return c.body(
      csvStream(["email", "reason", "source", "created_at"], () => suppressionLines(tenant, q)),
      200,
      {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="suppressions-${day}.csv"`,
      },
    );
  });
