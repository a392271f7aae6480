import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { messages, operationLedger } from "../../src/db/schema";
import { deliver, outcomeSpy, scenarioSend, sendingFixture } from "../helpers/sending";

/** What aws-ses-v2-local keeps of each accepted message (GET /store). */
interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

// An SES v2 emulator independent of our code, started by test/global-setup-ses.ts.
const endpoint = `http://127.0.0.1:${inject("sesLocalPort")}`;

describe("SES through aws-ses-v2-local", () => {
  it("the SEND consumer's message is accepted and readable in the emulator's /store", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    const workerEnv = { ...env, SES_ENDPOINT: endpoint } as Env;
    const result = await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body], 1, workerEnv);
    expect(result.explicitAcks).toHaveLength(1);

    const row = await f.tenant.db
      .select()
      .from(operationLedger)
      .where(eq(operationLedger.id, ledgerId))
      .get();
    expect(row?.status).toBe("executed");
    const msg = await f.tenant.db
      .select()
      .from(messages)
      .where(eq(messages.id, row?.messageId ?? ""))
      .get();
    expect(msg?.externalId).toBeTruthy();

    const store = (await (await fetch(`${endpoint}/store`)).json()) as { emails: StoredEmail[] };
    const stored = store.emails.find((e) => e.messageId === msg?.externalId);
    expect(stored).toBeDefined();
    expect(stored?.subject).toBe("Hello Ada");
    expect(stored?.from).toContain("news@sender.example");
    expect(stored?.destination.to.join(",")).toContain(f.contact.email);
    expect(stored?.body.html).toContain("https://mail.example.test/t/c/");
    expect(stored?.body.html).toContain("https://mail.example.test/t/o/");
    expect(stored?.body.text).toContain("Hi Ada, read our post (https://mail.example.test/t/c/");
  });
});
