import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { certificateUrl, clearCertificateCache, snsUrl } from "../../src/services/events/ingest/sns-verify";
import { SNS, SNS_SIGNED_AT } from "../helpers/events-fixtures";
import {
  createSnsSigner,
  type EventsOrg,
  eventRows,
  eventsOrg,
  postWebhook,
  setSesTopics,
  TOPIC,
} from "../helpers/events";

const certFetches: string[] = [];
const subscribeCalls: string[] = [];
const server = setupServer(
  http.get("https://sns.us-east-2.amazonaws.com/:file", ({ request }) => {
    certFetches.push(request.url);
    return HttpResponse.text(SNS.cert);
  }),
  // What a forger would host: the same real certificate, on hosts that are not SNS.
  http.get("https://evil-bucket.s3.amazonaws.com/:file", () => HttpResponse.text(SNS.cert)),
  http.get("https://sns.s3.amazonaws.com/:file", () => HttpResponse.text(SNS.cert)),
  http.get("https://sns.us-east-1.amazonaws.com/", ({ request }) => {
    subscribeCalls.push(request.url);
    return HttpResponse.xml("<ConfirmSubscriptionResponse/>");
  }),
);

const fixtures = {
  v1NoSubject: SNS.v1NoSubject,
  v1Subject: SNS.v1Subject,
  v2NoSubject: SNS.v2NoSubject,
  v2Subject: SNS.v2Subject,
};
const topicOf = (raw: string) => (JSON.parse(raw) as { TopicArn: string }).TopicArn;

let org: EventsOrg;
beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  org = await eventsOrg();
  await setSesTopics(org.id, [...Object.values(fixtures).map(topicOf), TOPIC]);
});
beforeEach(() => {
  // The fixture certificate expired in August 2022: verify at the time AWS signed the messages.
  setClock(SNS_SIGNED_AT);
  clearCertificateCache();
  certFetches.length = 0;
  subscribeCalls.length = 0;
});
afterEach(() => {
  server.resetHandlers();
  resetClock();
});
afterAll(() => server.close());

async function expectRejected(body: string, status = 403) {
  const before = (await eventRows(org.id)).length;
  const res = await postWebhook("ses", org.webhookToken, body);
  expect(res.status).toBe(status);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
  expect((await eventRows(org.id)).length).toBe(before);
}

describe("SNS signature verification with real AWS-signed messages", () => {
  it.each(Object.entries(fixtures))(
    "accepts %s (text/plain) and stores it once per MessageId",
    async (_name, raw) => {
      const res = await postWebhook("ses", org.webhookToken, raw);
      expect(res.status).toBe(200);
      const id = (JSON.parse(raw) as { MessageId: string }).MessageId;
      const again = await postWebhook("ses", org.webhookToken, raw);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ stored: 0, duplicates: 1 });
      const rows = (await eventRows(org.id)).filter((r) => r.dedupKey === `sns:${id}`);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.raw).toBe(raw);
    },
  );

  it("fetches the certificate once and serves later messages from the cache", async () => {
    await postWebhook("ses", org.webhookToken, SNS.v2Subject);
    await postWebhook("ses", org.webhookToken, SNS.v1Subject);
    expect(certFetches).toEqual([SNS.certUrl]);
  });

  it("rejects a message whose text was changed by one character", async () => {
    const m = JSON.parse(SNS.v2Subject);
    await expectRejected(JSON.stringify({ ...m, Message: "Hello world!" }));
    await expectRejected(JSON.stringify({ ...m, Subject: "Hello World" }));
    await expectRejected(JSON.stringify({ ...JSON.parse(SNS.v1NoSubject), Message: "Hello World" }));
  });

  it("rejects a signature version it does not know and a signature that is not base64", async () => {
    await expectRejected(JSON.stringify({ ...JSON.parse(SNS.v2Subject), SignatureVersion: "3" }));
    await expectRejected(JSON.stringify({ ...JSON.parse(SNS.v2Subject), Signature: "%%%" }));
  });

  it.each([
    [
      "an S3 host",
      "https://evil-bucket.s3.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
    ],
    [
      "an S3 bucket named sns",
      "https://sns.s3.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
    ],
    [
      "another host",
      "https://sns.us-east-2.amazonaws.com.evil.example/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
    ],
    [
      "an http URL",
      "http://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
    ],
    [
      "a URL with credentials",
      "https://x@sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
    ],
    ["another path", "https://sns.us-east-2.amazonaws.com/cert.pem"],
  ])("rejects a certificate on %s without fetching it", async (_what, url) => {
    await expectRejected(JSON.stringify({ ...JSON.parse(SNS.v2Subject), SigningCertURL: url }));
    expect(certFetches).toEqual([]);
  });

  it("rejects a validly signed message from a topic the organization did not configure", async () => {
    const other = await eventsOrg();
    await setSesTopics(other.id, ["arn:aws:sns:us-east-2:295079676684:some-other-topic"]);
    const res = await postWebhook("ses", other.webhookToken, SNS.v2Subject);
    expect(res.status).toBe(403);
    expect(await eventRows(other.id)).toHaveLength(0);
    // An organization with no SES topics at all accepts none.
    const bare = await eventsOrg();
    expect((await postWebhook("ses", bare.webhookToken, SNS.v2Subject)).status).toBe(403);
  });

  it("rejects a message verified after its certificate expired", async () => {
    setClock(Date.parse("2022-09-01T00:00:00Z"));
    await expectRejected(SNS.v2Subject);
  });

  it("answers 400 to bodies that are not SNS messages and 404 to an unknown token", async () => {
    await expectRejected("not json", 400);
    await expectRejected("[]", 400);
    await expectRejected(JSON.stringify({ Type: "Notification", Message: "x" }), 400);
    await expectRejected(JSON.stringify({ ...JSON.parse(SNS.v2Subject), Type: "Surprise" }), 400);
    const res = await postWebhook("ses", "unknown-token-0123456789", SNS.v2Subject);
    expect(res.status).toBe(404);
  });

  it("accepts application/json as well as text/plain", async () => {
    const res = await postWebhook("ses", org.webhookToken, SNS.v1Subject, {
      "Content-Type": "application/json",
    });
    expect(res.status).toBe(200);
  });
});

