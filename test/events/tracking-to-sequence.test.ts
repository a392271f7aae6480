import { rawOf as rawOfMessage } from "../../src/services/messages/store";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { BASE } from "../helpers/api";
import { drainEvents, getContactRow, getMessage } from "../helpers/events";
import {
  child,
  drainSend,
  entry,
  fireAlarms,
  fixture,
  ledgerOf,
  runningScenario,
  sentMessages,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const HOUR = 3_600_000;

/** The MIME the log provider recorded for the contact's step. */
async function mimeOf(scenarioId: string, contactId: string, step: number) {
  const found = await env.DB.prepare(
    "SELECT id, raw, raw_ref AS rawRef FROM messages WHERE scenario_id = ? AND contact_id = ? AND step_order = ?",
  )
    .bind(scenarioId, contactId, step)
    .first<{ id: string; raw: string | null; rawRef: string | null }>();
  if (!found) throw new Error("message not recorded");
  const row = { id: found.id, raw: (await rawOfMessage(env.ARCHIVE, found)) ?? "" };
  // The headers as they are, plus every base64 body part decoded (the pixel is in the HTML part).
  const parts = [
    ...row.raw.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g),
  ].map((m) =>
    new TextDecoder().decode(
      Uint8Array.from(atob((m[1] ?? "").replace(/\s+/g, "")), (ch) => ch.charCodeAt(0)),
    ),
  );
  return { id: row.id, mime: [row.raw, ...parts].join("\n") };
}

const pathOf = (mime: string, re: RegExp) => {
  const m = re.exec(mime);
  if (!m?.[1]) throw new Error(`no match for ${re}`);
  return new URL(m[1]).pathname;
};

describe("events end to end: sent mail, its tracking links, the EVENTS consumer and the SequenceDO", () => {
  it("a reader's open scores, lands in the inbox and triggers the opened step; one-click unsubscribe stops the journey", async () => {
    setClock(T0);
    const f = await fixture(3);
    const [a, b, c] = f.templates as [string, string, string];
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [
        entry(a),
        child(2, "opened", 1, b),
        child(3, "not_opened", 1, c, { delay_days: 2 }),
        // Would follow step 2 a day later, had the contact not unsubscribed.
        child(4, "delay", 2, c, { delay_days: 1 }),
      ],
    });
    const contactId = contactIds[0] as string;
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    const { id: messageId, mime } = await mimeOf(scenarioId, contactId, 1);

    // The pixel of the message the SEND consumer built, fetched by a mail client an hour later.
    setClock(T0 + HOUR);
    const pixel = pathOf(mime, /(https?:\/\/[^"'\s>]+\/t\/o\/[A-Za-z0-9_.-]+)/);
    const res = await exports.default.fetch(
      new Request(`${BASE}${pixel}`, {
        headers: { "User-Agent": "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko)" },
      }),
    );
    expect(res.status).toBe(200);
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ openCount: 1, status: "opened" });
    expect((await getContactRow(contactId))?.score).toBe(3);
    const inbox = await env.DB.prepare("SELECT type, message_id FROM interactions WHERE contact_id = ?")
      .bind(contactId)
      .all();
    expect(inbox.results).toEqual([{ type: "email_open", message_id: messageId }]);

    // The SequenceDO heard the open: the opened step runs, the not_opened branch does not.
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    expect((await sentMessages(scenarioId)).map((m) => m.step_order)).toEqual([1, 2]);

    // RFC 8058 one-click from the List-Unsubscribe header.
    const unsubscribe = pathOf(mime, /List-Unsubscribe:\s*<(https?:\/\/[^>]+)>/i);
    const post = await exports.default.fetch(
      new Request(`${BASE}${unsubscribe}`, {
        method: "POST",
        redirect: "manual",
        body: "List-Unsubscribe=One-Click",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    expect(post.status).toBe(200);
    expect((await getContactRow(contactId))?.status).toBe("unsubscribed");
    await drainEvents();
    setClock(T0 + 3 * 24 * HOUR);
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    const ledger = await ledgerOf(scenarioId);
    expect(ledger.filter((r) => r.status === "executed").map((r) => r.step_order)).toEqual([1, 2]);
    const sequence = await env.DB.prepare(
      "SELECT status, stop_reason FROM contact_sequences WHERE contact_id = ?",
    )
      .bind(contactId)
      .first();
    expect(sequence).toMatchObject({ status: "stopped" });
    expect((await sentMessages(scenarioId)).map((m) => m.step_order)).toEqual([1, 2]);
  });
});
