import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { decodeCursor, encodeCursor, paginationQuery } from "../../lib/pagination";
import { recipientsPage } from "../../services/campaigns/stats";
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

const route = createRoute({
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

export const registerListCampaignRecipients = (app: App) =>
  app.openapi(route, async (c) => {
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
