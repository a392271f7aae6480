/**
 * The reply corpus (test/fixtures/replies: email-reply-parser 1.2.1's fixtures, MIT) with the text
 * each person wrote (expected.json, from that project's tests): quoted history in every client's
 * format and signatures removed, what the person wrote kept, above or below the quote.
 */
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { readInbound, replyText } from "../../src/services/replies/parse";
import expected from "../fixtures/replies/expected.json";

const bodies = import.meta.glob("../fixtures/replies/*.txt", {
  query: "?raw",
  import: "default",
  eager: true,
});

interface Expect {
  exact?: string;
  startsWith?: string;
  contains?: string[];
  excludes?: string[];
}
const norm = (s: string) => s.replace(/[ \t]+\n/g, "\n").trim();

describe("reply text on the reply corpus", () => {
  it("keeps what the person wrote and nothing of the quote or the signature", async () => {
    const failures: string[] = [];
    const cases = Object.entries(expected as Record<string, Expect>);
    for (const [name, e] of cases) {
      const body = bodies[`../fixtures/replies/${name}.txt`] as string;
      const mail = await PostalMime.parse(
        `From: Reader <reader@client.example>\r\nSubject: Re: Hello\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`,
      );
      const got = norm(replyText(mail));
      const wrong =
        (e.exact !== undefined && got !== norm(e.exact)) ||
        (e.startsWith !== undefined && !got.startsWith(norm(e.startsWith))) ||
        (e.contains ?? []).some((c) => !got.includes(c)) ||
        (e.excludes ?? []).some((c) => got.includes(c));
      if (wrong) failures.push(`${name}: ${JSON.stringify(got.slice(0, 200))}`);
    }
    console.log(`reply corpus: ${cases.length - failures.length}/${cases.length} replies read right`);
    expect(failures).toEqual([]);
  });
});

describe("reply text: Outlook header blocks in other languages", () => {
  // The header blocks Outlook writes above the quoted original, as the German, Swedish, Danish and
  // Russian clients write them (field names from those clients' localizations).
  const blocks: Record<string, string> = {
    de: "Von: Shop <news@shop.example>\nGesendet: Montag, 2. November 2026 10:00\nAn: Jean <jean@client.example>\nBetreff: Ihre Bestellung",
    sv: "Från: Shop <news@shop.example>\nSkickat: den 2 november 2026 10:00\nTill: Jean <jean@client.example>\nÄmne: Din beställning",
    da: "Fra: Shop <news@shop.example>\nSendt: 2. november 2026 10:00\nTil: Jean <jean@client.example>\nEmne: Din ordre",
    ru: "От: Shop <news@shop.example>\nОтправлено: 2 ноября 2026 г. 10:00\nКому: Jean <jean@client.example>\nТема: Ваш заказ",
  };
  it("cuts the quoted original at each of them", async () => {
    for (const [lang, block] of Object.entries(blocks)) {
      const mail = await PostalMime.parse(
        `From: Jean <jean@client.example>\r\nSubject: Re\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDanke, passt.\n\n${block}\n\nDie ursprüngliche Nachricht mit vielen Zeilen.`,
      );
      expect(replyText(mail), lang).toBe("Danke, passt.");
    }
  });
});

describe("a person writing about a failed delivery", () => {
  it("is a reply, not a bounce", async () => {
    const raw = [
      "From: Jean Dupont <jean@client.example>",
      "Subject: Re: Delivery failed for order 1042",
      "In-Reply-To: <msg_0000000000000000000000000000@shop.example>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hello, the parcel could not be delivered: the courier says user unknown at the door. Can you resend it?",
    ].join("\r\n");
    const mail = await readInbound(raw);
    expect(mail.kind).toBe("reply");
    expect(mail.text).toContain("Can you resend it?");
  });
});
