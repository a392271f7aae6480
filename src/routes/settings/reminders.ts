import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import {
  getReminderSettings,
  putReminderSettings,
  reminderSettingsView,
} from "../../services/inbox/reminder-settings";
import { registerSettings } from "./helper";

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

export const ReminderSettingsPut = z
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

export const registerReminderSettings = (app: App) =>
  registerSettings(app, {
    name: "reminders",
    id: "Reminder",
    title: "Reminders of overdue interactions: email to the assignee, signed webhook (never the secret)",
    schema: ReminderSettings,
    input: ReminderSettingsPut,
    get: async (tenant) => reminderSettingsView(await getReminderSettings(tenant)),
    put: (tenant, input, env) => putReminderSettings(tenant, configOf(env).ENCRYPTION_KEY, input),
  });
