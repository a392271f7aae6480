import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { ApiError } from "../lib/errors";

export const JSON_BODY_LIMIT = 1024 * 1024;
export const CSV_BODY_LIMIT = 10 * 1024 * 1024;

const tooLarge = (limit: number) => () => {
  throw new ApiError("PAYLOAD_TOO_LARGE", `request body is larger than ${limit / (1024 * 1024)} MB`);
};

export const jsonBodyLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge(JSON_BODY_LIMIT) });
export const csvBodyLimit = bodyLimit({ maxSize: CSV_BODY_LIMIT, onError: tooLarge(CSV_BODY_LIMIT) });

const mediaType = (header: string | undefined) => (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * Requests with a body must declare the media type the route takes (JSON unless told otherwise):
 * anything else answers 415 instead of being read as an empty object.
 */
export function requireMediaType(...accepted: string[]): MiddlewareHandler<AppEnv> {
  const allowed = accepted.length ? accepted : ["application/json"];
  return async (c, next) => {
    if (c.req.method === "POST" || c.req.method === "PUT" || c.req.method === "PATCH") {
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
