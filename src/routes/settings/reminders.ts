import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import {
  getReminderSettings,
  putReminderSettings,
  reminderSettingsView,
} from "../../services/inbox/reminder-settings";
import { errors, jsonBody, jsonResponse, security } from "../openapi";

const ReminderSettings = z
  .object({
    email: z.boolean().openapi({ description: "Email the assignee through the sending pipeline" }),
    webhook_url: z
      .string()
      .nullable()
      .openapi({ description: "Signed (Standard Webhooks) POST of each batch of reminders" }),
    webhook_secret_set: z.boolean(),
    webhook_secret: z.string().optional().openapi({
      description: "The whsec_ signing secret: answered only by the PUT that set or generated it",
    }),
  })
  .openapi("ReminderSettings");

const ReminderSettingsPut = z
  .object({
    email: z.boolean().optional(),
    webhook_url: z.string().max(2000).nullable().optional(),
    webhook_secret: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: "Your own whsec_ secret (else one is generated)" }),
    rotate_webhook_secret: z.boolean().optional(),
  })
  .openapi("ReminderSettingsPut");

const get = createRoute({
  method: "get",
  path: "/api/v1/settings/reminders",
  operationId: "getReminderSettings",
  tags: ["Settings"],
  summary: "How overdue-interaction reminders are delivered (besides the in-app notification)",
  security,
  responses: { 200: jsonResponse(ReminderSettings, "Reminder settings (never the secret)") },
});

const put = createRoute({
  method: "put",
  path: "/api/v1/settings/reminders",
  operationId: "putReminderSettings",
  tags: ["Settings"],
  summary: "Configure reminder email and webhook; fields left out keep their value",
  security,
  request: { body: jsonBody(ReminderSettingsPut) },
  responses: { 200: jsonResponse(ReminderSettings, "The new settings"), 422: errors[422] },
});

export function registerReminderSettingsRoutes(app: App) {
  app.openapi(get, async (c) =>
    c.json(reminderSettingsView(await getReminderSettings(c.get("tenant"))), 200),
  );
  app.openapi(put, async (c) =>
    c.json(
      await putReminderSettings(c.get("tenant"), configOf(c.env).ENCRYPTION_KEY, c.req.valid("json")),
      200,
    ),
  );
}
