import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getContact } from "../../services/contacts/store";
import { recordConsent } from "../../services/consent/store";
import { CONSENT_TYPES } from "../../services/segments/fields";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Record } from "./schema";

const tags = ["Consent"];

const noControl = /^[^\u0000-\u001f\u007f]*$/;

const Input = z
  .object({
    type: z.enum(CONSENT_TYPES),
    granted: z.boolean().optional(),
    state: z.enum(["granted", "revoked", "pending"]).optional(),
    source: z.string().trim().min(1).max(100).regex(noControl, "no control characters"),
    ip: z.union([z.ipv4(), z.ipv6()]).nullable().optional(),
    user_agent: z.string().max(512).regex(noControl, "no control characters").nullable().optional(),
    double_opt_in: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.granted !== undefined || v.state !== undefined, {
    message: "give granted or state",
    path: ["granted"],
  })
  .openapi("ConsentInput");

const route = createRoute({
  method: "post",
  path: "/api/v1/contacts/{id}/consents",
  operationId: "recordContactConsent",
  tags,
  summary: "Record a consent given or withdrawn, with its source",
  security,
  request: { params: idParam, body: jsonBody(Input) },
  responses: {
    201: jsonResponse(Record, "The record"),
    401: errors[401],
    404: errors[404],
    422: errors[422],
  },
});

export const registerRecordContactConsent = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const contact = await getContact(tenant, c.req.valid("param").id);
    const input = c.req.valid("json");
    const state = input.state ?? (input.granted ? "granted" : "revoked");
    const row = await recordConsent(tenant, contact, { ...input, state });
    return c.json(row as z.infer<typeof Record>, 201);
  });
