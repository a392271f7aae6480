import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getContact } from "../../services/contacts";
import { consentHistory, recordConsent } from "../../services/consent/records";
import { CONSENT_TYPES } from "../../services/segments/fields";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";

const tags = ["Consent"];

const Record = z
  .object({
    id: z.string(),
    type: z.enum(CONSENT_TYPES),
    state: z.enum(["granted", "revoked", "pending"]),
    granted: z.boolean(),
    source: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    double_opt_in: z.boolean(),
    created_at: z.string(),
  })
  .openapi("ConsentRecord");

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

const list = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/consents",
  operationId: "listContactConsents",
  tags,
  summary: "The contact's consent history, newest first (an audit trail: never changed in place)",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Record) }), "The history"),
    401: errors[401],
    404: errors[404],
  },
});

const add = createRoute({
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

export function registerContactConsents(app: App) {
  app.openapi(list, async (c) => {
    const tenant = c.get("tenant");
    const contact = await getContact(tenant, c.req.valid("param").id);
    return c.json({ items: (await consentHistory(tenant, contact.id)) as z.infer<typeof Record>[] }, 200);
  });
  app.openapi(add, async (c) => {
    const tenant = c.get("tenant");
    const contact = await getContact(tenant, c.req.valid("param").id);
    const input = c.req.valid("json");
    const state = input.state ?? (input.granted ? "granted" : "revoked");
    const row = await recordConsent(tenant, contact, { ...input, state });
    return c.json(row as z.infer<typeof Record>, 201);
  });
}
