import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { type Cell, csvStream } from "../../lib/csv";
import { decodeCursor, encodeCursor, paginationQuery } from "../../lib/pagination";
import { type BUCKETS, campaignTimeline, recipientsPage } from "../../services/campaigns/stats";
import { getCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonResponse, listOf, security } from "../openapi";

const tags = ["Campaigns"];

const Recipient = z
  .object({
    contact_id: z.string(),
    email: z.string().nullable(),
    status: z.enum(["queued", "skipped"]),
    reason: z.string().nullable(),
    variant_name: z.string().nullable(),
    send_status: z.string().nullable(),
    message_id: z.string().nullable(),
    message_status: z.string().nullable(),
  })
  .openapi("CampaignRecipient");

const timeline = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/timeline",
  operationId: "getCampaignTimeline",
  tags,
  summary: "Counts per hour (or day): sent, delivered, opened, clicked, unsubscribed",
  security,
  request: { params: idParam, query: z.object({ bucket: z.enum(["hour", "day"]).default("hour") }) },
  responses: {
    200: jsonResponse(
      z.object({
        bucket: z.enum(["hour", "day"]),
        items: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
      }),
      "The timeline",
    ),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

const recipients = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/recipients",
  operationId: "listCampaignRecipients",
  tags,
  summary: "The campaign's recipients (queued or skipped with the reason) and where each send stands",
  security,
  request: { params: idParam, query: z.object(paginationQuery) },
  responses: {
    200: jsonResponse(listOf(Recipient), "A page of recipients"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

const exportCsv = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/recipients/export",
  operationId: "exportCampaignRecipients",
  tags,
  summary: "The campaign's recipients as CSV",
  security,
  request: { params: idParam },
  responses: {
    200: { description: "CSV with a header row", content: { "text/csv": { schema: z.string() } } },
    401: errors[401],
    404: errors[404],
  },
});

const COLUMNS = [
  "contact_id",
  "email",
  "status",
  "reason",
  "variant_name",
  "send_status",
  "message_id",
  "message_status",
] as const;

export function registerCampaignReports(app: App) {
  app.openapi(timeline, async (c) => {
    const tenant = c.get("tenant");
    const row = await getCampaign(tenant, c.req.valid("param").id);
    return c.json(
      await campaignTimeline(tenant, row, c.req.valid("query").bucket as keyof typeof BUCKETS),
      200,
    );
  });
  app.openapi(recipients, async (c) => {
    const tenant = c.get("tenant");
    const row = await getCampaign(tenant, c.req.valid("param").id);
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const rows = await recipientsPage(tenant, row.id, after ? String(after[0]) : null, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return c.json(
      {
        items: items.map((r) => ({ ...r, status: r.status as "queued" | "skipped" })),
        next_cursor: rows.length > limit && last ? encodeCursor([last.contact_id]) : null,
      },
      200,
    );
  });
  app.openapi(exportCsv, async (c) => {
    const tenant = c.get("tenant");
    const row = await getCampaign(tenant, c.req.valid("param").id);
    async function* lines(): AsyncGenerator<Cell[]> {
      let after: string | null = null;
      for (;;) {
        const page = await recipientsPage(tenant, row.id, after, 500);
        for (const r of page) yield COLUMNS.map((k) => r[k]);
        const last = page.at(-1);
        if (!last || page.length < 500) return;
        after = last.contact_id;
      }
    }
    return c.body(csvStream([...COLUMNS], lines), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="campaign-${row.id}-recipients.csv"`,
    });
  });
}
