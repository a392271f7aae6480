/** What a webhook handler answers; the route turns it into a JSON response. */
export interface WebhookOutcome {
  status: 200 | 400 | 401 | 403 | 502 | 503;
  body: Record<string, unknown>;
}

/** A refusal in the API error envelope. */
export const refuse = (status: WebhookOutcome["status"], code: string, message: string): WebhookOutcome => ({
  status,
  body: { error: { code, message, details: [] } },
});
