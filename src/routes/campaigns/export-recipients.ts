import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { type Cell, csvStream } from "../../lib/csv";
import { recipientsPage } from "../../services/campaigns/stats";
import { getCampaign } from "../../services/campaigns/store";
import { csvResponse, errors, idParam, security } from "../openapi";

const tags = ["Campaigns"];

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

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/recipients/export",
  operationId: "exportCampaignRecipients",
  tags,
  summary: "The campaign's recipients as CSV",
  security,
  request: { params: idParam },
  responses: {
    200: csvResponse,
    401: errors[401],
    404: errors[404],
  },
});

export const registerExportCampaignRecipients = (app: App) =>
  app.openapi(route, async (c) => {
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
