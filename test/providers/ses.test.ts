import { AwsV4Signer } from "aws4fetch";
import { describe, expect, it } from "vitest";
import { createSesProvider } from "../../src/providers/ses";
import type { OutboundEmail } from "../../src/providers/types";
import { HttpResponse, http, network, respondInOrder, useNetwork } from "../helpers/network";

useNetwork();

// Official AWS SigV4 test suite (aws-sig-v4-test-suite, 2015-08-30): credentials, date and the
// expected Authorization of three cases, checked against aws4fetch's signer with a fixed datetime.
const SUITE = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
  service: "service",
};
const SCOPE =
  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date";
const VECTORS = [
  {
    name: "get-vanilla",
    method: "GET",
    url: "https://example.amazonaws.com/",
    signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  },
  {
    name: "post-vanilla",
    method: "POST",
    url: "https://example.amazonaws.com/",
    signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  },
  {
    name: "get-vanilla-query-order-key-case",
    method: "GET",
    url: "https://example.amazonaws.com/?Param2=value2&Param1=value1",
    signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
  },
];

describe("SigV4 signer (aws4fetch) against the official test suite", () => {
  for (const v of VECTORS) {
    it(v.name, async () => {
      const signer = new AwsV4Signer({
        ...SUITE,
        method: v.method,
        url: v.url,
        datetime: "20150830T123600Z",
      });
      expect(await signer.authHeader()).toBe(`${SCOPE}, Signature=${v.signature}`);
    });
  }

  it("get-vanilla string to sign", async () => {
    const signer = new AwsV4Signer({
      ...SUITE,
      url: "https://example.amazonaws.com/",
      datetime: "20150830T123600Z",
    });
    expect(await signer.stringToSign()).toBe(
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
    );
  });
});

const URL = "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails";
const email: OutboundEmail = {
  messageId: "msg_abc",
  organizationId: "org_xyz",
  idempotencyKey: "f".repeat(64),
  from: { email: "news@sender.example", name: "Sender" },
  to: "ada@example.com",
  subject: "Hello",
  html: "<p>Hello</p>",
  text: "Hello",
  headers: {},
  raw: "From: <news@sender.example>\r\nTo: <ada@example.com>\r\nSubject: Héllo\r\n\r\nbody",
};
const ses = createSesProvider({
  region: "eu-west-1",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "secret/KEY+example0123456789",
  configurationSet: "marketing",
});
const sesError = (status: number, type: string, message: string) =>
  HttpResponse.json(
    { message },
    {
      status,
      headers: { "x-amzn-ErrorType": `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/` },
    },
  );

describe("SES v2 SendEmail", () => {
  it("signs the request with SigV4 for ses/eu-west-1 and sends Raw content, configuration set and tags", async () => {
    const seen = respondInOrder("post", URL, [HttpResponse.json({ MessageId: "0102018f-ses-id" })]);
    expect(await ses.send(email)).toEqual({ ok: true, externalId: "0102018f-ses-id" });
    expect(seen).toHaveLength(1);
    const req = seen[0];
    const auth = req?.headers.get("authorization") ?? "";
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/ses\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    const datetime = req?.headers.get("x-amz-date") ?? "";
    expect(datetime).toMatch(/^\d{8}T\d{6}Z$/);
    // The signature verifies: recompute it over what SES received (method, URL, host, date, body).
    const check = new AwsV4Signer({
      method: "POST",
      url: URL,
      headers: { "x-amz-date": datetime },
      body: req?.body,
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "secret/KEY+example0123456789",
      service: "ses",
      region: "eu-west-1",
      datetime,
    });
    expect(auth).toBe(await check.authHeader());
    const body = JSON.parse(req?.body ?? "{}");
    expect(body.ConfigurationSetName).toBe("marketing");
    expect(body.EmailTags).toEqual([
      { Name: "organization_id", Value: "org_xyz" },
      { Name: "message_id", Value: "msg_abc" },
    ]);
    expect(body.Destination).toEqual({ ToAddresses: ["ada@example.com"] });
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(body.Content.Raw.Data), (c) => c.charCodeAt(0)),
    );
    expect(decoded).toBe(email.raw);
  });

  it("throttling and 5xx are retryable; aws4fetch does not retry by itself", async () => {
    const seen = respondInOrder("post", URL, [
      sesError(429, "TooManyRequestsException", "Maximum sending rate exceeded."),
    ]);
    expect(await ses.send(email)).toMatchObject({
      ok: false,
      retryable: true,
      reason: expect.stringContaining("TooManyRequestsException"),
    });
    expect(seen).toHaveLength(1);
    respondInOrder("post", URL, [sesError(400, "LimitExceededException", "Daily message quota exceeded.")]);
    expect(await ses.send(email)).toMatchObject({ ok: false, retryable: true });
    const five = respondInOrder("post", URL, [sesError(503, "ServiceUnavailable", "try later")]);
    expect(await ses.send(email)).toMatchObject({
      ok: false,
      retryable: true,
      reason: expect.stringContaining("503"),
    });
    expect(five).toHaveLength(1);
  });

  it("MessageRejected, unverified domain and bad requests are permanent, with the provider's reason", async () => {
    respondInOrder("post", URL, [sesError(400, "MessageRejected", "Email address is not verified.")]);
    expect(await ses.send(email)).toEqual({
      ok: false,
      retryable: false,
      reason: "ses 400 MessageRejected: Email address is not verified.",
      status: 400,
    });
    respondInOrder("post", URL, [sesError(400, "MailFromDomainNotVerifiedException", "not verified")]);
    expect(await ses.send(email)).toMatchObject({
      retryable: false,
      reason: expect.stringContaining("MailFromDomainNotVerifiedException"),
    });
  });

  it("network errors and timeouts are retryable", async () => {
    network.use(http.post(URL, () => HttpResponse.error()));
    expect(await ses.send(email)).toMatchObject({
      ok: false,
      retryable: true,
      reason: expect.stringContaining("network"),
    });
    network.use(http.post(URL, () => new Promise<Response>(() => {})));
    expect(await ses.send(email, { signal: AbortSignal.timeout(20) })).toEqual({
      ok: false,
      retryable: true,
      reason: "ses: request timed out",
    });
  });

  it("SES_ENDPOINT overrides the regional endpoint", async () => {
    const seen = respondInOrder("post", "http://127.0.0.1:9/v2/email/outbound-emails", [
      HttpResponse.json({ MessageId: "local-1" }),
    ]);
    const local = createSesProvider(
      { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x".repeat(40) },
      { endpoint: "http://127.0.0.1:9/" },
    );
    expect(await local.send(email)).toEqual({ ok: true, externalId: "local-1" });
    expect(JSON.parse(seen[0]?.body ?? "{}").ConfigurationSetName).toBeUndefined();
  });
});
