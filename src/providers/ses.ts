import { AwsClient } from "aws4fetch";
import { isRetryableStatus } from "../lib/result";
import {
  callProvider,
  type EmailProvider,
  oneLine,
  permanent,
  readJsonBody,
  retryable,
  type SendResult,
} from "./types";

/** Decrypted SES credentials and settings of one organization (provider_accounts row). */
export interface SesAccount {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  configurationSet?: string | null;
}

/** SES error types that mean "slow down and try again" whatever the HTTP status says. */
const THROTTLING = new Set([
  "TooManyRequestsException",
  "LimitExceededException",
  "Throttling",
  "ThrottlingException",
]);

/** Real SES endpoint of a region, unless SES_ENDPOINT points elsewhere (aws-ses-v2-local, tests). */
export const sesEndpoint = (region: string, override?: string) =>
  (override?.trim() || `https://email.${region}.amazonaws.com`).replace(/\/+$/, "");

/** SES EmailTags accept only ASCII letters, digits, underscores and dashes (256 max). */
const tagValue = (v: string) => v.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);

/**
 * Amazon SES v2 SendEmail with Raw content (the MIME we built, so the List-Unsubscribe headers are
 * exactly ours). Signed with SigV4 by aws4fetch with `retries: 0`: the SEND consumer owns retries,
 * because aws4fetch's own 10 silent retries would hide throttling and could double-send.
 * ConfigurationSetName and EmailTags (organization_id, message_id) make event publishing map back.
 */
export function createSesProvider(account: SesAccount, options: { endpoint?: string } = {}): EmailProvider {
  const client = new AwsClient({
    accessKeyId: account.accessKeyId,
    secretAccessKey: account.secretAccessKey,
    service: "ses",
    region: account.region,
    retries: 0,
  });
  const url = `${sesEndpoint(account.region, options.endpoint)}/v2/email/outbound-emails`;
  return {
    name: "ses",
    async send(email, opts = {}) {
      const body = {
        FromEmailAddress: email.from.email,
        Destination: { ToAddresses: [email.to] },
        Content: { Raw: { Data: base64Utf8(email.raw) } },
        ...(account.configurationSet ? { ConfigurationSetName: account.configurationSet } : {}),
        EmailTags: [
          { Name: "organization_id", Value: tagValue(email.organizationId) },
          { Name: "message_id", Value: tagValue(email.messageId) },
          ...(email.tags ?? []).map((t) => ({ Name: `tag_${tagValue(t)}`.slice(0, 256), Value: "1" })),
        ],
      };
      return callProvider(
        "ses",
        () =>
          client.fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(body),
            signal: opts.signal,
          }),
        sesResult,
      );
    },
  };
}

/** Map an SES answer to a result: MessageId on 2xx, else the error type decides retry or not. */
export async function sesResult(res: Response): Promise<SendResult> {
  const json = await readJsonBody(res);
  if (res.ok) {
    const id = typeof json.MessageId === "string" ? json.MessageId : "";
    return id ? { ok: true, externalId: id } : retryable("ses: answer without MessageId");
  }
  // The error type comes in x-amzn-ErrorType ("MessageRejected:http://..."), or __type / code in the body.
  const rawType = res.headers.get("x-amzn-ErrorType") ?? String(json.__type ?? json.code ?? json.Code ?? "");
  const type = rawType.split(":")[0]?.split("#").pop() ?? "";
  const message = String(json.message ?? json.Message ?? "");
  const reason = oneLine(`ses ${res.status}${type ? ` ${type}` : ""}${message ? `: ${message}` : ""}`);
  if (isRetryableStatus(res.status) || THROTTLING.has(type)) return retryable(reason, undefined, res.status);
  return permanent(reason, res.status);
}

/** Base64 of the UTF-8 bytes (btoa alone takes Latin-1 only). */
function base64Utf8(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
