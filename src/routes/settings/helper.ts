import { createRoute, type z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import type { Tenant } from "../../lib/tenant";
import { errors, jsonBody, jsonResponse, security } from "../openapi";

/**
 * One organization settings group as GET and PUT /api/v1/settings/<name>: GET answers the current
 * values (defaults filled in), PUT takes any subset and answers the new values.
 */
export function registerSettings<S extends z.ZodType, I extends z.ZodType>(
  app: App,
  spec: {
    name: string;
    /** The operationIds' middle part (get<Id>Settings); by default the name in PascalCase. */
    id?: string;
    title: string;
    schema: S;
    input: I;
    get: (tenant: Tenant, env: Env) => Promise<z.infer<S>>;
    put: (tenant: Tenant, input: z.infer<I>, env: Env) => Promise<z.infer<S>>;
  },
) {
  const id = spec.id ?? spec.name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
  const get = createRoute({
    method: "get",
    path: `/api/v1/settings/${spec.name}`,
    operationId: `get${id}Settings`,
    tags: ["Settings"],
    summary: spec.title,
    security,
    responses: { 200: jsonResponse(spec.schema, spec.title), 401: errors[401] },
  });
  const put = createRoute({
    method: "put",
    path: `/api/v1/settings/${spec.name}`,
    operationId: `put${id}Settings`,
    tags: ["Settings"],
    summary: `Change: ${spec.title.charAt(0).toLowerCase()}${spec.title.slice(1)} (fields left out keep their value)`,
    security,
    request: { body: jsonBody(spec.input) },
    responses: { 200: jsonResponse(spec.schema, spec.title), 401: errors[401], 422: errors[422] },
  });
  // biome-ignore lint/suspicious/noExplicitAny: the route's typed handler is generic over the spec.
  app.openapi(get, (async (c: any) => c.json(await spec.get(c.get("tenant"), c.env), 200)) as any);
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  app.openapi(put, (async (c: any) =>
    // biome-ignore lint/suspicious/noExplicitAny: the generic schema pair defeats hono's handler inference; the route's schema checks the body.
    c.json(await spec.put(c.get("tenant"), c.req.valid("json"), c.env), 200)) as any);
}
