import { z } from "@hono/zod-openapi";
import { ApiError } from "./errors";
import { base64url, fromBase64url } from "./ids";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const paginationQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .openapi({ description: `Page size (default ${DEFAULT_LIMIT}, max ${MAX_LIMIT})` }),
  cursor: z.string().max(500).optional().openapi({ description: "next_cursor of the previous page" }),
};

/** Opaque cursor: base64url of a JSON array of the last row's sort keys. */
export function encodeCursor(keys: (string | number | null)[]): string {
  return base64url(new TextEncoder().encode(JSON.stringify(keys)));
}

export function decodeCursor(cursor: string | undefined): (string | number | null)[] | null {
  if (!cursor) return null;
  try {
    const keys = JSON.parse(new TextDecoder().decode(fromBase64url(cursor)));
    if (Array.isArray(keys)) return keys;
  } catch {
    // fall through
  }
  throw new ApiError("INVALID_QUERY", "cursor is not valid", [
    { field: "cursor", message: "not a cursor from this API" },
  ]);
}

/** Fetch limit+1 rows, answer `limit` of them and the cursor of the last one when more exist. */
export function page<T>(rows: T[], limit: number, keysOf: (row: T) => (string | number | null)[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next_cursor = rows.length > limit && last ? encodeCursor(keysOf(last)) : null;
  return { items, next_cursor };
}
