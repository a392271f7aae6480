import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getDeliverability, putDeliverability } from "../../services/deliverability/settings";
import { registerSettings } from "./helper";

const rate = z.number().min(0).max(1);
const Deliverability = z
  .object({
    bounce_pause_rate: rate.openapi({ description: "Pause past this bounce rate (0.05 = 5%)" }),
    complaint_pause_rate: rate.openapi({ description: "Pause past this complaint rate (0.003 = 0.3%)" }),
    min_sends: z.number().int().min(1).max(10_000_000),
    window_days: z.number().int().min(1).max(90),
    frequency_cap: z
      .object({ max: z.number().int().min(1).max(1000), per_days: z.number().int().min(1).max(365) })
      .strict()
      .nullable(),
  })
  .openapi("DeliverabilitySettings");

export const registerDeliverabilitySettings = (app: App) =>
  registerSettings(app, {
    name: "deliverability",
    title: "Deliverability guard: bounce and complaint pause rates, window, frequency cap",
    schema: Deliverability,
    input: Deliverability.partial().strict().openapi("DeliverabilitySettingsInput"),
    get: getDeliverability,
    put: putDeliverability,
  });
