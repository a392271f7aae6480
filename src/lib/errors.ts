import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Error codes of the public contract (shared API.md) and the status each answers with. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  INVALID_QUERY: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CONTACT_EXISTS: 409,
  ILLEGAL_TRANSITION: 409,
  STALE_WRITE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_ERROR: 422,
  TEMPLATE_INVALID: 422,
  STEPS_INVALID: 422,
  TEMPLATE_NOT_FOUND: 422,
  INVALID_EMAIL_CONTENT: 422,
  SEGMENT_TOO_LARGE: 422,
  INSUFFICIENT_CONSENT: 422,
  PERSONALIZATION_ERROR: 422,
  PROVIDER_NOT_CONFIGURED: 422,
  SUPPRESSED: 422,
  DOMAIN_NOT_VERIFIED: 422,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every code, for the OpenAPI document's enum. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export interface ErrorDetail {
  field?: string;
  message: string;
  line?: number;
}

/** The one error type routes throw; the app's error handler renders it as the API.md envelope. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);

export const validationError = (field: string, message: string) =>
  new ApiError("VALIDATION_ERROR", `${field}: ${message}`, [{ field, message }]);

/**
 * The API.md envelope. `request_id` is the id the response's X-Request-Id header carries too (and
 * the Worker's log lines): what a client quotes when it reports a problem.
 */
export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = [], requestId?: string) {
  return { error: { code, message, details, ...(requestId ? { request_id: requestId } : {}) } };
}

/** 422 VALIDATION_ERROR with every problem in details and, in the message, "field: problem; ...". */
export const validationFailed = (details: ErrorDetail[]) =>
  new ApiError(
    "VALIDATION_ERROR",
    details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join("; "),
    details,
  );

/** A zod failure as the API words it: one detail per issue, the field as a dotted path. */
export const zodDetails = (e: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): ErrorDetail[] =>
  e.issues.map((i) => ({ field: i.path.map(String).join(".") || undefined, message: i.message }));
