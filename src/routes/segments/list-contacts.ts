import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery, decodeCursor, encodeCursor } from "../../lib/pagination";
import { membershipOf, pageMembers } from "../../services/segments/query";
import { getSegment } from "../../services/segments/store";
import { Contact } from "../contacts/schema";
import { errors, idParam, jsonResponse, listOf, security } from "../openapi";
import { contactView } from "../../services/contacts/view";

const tags = ["Segments"];

const route = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}/contacts",
  operationId: "listSegmentContacts",
  tags,
  summary: "The segment's contacts, in pages (keyset by contact id)",
  security,
  request: { params: idParam, query: z.object(paginationQuery) },
  responses: {
    200: jsonResponse(listOf(Contact), "A page of contacts"),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

export const registerListSegmentContacts = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const { limit, cursor } = c.req.valid("query");
    const segment = await getSegment(tenant, c.req.valid("param").id);
    const after = decodeCursor(cursor);
    const rows = await pageMembers(tenant, membershipOf(segment), after ? String(after[0]) : null, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return c.json(
      {
        items: items.map(contactView),
        next_cursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      },
      200,
    );
  });
