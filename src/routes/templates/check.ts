import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { getContact } from "../../services/contacts/store";
import { checkTemplate } from "../../services/templates/check";
import { getTemplate } from "../../services/templates/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { withSnippets } from "../../services/templates/snippets";

const CheckRequest = z
  .object({ contact_id: z.string().min(1).max(100).optional() })
  .strict()
  .openapi("TemplateCheckRequest");
export const CheckResult = z
  .object({
    issues: z.array(
      z.object({
        code: z.string(),
        severity: z.enum(["error", "warning"]),
        message: z.string(),
      }),
    ),
  })
  .openapi("TemplateCheck");

const route = createRoute({
  method: "post",
  path: "/api/v1/templates/{id}/check",
  operationId: "checkTemplate",
  tags: ["Templates"],
  summary: "What is wrong with a template before it is sent",
  description:
    "Rendered for the contact (a sample one when none is given): PERSONALIZATION_ERROR, HTML_TOO_LARGE (over 102 KB), IMAGE_MISSING_ALT, NO_UNSUBSCRIBE, INSECURE_LINK, BROKEN_LINK, SUBJECT_TOO_LONG (over 78 characters).",
  security,
  request: {
    params: idParam,
    body: { content: { "application/json": { schema: CheckRequest } }, required: false },
  },
  responses: {
    200: jsonResponse(CheckResult, "The issues, errors first"),
    404: errors[404],
    422: errors[422],
  },
});

export const registerCheckTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const template = await getTemplate(tenant, c.req.valid("param").id);
    const body = c.req.valid("json") ?? {};
    const contact = body.contact_id ? await getContact(tenant, body.contact_id) : undefined;
    const issues = await checkTemplate(await withSnippets(tenant, template), {
      baseUrl: configOf(c.env).PUBLIC_BASE_URL,
      contact,
    });
    issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
    return c.json({ issues }, 200);
  });
