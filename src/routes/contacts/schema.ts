import { z } from "@hono/zod-openapi";
import { CONTACT_STATUSES } from "../../db/schema";
import { paginationQuery } from "../../lib/pagination";
import { ContactInput } from "../../contracts/contact";

export const ContactCreate = ContactInput.openapi("ContactCreate");

export const ContactPatch = ContactCreate.partial()
  .extend({ status: z.enum(CONTACT_STATUSES).optional() })
  .openapi("ContactPatch");

export const Contact = z
  .object({
    id: z.string(),
    email: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    phone: z.string().nullable(),
    timezone: z.string().nullable(),
    locale: z.string().nullable(),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    status: z.enum(CONTACT_STATUSES),
    lifecycle_stage: z.string().nullable(),
    score: z.number(),
    validation_score: z.number().nullable(),
    deliverable: z.boolean().nullable(),
    last_event_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Contact");

export const ContactListQuery = z.object({
  ...paginationQuery,
  email: z.string().max(320).optional(),
  tag: z.string().max(100).optional(),
});

export const ImportResult = z
  .object({
    created: z.number(),
    updated: z.number(),
    rejected: z.array(z.object({ line: z.number(), email: z.string(), reason: z.string() })),
  })
  .openapi("ContactImportResult");
