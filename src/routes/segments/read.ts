import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { type Cell, csvStream } from "../../lib/csv";
import { iso, now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { paginationQuery, decodeCursor, encodeCursor } from "../../lib/pagination";
import { contactView } from "../../services/contacts";
import {
  countMembers,
  criteriaMembership,
  membershipOf,
  pageMembers,
  sampleMembers,
  segmentStats,
} from "../../services/segments/query";
import { getSegment } from "../../services/segments/store";
import { Contact } from "../contacts/schema";
import { errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";
import { CriteriaSchema, Preview, Stats } from "./schema";

const tags = ["Segments"];

const preview = createRoute({
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

const members = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}/contacts",
  operationId: "listSegmentContacts",
  tags,
  summary: "The segment's contacts, in pages (keyset by contact id)",
  security,
  request: { params: idParam, query: z.object(paginationQuery) },
  responses: {
    200: jsonResponse(listOf(Contact), "A page of contacts"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

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

const exportCsv = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}/export",
  operationId: "exportSegment",
  tags,
  summary: "The segment's contacts as CSV (a header row, then a row per member)",
  security,
  request: { params: idParam },
  responses: {
    200: { description: "CSV with a header row", content: { "text/csv": { schema: z.string() } } },
    401: errors[401],
    404: errors[404],
  },
});

const stats = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}/stats",
  operationId: "getSegmentStats",
  tags,
  summary: "Size, average score, openers and clickers of the last 30 days, purchasers",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Stats, "The stats"), 401: errors[401], 404: errors[404] },
});

export function registerSegmentReads(app: App) {
  app.openapi(preview, async (c) => {
    const tenant = c.get("tenant");
    const m = criteriaMembership(c.req.valid("json").criteria);
    const [count, sample] = await Promise.all([countMembers(tenant, m), sampleMembers(tenant, m, 20)]);
    return c.json({ count, sample: sample.map(contactView) }, 200);
  });
  app.openapi(members, async (c) => {
    const tenant = c.get("tenant");
    const { limit, cursor } = c.req.valid("query");
    const segment = await getSegment(tenant, c.req.valid("param").id);
    const after = decodeCursor(cursor);
    const rows = await pageMembers(tenant, membershipOf(segment), after ? String(after[0]) : null, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return c.json(
      {
        items: items.map(contactView),
        next_cursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      },
      200,
    );
  });
  app.openapi(exportCsv, async (c) => {
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
  app.openapi(stats, async (c) => {
    const tenant = c.get("tenant");
    const segment = await getSegment(tenant, c.req.valid("param").id);
    return c.json(await segmentStats(tenant, membershipOf(segment)), 200);
  });
}
