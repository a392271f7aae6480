/**
 * What a contact may hold, whichever way it arrives: the API (POST/PATCH /contacts), a CSV import
 * or a sign-up form. One schema decides, so nothing accepted by one entry point breaks another.
 */
import { z } from "@hono/zod-openapi";
import {
  attributesField,
  emailField,
  headerSafe,
  localeField,
  tagsField,
  timezoneField,
} from "../lib/validation";

export const nameField = headerSafe(200);
export const phoneField = headerSafe(50);

export const ContactInput = z.object({
  email: emailField,
  first_name: nameField.nullable().optional(),
  last_name: nameField.nullable().optional(),
  phone: phoneField.nullable().optional(),
  timezone: timezoneField.nullable().optional(),
  locale: localeField.nullable().optional(),
  tags: tagsField.optional(),
  attributes: attributesField.optional(),
  validation_score: z.number().min(0).max(100).nullable().optional(),
  deliverable: z.boolean().nullable().optional(),
  lifecycle_stage: headerSafe(50).nullable().optional(),
});
export type ContactInput = z.infer<typeof ContactInput>;

/** The first problem of a failed parse, as one line: `last_name: Too big: ...`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}
