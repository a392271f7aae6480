import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { pauseSendersOf } from "../../services/domains/lost";
import { domainView, getDomainRow, recheckDomain } from "../../services/domains/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Domain, tags } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/domains/{id}",
  operationId: "getDomain",
  tags,
  summary: "Check the domain again (provider and DNS) and answer its records' status",
  description:
    "Each record is verified, pending or failed, and so is the domain. A domain that was verified and is not any more " +
    "pauses the scenarios and campaigns sending from it, and notifies the team.",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Domain, "The domain as just checked"), 404: errors[404] },
});

export const registerGetDomain = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const { row, lost } = await recheckDomain(
      c.env,
      tenant,
      await getDomainRow(tenant, c.req.valid("param").id),
    );
    if (lost) await pauseSendersOf(c.env, tenant, row.domain);
    return c.json(domainView(row), 200);
  });
