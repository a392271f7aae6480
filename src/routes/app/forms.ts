import { ApiError, type ErrorDetail, zodDetails } from "../../lib/errors";

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
