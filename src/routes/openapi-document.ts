/**
 * The published OpenAPI 3.1 document: what the routes declare, plus what every route shares
 * (a `servers` entry on PUBLIC_BASE_URL, 401 and 429 on every authenticated operation, a summary
 * on every operation) and the outgoing webhooks (reminders, rule webhooks) under `webhooks`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the generated document is walked as plain JSON.
type Doc = Record<string, any>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ref("Error") } },
});

const words = (id: string) =>
  id
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

const signedHeaders = {
  "webhook-id": { description: "Unique per delivery; the same on a retry", schema: { type: "string" } },
  "webhook-timestamp": { description: "Unix seconds", schema: { type: "string" } },
  "webhook-signature": {
    description:
      "Standard Webhooks: v1,<base64 HMAC-SHA256 of id.timestamp.body> under the endpoint's secret",
    schema: { type: "string" },
  },
};

/** Standard Webhooks envelope: {type, timestamp, data}. */
const envelope = (type: Record<string, unknown>, data: Record<string, unknown>) => ({
  type: "object",
  required: ["type", "timestamp", "data"],
  properties: {
    type,
    timestamp: { type: "string", format: "date-time" },
    data: { type: "object", properties: data },
  },
});

const signed = (operationId: string, summary: string, schema: Record<string, unknown>, retry: string) => ({
  post: {
    operationId,
    summary,
    parameters: Object.entries(signedHeaders).map(([name, h]) => ({
      name,
      in: "header",
      required: true,
      ...h,
    })),
    // The receiver checks the signature headers, not credentials of ours.
    security: [],
    requestBody: { required: true, content: { "application/json": { schema } } },
    responses: { "2XX": { description: `Received. ${retry}` } },
  },
});

const WEBHOOKS = {
  reminder: signed(
    "reminderWebhook",
    "An inbox item is due (GET|PUT /api/v1/settings/reminders webhook_url): once per reminder, signed",
    envelope(
      { type: "string", const: "interaction.reminders" },
      {
        notification_id: { type: "string" },
        interaction: {
          type: "object",
          description: "id, type, title, body, contact_id, status, assignee_id, next_action_at, …",
        },
        assignee: {
          type: "object",
          properties: { id: { type: "string" }, email: { type: "string" }, name: { type: "string" } },
        },
        contact: {
          type: ["object", "null"],
          properties: { id: { type: "string" }, email: { type: "string" } },
        },
      },
    ),
    "Anything else gets one more try.",
  ),
  ruleWebhook: signed(
    "ruleTriggerWebhook",
    "A rule's trigger_webhook action: the rule, the event that matched and the contact, signed",
    envelope(
      { type: "string", description: "rule.<trigger>, e.g. rule.email_clicked" },
      {
        rule: { type: "object" },
        event: {
          type: "object",
          properties: {
            id: { type: "string" },
            trigger: { type: "string" },
            occurred_at: { type: "string" },
            properties: { type: "object" },
          },
        },
        contact: { type: "object", description: "The contact as GET /api/v1/contacts/{id} answers it" },
      },
    ),
    "A 5xx or a timeout is retried with backoff, with the same webhook-id.",
  ),
};

export function finishDocument(doc: Doc, baseUrl: string): Doc {
  doc.servers = [{ url: baseUrl, description: "This deployment" }];
  for (const [, item] of Object.entries<Doc>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Doc>(item)) {
      if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
      op.summary ??= words(op.operationId ?? `${method} operation`);
      // Public operations say so (no credentials), rather than leaving security undefined.
      op.security ??= [];
      op.responses ??= {};
      if (op.security?.length) {
        op.responses["401"] ??= errorResponse("Missing, malformed or revoked credentials");
        op.responses["429"] ??= errorResponse("RATE_LIMIT_EXCEEDED; see the Retry-After header");
      }
    }
  }
  doc.webhooks = { ...(doc.webhooks ?? {}), ...WEBHOOKS };
  return doc;
}
