import { ApiError, type ErrorCode } from "../../../lib/errors";

/** What an accepted webhook delivery answers (200); a refusal is thrown as an ApiError instead. */
export interface WebhookOutcome {
  status: 200;
  body: Record<string, unknown>;
}

/** A refusal, rendered in the API error envelope by the app's error handler. */
export const refuse = (code: ErrorCode, message: string): never => {
  throw new ApiError(code, message);
};
