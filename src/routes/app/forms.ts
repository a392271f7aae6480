import type { z } from "zod";
import { ApiError, type ErrorDetail } from "../../lib/errors";

/** A zod failure as the API words it: one detail per issue, the field as a dotted path. */
export const issuesOf = (e: z.ZodError): ErrorDetail[] =>
  e.issues.map((i) => ({ field: i.path.join(".") || undefined, message: i.message }));

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
