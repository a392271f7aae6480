import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { ApiError } from "../lib/errors";
import { inspectJson } from "../lib/json-shape";

export const JSON_BODY_LIMIT = 1024 * 1024;
export const CSV_BODY_LIMIT = 10 * 1024 * 1024;

const tooLarge = (limit: number) => () => {
  throw new ApiError("PAYLOAD_TOO_LARGE", `request body is larger than ${limit / (1024 * 1024)} MB`);
};

export const jsonBodyLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge(JSON_BODY_LIMIT) });
export const csvBodyLimit = bodyLimit({ maxSize: CSV_BODY_LIMIT, onError: tooLarge(CSV_BODY_LIMIT) });

/** Methods whose requests may carry a body (DELETE too: removing segment members takes one). */
const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const mediaType = (header: string | undefined) => (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * Requests with a body must declare the media type the route takes (JSON unless told otherwise):
 * anything else answers 415 instead of being read as an empty object.
 */
export function requireMediaType(...accepted: string[]): MiddlewareHandler<AppEnv> {
  const allowed = accepted.length ? accepted : ["application/json"];
  return async (c, next) => {
    if (WITH_BODY.has(c.req.method)) {
      const type = mediaType(c.req.header("Content-Type"));
      const length = c.req.header("Content-Length");
      const hasBody =
        type !== "" || (length !== undefined && length !== "0") || c.req.header("Transfer-Encoding");
      if (hasBody && !allowed.includes(type)) {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be ${allowed.join(" or ")}`);
      }
    }
    await next();
  };
}

/** Deepest nesting a request body may have; free-form values (attributes, properties) allow 10. */
export const MAX_BODY_DEPTH = 32;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Every JSON body, before any route sees it: valid UTF-8, nested at most MAX_BODY_DEPTH levels, no
 * control character (other than tab, CR, LF) or lone surrogate in any string or key. A body that
 * is not JSON at all is left to the route's validator, which answers MALFORMED_JSON.
 */
export const jsonBodyGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (WITH_BODY.has(c.req.method) && mediaType(c.req.header("Content-Type")) === "application/json") {
    // jsonBodyLimit ran first, so the body is already bounded and buffered.
    const bytes = await c.req.arrayBuffer();
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new ApiError("MALFORMED_JSON", "the body is not valid UTF-8");
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return next();
    }
    const problem = inspectJson(value, MAX_BODY_DEPTH);
    if (problem) {
      const field = problem.path || undefined;
      throw new ApiError("VALIDATION_ERROR", field ? `${field}: ${problem.message}` : problem.message, [
        { field, message: problem.message },
      ]);
    }
  }
  await next();
};
