import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { type Cell, csvStream } from "../../lib/csv";
import { iso, now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { membershipOf, pageMembers } from "../../services/segments/query";
import { getSegment } from "../../services/segments/store";
import { csvResponse, errors, idParam, security } from "../openapi";

const tags = ["Segments"];

export const SEGMENT_CSV_COLUMNS = [
  "email",
  "first_name",
  "last_name",
  "phone",
  "timezone",
  "tags",
  "status",
  "score",
  "lifecycle_stage",
  "created_at",
];

const route = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}/export",
  operationId: "exportSegment",
  tags,
  summary: "The segment's contacts as CSV (a header row, then a row per member)",
  security,
  request: { params: idParam },
  responses: {
    200: csvResponse,
    401: errors[401],
    404: errors[404],
  },
});

export const registerExportSegment = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const segment = await getSegment(tenant, c.req.valid("param").id);
    const m = membershipOf(segment);
    async function* lines(): AsyncGenerator<Cell[]> {
      let after: string | null = null;
      for (;;) {
        const rows = await pageMembers(tenant, m, after, 500);
        for (const r of rows)
          yield [
            r.email,
            r.firstName,
            r.lastName,
            r.phone,
            r.timezone,
            parseJson<string[]>(r.tags, []).join(";"),
            r.status,
            r.score,
            r.lifecycleStage,
            iso(r.createdAt),
          ];
        const last = rows.at(-1);
        if (!last || rows.length < 500) return;
        after = last.id;
      }
    }
    const day = new Date(now()).toISOString().slice(0, 10);
    return c.body(csvStream(SEGMENT_CSV_COLUMNS, lines), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="segment-${segment.id}-${day}.csv"`,
    });
  });
