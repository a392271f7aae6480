import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../../lib/errors";

/** SNS messages are at most 256 KB; a Brevo array of thousands of events stays well under this. */
export const WEBHOOK_BODY_LIMIT = 8 * 1024 * 1024;

export const webhookBodyLimit = bodyLimit({
  maxSize: WEBHOOK_BODY_LIMIT,
  onError: () => {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `webhook body is larger than ${WEBHOOK_BODY_LIMIT / (1024 * 1024)} MB`,
    );
  },
});
