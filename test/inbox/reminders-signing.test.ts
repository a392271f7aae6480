import { delay, HttpResponse, http } from "msw";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import {
  checkWebhookTarget,
  generateWebhookSecret,
  sendWebhook,
  signWebhook,
  verifyWebhook,
} from "../../src/providers/outbound-webhook";
import {
  type Captured,
  HOOK,
  receiver as receiverOn,
  specSignature,
  useWebhookNetwork,
} from "../helpers/inbox-webhooks";

const T0 = Date.parse("2026-06-15T09:00:00Z");
const network = useWebhookNetwork();
const receiver = (url: string, status?: number) => receiverOn(network, url, status);
afterAll(() => resetClock());

describe("Standard Webhooks helper", () => {
  beforeEach(() => setClock(T0));

  it("matches the spec's published test vector", async () => {
    // From the standard-webhooks repository's reference tests.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"test": 2432232314}';
    expect(await signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("signs a POST that a Standard Webhooks receiver verifies", async () => {
    const seen = receiver(HOOK);
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const res = await sendWebhook({ url: HOOK, secret, type: "test.ping", data: { hello: "world" } });
    expect(res).toMatchObject({ ok: true, status: 204 });
    expect(seen).toHaveLength(1);
    const { headers, body } = seen[0] as Captured;
    const id = headers.get("webhook-id") as string;
    const ts = headers.get("webhook-timestamp") as string;
    expect(id).toMatch(/^msg_/);
    expect(ts).toBe(String(T0 / 1000));
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("webhook-signature")).toBe(`v1,${await specSignature(secret, id, ts, body)}`);
    expect(JSON.parse(body)).toEqual({
      type: "test.ping",
      timestamp: new Date(T0).toISOString(),
      data: { hello: "world" },
    });

    expect(await verifyWebhook(secret, headers, body)).toBe(true);
    expect(await verifyWebhook(secret, headers, body.replace("world", "w0rld"))).toBe(false);
    expect(await verifyWebhook(generateWebhookSecret(), headers, body)).toBe(false);
    setClock(T0 + 10 * 60_000); // outside the 5-minute tolerance: a replay
    expect(await verifyWebhook(secret, headers, body)).toBe(false);
  });

  it("refuses non-https, private, loopback, link-local and internal targets (SSRF)", () => {
    const refused = [
      "http://hooks.example.com/x",
      "ftp://hooks.example.com/x",
      "https://localhost/x",
      "https://api.localhost/x",
      "https://127.0.0.1/x",
      "https://2130706433/x", // 127.0.0.1 in decimal
      "https://0x7f.1/x",
      "https://10.1.2.3/x",
      "https://172.20.0.1/x",
      "https://192.168.1.10/x",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/x",
      "https://0.0.0.0/x",
      "https://[::1]/x",
      "https://[::]/x",
      "https://[fe80::1]/x",
      "https://[fd00::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://metadata.google.internal/x",
      "https://printer.local/x",
      "https://intranet/x",
      "https://user:pass@hooks.example.com/x",
      "not a url",
    ];
    for (const url of refused) expect(checkWebhookTarget(url).ok, url).toBe(false);
    for (const url of [
      "https://hooks.example.com/x",
      "https://8.8.8.8/x",
      "https://[2606:4700::1111]/x",
      "https://a.b.example:8443/x",
    ]) {
      expect(checkWebhookTarget(url).ok, url).toBe(true);
    }
  });

  it("never calls a refused target, classifies failures, and times out", async () => {
    const res = await sendWebhook({
      url: "https://169.254.169.254/",
      secret: generateWebhookSecret(),
      type: "t",
      data: {},
    });
    expect(res).toMatchObject({ ok: false, retryable: false });

    receiver("https://hooks.example.com/500", 503);
    receiver("https://hooks.example.com/410", 410);
    network.use(
      http.post(
        "https://hooks.example.com/redirect",
        () => new HttpResponse(null, { status: 302, headers: { Location: "https://127.0.0.1/" } }),
      ),
    );
    const secret = generateWebhookSecret();
    expect(
      await sendWebhook({ url: "https://hooks.example.com/500", secret, type: "t", data: {} }),
    ).toMatchObject({ ok: false, retryable: true, status: 503 });
    expect(
      await sendWebhook({ url: "https://hooks.example.com/410", secret, type: "t", data: {} }),
    ).toMatchObject({ ok: false, retryable: false, status: 410 });
    expect(
      await sendWebhook({ url: "https://hooks.example.com/redirect", secret, type: "t", data: {} }),
    ).toMatchObject({ ok: false, status: 302 });

    network.use(
      http.post("https://hooks.example.com/slow", async () => {
        await delay("infinite");
        return new HttpResponse(null, { status: 200 });
      }),
    );
    expect(
      await sendWebhook({
        url: "https://hooks.example.com/slow",
        secret,
        type: "t",
        data: {},
        timeoutMs: 50,
      }),
    ).toMatchObject({
      ok: false,
      retryable: true,
      reason: "timed out",
    });
  });
});
