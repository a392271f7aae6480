import { afterEach, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { clearWebhookCache } from "../../src/services/organizations/store";
import { json } from "../helpers/api";
import { BREVO } from "../helpers/events-fixtures";
import { eventsOrg, postWebhook } from "../helpers/events";

afterEach(() => resetClock());

const tokenOf = (url: string) => url.split("/").pop() as string;

describe("webhook token rotation", () => {
  it("gives new URLs; the old ones keep working for 24 hours, then answer 404", async () => {
    const org = await eventsOrg();
    const t0 = Date.now();
    setClock(t0);
    const rotated = await json("/api/v1/settings/webhook-token/rotate", {
      key: org.key,
      method: "POST",
      expect: 200,
    });
    const fresh = tokenOf(rotated.webhook_urls.brevo);
    expect(fresh).not.toBe(org.webhookToken);
    expect(tokenOf(rotated.webhook_urls.ses)).toBe(fresh);
    expect(rotated.previous_webhook_urls_valid_until).toBe(new Date(t0 + 24 * 3_600_000).toISOString());
    const settings = await json("/api/v1/settings", { key: org.key, expect: 200 });
    expect(settings.webhook_urls.brevo).toBe(rotated.webhook_urls.brevo);
    expect(settings.previous_webhook_urls_valid_until).toBe(rotated.previous_webhook_urls_valid_until);

    expect((await postWebhook("brevo", fresh, BREVO.delivered)).status).toBe(200);
    expect((await postWebhook("brevo", org.webhookToken, BREVO.delivered)).status).toBe(200);

    // a day and a second later the old token is unknown; the new one still works
    setClock(t0 + 24 * 3_600_000 + 1000);
    clearWebhookCache();
    expect((await postWebhook("brevo", org.webhookToken, BREVO.delivered)).status).toBe(404);
    expect((await postWebhook("brevo", fresh, BREVO.delivered)).status).toBe(200);
    const later = await json("/api/v1/settings", { key: org.key, expect: 200 });
    expect(later.previous_webhook_urls_valid_until).toBeNull();
  });

  it("a second rotation ends the grace of the token two rotations back", async () => {
    const org = await eventsOrg();
    const first = tokenOf(
      (await json("/api/v1/settings/webhook-token/rotate", { key: org.key, method: "POST", expect: 200 }))
        .webhook_urls.brevo,
    );
    await json("/api/v1/settings/webhook-token/rotate", { key: org.key, method: "POST", expect: 200 });
    expect((await postWebhook("brevo", org.webhookToken, BREVO.delivered)).status).toBe(404);
    expect((await postWebhook("brevo", first, BREVO.delivered)).status).toBe(200);
  });
});
