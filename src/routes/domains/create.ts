import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { registerDomain } from "../../services/domains/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Domain, DomainCreate, tags } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/domains",
  operationId: "createDomain",
  tags,
  summary: "Register a sending domain: the DNS records to publish (DKIM, SPF / MAIL FROM, DMARC)",
  description:
    "The records come from the organization's provider (SES Easy DKIM and MAIL FROM, or Brevo's records) plus DMARC. " +
    "An IP, a public suffix, or a domain another organization has verified answer 422 / 409.",
  security,
  request: { body: jsonBody(DomainCreate) },
  responses: { 201: jsonResponse(Domain, "The domain and its records"), 409: errors[409], 422: errors[422] },
});

export const registerCreateDomain = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await registerDomain(c.env, c.get("tenant"), c.req.valid("json").domain), 201),
  );
