import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { emailField } from "../../lib/validation";
import { getContact } from "../../services/contacts/store";
import { testSend } from "../../services/templates/test-send";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";

const TestSendRequest = z
  .object({
    emails: z.array(emailField).min(1).max(10).openapi({ description: "Team members' addresses" }),
    contact_id: z.string().min(1).max(100).optional().openapi({ description: "Render for this contact" }),
  })
  .strict()
  .openapi("TemplateTestSendRequest");

const route = createRoute({
  method: "post",
  path: "/api/v1/templates/{id}/test-send",
  operationId: "testSendTemplate",
  tags: ["Templates"],
  summary: "Send the template to team members, subject prefixed [Test]",
  security,
  request: { params: idParam, body: jsonBody(TestSendRequest) },
  responses: {
    202: jsonResponse(
      z.object({ message_ids: z.array(z.string()) }),
      "Queued; GET /api/v1/messages lists them",
    ),
    404: errors[404],
    422: errors[422],
  },
});

export const registerTestSendTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const body = c.req.valid("json");
    const contact = body.contact_id ? await getContact(tenant, body.contact_id) : undefined;
    const res = await testSend(
      c.env,
      tenant,
      c.req.valid("param").id,
      { emails: body.emails, contact },
      configOf(c.env).PUBLIC_BASE_URL,
    );
    return c.json(res, 202);
  });
