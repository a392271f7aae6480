import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { campaignView } from "../../services/campaigns/store";
import { type CampaignTransition, transitionCampaign } from "../../services/campaigns/transitions";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Campaign } from "./schema";

const tags = ["Campaigns"];

const SUMMARY: Record<CampaignTransition, string> = {
  send: "Send now (draft or scheduled -> sending)",
  schedule: "Schedule at send_at (draft -> scheduled); starts once at its time",
  pause: "Pause (sending or scheduled -> paused): nothing more leaves",
  resume: "Resume (paused -> sending, or scheduled when its time has not come)",
  cancel: "Cancel: nothing more leaves, for good",
};

const transition = (t: CampaignTransition) =>
  createRoute({
    method: "post",
    path: `/api/v1/campaigns/{id}/${t}`,
    operationId: `${t}Campaign`,
    tags,
    summary: SUMMARY[t],
    security,
    request: {
      params: idParam,
      ...(t === "schedule"
        ? { body: jsonBody(z.object({ send_at: z.iso.datetime({ offset: true }).optional() }).strict()) }
        : {}),
    },
    responses: {
      200: jsonResponse(Campaign, "The campaign with its new status"),
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: errors[422],
    },
  });

/** POST /campaigns/{id}/send | schedule | pause | resume | cancel: one operation per transition. */
export function registerCampaignTransitions(app: App) {
  for (const t of ["send", "schedule", "pause", "resume", "cancel"] as const) {
    app.openapi(transition(t), async (c) => {
      const body = t === "schedule" ? ((await c.req.json().catch(() => ({}))) as { send_at?: string }) : {};
      const row = await transitionCampaign(c.env, c.get("tenant"), c.req.param("id") as string, t, body);
      return c.json(campaignView(row), 200);
    });
  }
}
