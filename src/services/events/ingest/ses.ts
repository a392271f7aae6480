import { z } from "zod";
import type { Tenant } from "../../../lib/tenant";
import { storeEvent } from "./store";
import { sesEventMeta } from "../normalize/ses";
import { refuse, type WebhookOutcome } from "./outcome";
import { type SnsEnvelope, snsUrl, verifySnsSignature } from "./sns-verify";
import { sesTopicArns } from "../../settings/provider-accounts";
import { parseJson } from "../../../lib/json";

const str = z.string().min(1).max(300_000);
const Envelope = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().min(1).max(400),
  Message: z.string().max(300_000),
  Timestamp: str,
  SignatureVersion: z.string().max(10),
  Signature: z.string().min(1).max(4096),
  SigningCertURL: z.string().min(1).max(2048),
  Subject: z.string().max(1000).nullish(),
  SubscribeURL: z.string().max(4096).optional(),
  Token: z.string().max(4096).optional(),
});

function parseEnvelope(body: string): SnsEnvelope | null {
  const parsed = Envelope.safeParse(parseJson<unknown>(body, null));
  return parsed.success ? parsed.data : null;
}

/**
 * One SNS HTTP delivery to /webhooks/ses/:token. Order matters: the envelope is checked for shape,
 * then its topic against the organization's, then its signature; only a verified message is acted
 * on. A SubscriptionConfirmation is confirmed by GET on its (validated) SubscribeURL; a Notification
 * is stored raw (the verified envelope, deduplicated on the SNS MessageId) and queued to EVENTS.
 */
export async function ingestSnsDelivery(
  tenant: Tenant,
  queue: Queue,
  body: string,
  headers: Headers,
): Promise<WebhookOutcome> {
  const m = parseEnvelope(body);
  if (!m) return refuse("BAD_REQUEST", "body is not an SNS message");
  const headerType = headers.get("x-amz-sns-message-type");
  if (headerType && headerType !== m.Type)
    return refuse("BAD_REQUEST", "x-amz-sns-message-type disagrees with Type");

  // A valid signature proves AWS signed it, not that it is this organization's topic.
  const topics = await sesTopicArns(tenant);
  if (!topics.includes(m.TopicArn))
    return refuse("FORBIDDEN", "TopicArn is not configured for this organization");
  const headerTopic = headers.get("x-amz-sns-topic-arn");
  if (headerTopic && headerTopic !== m.TopicArn)
    return refuse("FORBIDDEN", "x-amz-sns-topic-arn disagrees with TopicArn");

  const verified = await verifySnsSignature(m);
  if (!verified.ok) {
    return verified.retryable
      ? refuse("SERVICE_UNAVAILABLE", verified.reason)
      : refuse("FORBIDDEN", `SNS signature rejected: ${verified.reason}`);
  }

  if (m.Type === "SubscriptionConfirmation") return confirmSubscription(m);
  if (m.Type === "UnsubscribeConfirmation") return { status: 200, body: { ok: true } };

  const meta = sesEventMeta(m.Message, Date.parse(m.Timestamp));
  const res = await storeEvent(tenant, queue, {
    source: "ses",
    dedupKey: `sns:${m.MessageId}`,
    type: meta.type,
    occurredAt: meta.occurredAt,
    raw: body,
  });
  return {
    status: 200,
    body: { ok: true, stored: res.duplicate ? 0 : 1, duplicates: res.duplicate ? 1 : 0 },
  };
}

async function confirmSubscription(m: SnsEnvelope): Promise<WebhookOutcome> {
  const url = snsUrl(m.SubscribeURL);
  if (!url) return refuse("FORBIDDEN", "SubscribeURL is not an https URL on an SNS host");
  let res: Response;
  try {
    res = await fetch(url.toString(), { redirect: "manual" });
  } catch {
    return refuse("BAD_GATEWAY", "could not reach SubscribeURL; SNS will send the confirmation again");
  }
  await res.body?.cancel();
  if (!res.ok) return refuse("BAD_GATEWAY", `SubscribeURL answered ${res.status}`);
  return { status: 200, body: { ok: true, confirmed: true } };
}
