import { ApiError, type ErrorDetail, zodDetails } from "../../lib/errors";
import type { z } from "@hono/zod-openapi";
import { type Ctx, field } from "./session";

/** A zod failure as the API words it (the same details as a 422 from the API). */
export const issuesOf = zodDetails;

/**
 * Run a form's action; an ApiError the API would answer 4xx (validation, conflict, not found)
 * comes back to the form with its details instead of an error page.
 */
export async function runForm<T>(
  action: () => Promise<T>,
  onError: (errors: ErrorDetail[]) => T | Promise<T>,
) {
  try {
    return await action();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status >= 500) throw e;
    return onError(e.details?.length ? e.details : [{ message: e.message }]);
  }
}

/** At most this much CSV per upload (the API's limit too). */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;

/**
 * The CSV of an import form: the uploaded file, or a part of one as text (`csv`, what the page
 * script sends a few thousand lines at a time). Answers the text, or what is wrong with the upload.
 */
export async function uploadedCsv(
  form: Record<string, unknown>,
): Promise<{ csv: string } | { error: string }> {
  const file = form.file;
  let csv = typeof form.csv === "string" ? form.csv : null;
  if (file instanceof File) {
    if (file.size > MAX_CSV_BYTES) return { error: "The file is over 10 MB: split it." };
    csv = await file.text();
  }
  return csv?.trim() ? { csv } : { error: "Choose a CSV file." };
}

/**
 * An editor's save answered in JSON (the block editor): the action's answer, or 422 with the
 * issues of an ApiError the API would answer 4xx; a 404 (another organization's id) goes through.
 */
export async function jsonSave(c: Ctx, action: () => Promise<Record<string, unknown>>) {
  try {
    return c.json(await action());
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 404 || e.status >= 500) throw e;
    return c.json({ issues: e.details.length ? e.details : [{ message: e.message }] }, 422);
  }
}

/** An editor's draft (the form field `draft`, JSON) read by the API's own schema, or its issues. */
export function jsonDraft<S extends z.ZodType>(
  form: Record<string, unknown>,
  schema: S,
): { draft: z.infer<S> } | { issues: ErrorDetail[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(field(form, "draft"));
  } catch {
    return { issues: [{ message: "the draft is not valid JSON" }] };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { draft: parsed.data } : { issues: issuesOf(parsed.error) };
}