describe("SNS subscription confirmation", () => {
  const subscription = (subscribeUrl: string) => ({
    Type: "SubscriptionConfirmation",
    MessageId: crypto.randomUUID(),
    Token:
      "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacf99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
    TopicArn: TOPIC,
    Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
    SubscribeURL: subscribeUrl,
    Timestamp: new Date(SNS_SIGNED_AT).toISOString(),
  });

  it("confirms a verified confirmation by GET on its SubscribeURL, with either signature version", async () => {
    const signer = await createSnsSigner();
    const url = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=abc`;
    for (const version of ["1", "2"] as const) {
      const res = await postWebhook("ses", org.webhookToken, await signer.sign(subscription(url), version), {
        "x-amz-sns-message-type": "SubscriptionConfirmation",
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ confirmed: true });
    }
    expect(subscribeCalls).toHaveLength(2);
    expect(new URL(subscribeCalls[0] ?? "").searchParams.get("Action")).toBe("ConfirmSubscription");
  });

  it("never GETs a SubscribeURL off the SNS hosts, even when the message is signed", async () => {
    const signer = await createSnsSigner();
    for (const url of [
      "https://evil-bucket.s3.amazonaws.com/confirm",
      "https://sns.s3.amazonaws.com/?Action=ConfirmSubscription",
      "http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription",
    ]) {
      const res = await postWebhook("ses", org.webhookToken, await signer.sign(subscription(url)));
      expect(res.status).toBe(403);
    }
    expect(subscribeCalls).toHaveLength(0);
  });

  it("does not confirm a confirmation whose signature does not verify", async () => {
    const signer = await createSnsSigner();
    const body = JSON.parse(
      await signer.sign(subscription("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription")),
    );
    const res = await postWebhook("ses", org.webhookToken, JSON.stringify({ ...body, Token: "changed" }));
    expect(res.status).toBe(403);
    expect(subscribeCalls).toHaveLength(0);
  });
});

describe("SNS URL validation", () => {
  it("takes only https SNS hosts", () => {
    expect(snsUrl("https://sns.eu-west-1.amazonaws.com/?Action=x")).not.toBeNull();
    expect(snsUrl("https://sns.cn-north-1.amazonaws.com.cn/")).not.toBeNull();
    expect(snsUrl("https://sns.us-gov-west-1.amazonaws.com/")).not.toBeNull();
    expect(snsUrl("https://sns.ap-southeast-2.amazonaws.com/")).not.toBeNull();
    for (const bad of [
      // S3 buckets named "sns" (and the like) pass a `sns.<label>.amazonaws.com` pattern.
      "https://sns.s3.amazonaws.com/SimpleNotificationService-0123.pem",
      "https://sns.s3-website.amazonaws.com/SimpleNotificationService-0123.pem",
      "https://sns.execute-api.amazonaws.com/confirm",
      "https://sns.eu-west-1.amazonaws.com.cn/",
      "https://sns.us-east-1.amazonaws.com.evil.example/",
      "https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/x",
      "https://sns.us-east-1.amazonaws.com:8443/",
      "https://snsXus-east-1.amazonaws.com/",
      "https://sns.us-east-1.amazonaws.co/",
      "javascript:alert(1)",
      "",
    ]) {
      expect(snsUrl(bad), bad).toBeNull();
    }
    expect(
      certificateUrl("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem?x=1"),
    ).toBeNull();
  });
});
