import { z } from "@hono/zod-openapi";
import { BEHAVIOUR_EVENT_TYPES } from "../../contracts/events";
import { SEQUENCE_EVENT_TYPES } from "../../contracts/sequence";

/** POST /scenarios/:id/simulate: a contact, simulated events, and the timeline it would follow. */
const SimEventType = z.enum([...SEQUENCE_EVENT_TYPES, ...BEHAVIOUR_EVENT_TYPES]);

export const SimulateRequest = z
  .object({
    contact_id: z.string().min(1).max(100),
    start_at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "Simulated enrollment instant (default now)" }),
    events: z
      .array(
        z
          .object({
            type: SimEventType,
            at: z.iso.datetime({ offset: true }).optional(),
            after_hours: z
              .number()
              .min(0)
              .max(24 * 800)
              .optional()
              .openapi({ description: "Hours after the run's start (instead of `at`)" }),
            step_order: z
              .number()
              .int()
              .nullable()
              .optional()
              .openapi({ description: "Default: the last step sent by then" }),
            node: z.string().max(40).optional().openapi({
              description: "A journey: the email node the event is about (default: the last sent)",
            }),
            name: z.string().max(100).optional().openapi({ description: "A custom event's name" }),
            properties: z.record(z.string(), z.unknown()).optional(),
            machine: z.boolean().optional(),
          })
          .refine((e) => (e.at === undefined) !== (e.after_hours === undefined), {
            message: "give at or after_hours (one of them)",
            path: ["at"],
          }),
      )
      .max(100)
      .default([]),
  })
  .openapi("ScenarioSimulateRequest");

export const SimulateResult = z.record(z.string(), z.unknown()).openapi("ScenarioSimulation");
