import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { ComposeError } from "../../src/services/sending/errors";
import { type ComposeInput, composeEmail } from "../../src/services/sending/compose";
import { buildMime, encodeHeaderWords } from "../../src/services/sending/mime";
import { verifyClick, verifyOpen, verifyUnsubscribe } from "../../src/services/tracking/tokens";

const KEY = "test-signing-key-0123456789abcdef0123456789";
const BASE = "https://mail.example.test";

const input = (over: Partial<ComposeInput> = {}): ComposeInput => ({
  messageId: "msg_0001",
  organizationId: "org_1",
  idempotencyKey: "a".repeat(64),
  contactId: "ct_1",
  from: { email: "news@sender.example", name: "Sender Co" },
  to: "ada@example.com",
  replyTo: "support@sender.example",
  content: {
    subject: "Hello {{ first_name }}",
    html:
      '<html><body><p>Hi {{ first_name }}! <a href="https://example.org/post?a=1&amp;b=2">Post</a> ' +
      '<a href="https://example.org/post?a=1&amp;b=2">again</a> <a href="mailto:x@example.org">mail</a> ' +
      '<a href="{{ unsubscribe_url }}">leave</a></p></body></html>',
    text: null,
  },
  context: { first_name: "Ada <b>", email: "ada@example.com" },
  transactional: false,
  includeUnsubscribe: true,
  baseUrl: BASE,
  signingKey: KEY,
  date: Date.UTC(2026, 10, 20, 9, 30, 0),
  ...over,
});

const header = (email: Awaited<ReturnType<typeof PostalMime.parse>>, key: string) =>
  email.headers.filter((h) => h.key === key.toLowerCase()).map((h) => h.value);

const tokenOf = (url: string, prefix: string) => url.slice(`${BASE}${prefix}`.length);

describe("composed MIME (parsed with postal-mime)", () => {
  it("carries RFC 8058 headers, the id header, a Message-ID and CRLF-only line ends", async () => {
    const email = await composeEmail(input());
    expect(email.raw).not.toMatch(/(?<!\r)\n/);
    expect(email.raw).not.toMatch(/\r(?!\n)/);
    const parsed = await PostalMime.parse(email.raw);

    const lu = header(parsed, "List-Unsubscribe");
    expect(lu).toHaveLength(1);
    const m = /^<(https:\/\/[^>]+)>$/.exec(lu[0] ?? "");
    expect(m).not.toBeNull();
    const unsubscribeUrl = m?.[1] ?? "";
    expect(unsubscribeUrl.startsWith(`${BASE}/u/`)).toBe(true);
    expect(await verifyUnsubscribe(KEY, tokenOf(unsubscribeUrl, "/u/"))).toEqual({
      o: "org_1",
      c: "ct_1",
      m: "msg_0001",
    });
    expect(header(parsed, "List-Unsubscribe-Post")).toEqual(["List-Unsubscribe=One-Click"]);
    expect(header(parsed, "X-Edge-Mail-Id")).toEqual(["msg_0001"]);
    expect(parsed.messageId).toBe("<msg_0001@sender.example>");
    expect(parsed.subject).toBe("Hello Ada <b>");
    expect(parsed.from).toMatchObject({ address: "news@sender.example", name: "Sender Co" });
    expect(parsed.to?.[0]).toMatchObject({ address: "ada@example.com" });
    expect(parsed.replyTo?.[0]).toMatchObject({ address: "support@sender.example" });
    expect(parsed.date).toBe("2026-11-20T09:30:00.000Z");
  });

  it("rewrites http(s) links to signed click URLs, keeps the unsubscribe link, adds the pixel and escapes values", async () => {
    const email = await composeEmail(input());
    const parsed = await PostalMime.parse(email.raw);
    const html = parsed.html ?? "";
    expect(html).toContain("Hi Ada &lt;b&gt;!");
    expect(html).not.toContain("https://example.org/post");
    expect(html).toContain('href="mailto:x@example.org"');

    const clicks = [...html.matchAll(/href="(https:\/\/mail\.example\.test\/t\/c\/[^"]+)"/g)].map(
      (x) => x[1] ?? "",
    );
    expect(clicks).toHaveLength(2);
    expect(new Set(clicks).size).toBe(1); // the same destination is signed once
    const click = await verifyClick(KEY, tokenOf(clicks[0] ?? "", "/t/c/"));
    expect(click).toEqual({ o: "org_1", m: "msg_0001", u: "https://example.org/post?a=1&b=2" });
    // an altered or truncated token does not verify
    const token = tokenOf(clicks[0] ?? "", "/t/c/");
    expect(await verifyClick(KEY, token.slice(0, -2))).toBeNull();
    expect(await verifyClick(KEY, `x${token.slice(1)}`)).toBeNull();

    const unsubscribeUrl = (header(parsed, "List-Unsubscribe")[0] ?? "").slice(1, -1);
    expect(html).toContain(`href="${unsubscribeUrl}">leave</a>`);
    // the template already shows the unsubscribe link: no second one is added
    expect(html.split(unsubscribeUrl)).toHaveLength(2);

    const pixel = /<img src="(https:\/\/mail\.example\.test\/t\/o\/[^"]+)" width="1" height="1"/.exec(html);
    expect(pixel).not.toBeNull();
    expect(await verifyOpen(KEY, tokenOf(pixel?.[1] ?? "", "/t/o/"))).toEqual({ o: "org_1", m: "msg_0001" });
    expect(html.indexOf("/t/o/")).toBeLessThan(html.indexOf("</body>"));
  });

  it("generates the text part from the HTML with tracked links, and adds a visible unsubscribe link", async () => {
    const email = await composeEmail(
      input({
        content: {
          subject: "News",
          html: "<h1>Title</h1><p>Read <a href='https://example.org/a'>this</a></p>",
          text: null,
        },
      }),
    );
    const parsed = await PostalMime.parse(email.raw);
    const unsubscribeUrl = (header(parsed, "List-Unsubscribe")[0] ?? "").slice(1, -1);
    expect(parsed.html).toContain(`<a href="${unsubscribeUrl}">Unsubscribe</a>`);
    const text = parsed.text ?? "";
    expect(text).toMatch(/^Title\r?\n\r?\nRead this \(https:\/\/mail\.example\.test\/t\/c\/[^)]+\)/);
    expect(text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    expect(text).not.toContain("https://example.org/a");
  });

  it("decodes every HTML entity in the generated text part (html-to-text)", async () => {
    const email = await composeEmail(
      input({
        content: {
          subject: "Offre",
          html: "<p>Caf&eacute; &agrave; 5&euro;&hellip; &laquo;vite&raquo; &#x1F600;</p>",
          text: null,
        },
      }),
    );
    const text = (await PostalMime.parse(email.raw)).text ?? "";
    expect(text).toContain("Café à 5€… «vite» 😀");
  });

  it("keeps a template's own text part and sends no visible link when include_unsubscribe is off", async () => {
    const email = await composeEmail(
      input({
        includeUnsubscribe: false,
        content: { subject: "S", html: "<p>Hi</p>", text: "Plain {{ first_name }}" },
      }),
    );
    const parsed = await PostalMime.parse(email.raw);
    expect(parsed.text?.trim()).toBe("Plain Ada <b>");
    expect(parsed.html).not.toContain("Unsubscribe");
    expect(header(parsed, "List-Unsubscribe")).toHaveLength(1); // the header stays: RFC 8058 for marketing mail
  });

  it("transactional mail has no unsubscribe headers; mail to a non-contact is not tracked", async () => {
    const tx = await PostalMime.parse((await composeEmail(input({ transactional: true }))).raw);
    expect(header(tx, "List-Unsubscribe")).toEqual([]);
    expect(header(tx, "List-Unsubscribe-Post")).toEqual([]);
    const untracked = await PostalMime.parse(
      (await composeEmail(input({ contactId: null, transactional: true }))).raw,
    );
    expect(untracked.html).toContain('href="https://example.org/post?a=1&amp;b=2"');
    expect(untracked.html).not.toContain("/t/o/");
  });

  it("refuses CR or LF in header values instead of stripping them", async () => {
    await expect(
      composeEmail(input({ from: { email: "news@sender.example", name: "Evil\r\nBcc: x@y.z" } })),
    ).rejects.toThrow(ComposeError);
    await expect(composeEmail(input({ to: "ada@example.com\r\nBcc: x@y.z" }))).rejects.toThrow(ComposeError);
    expect(() =>
      buildMime({
        messageId: "m",
        from: { email: "a@b.co" },
        to: "c@d.co",
        subject: "Hi\nBcc: x@y.z",
        date: 0,
        html: "x",
        text: "x",
        headers: {},
      }),
    ).toThrow(/header injection refused/);
    expect(() =>
      buildMime({
        messageId: "m",
        from: { email: "a@b.co" },
        to: "c@d.co",
        subject: "Hi",
        date: 0,
        html: "x",
        text: "x",
        headers: { "X-A": "1\r\nX-B: 2" },
      }),
    ).toThrow(/header injection refused/);
  });

  it("folds long and non-ASCII subjects into encoded words within the line limit", async () => {
    const subject = `Été ${"très long sujet ".repeat(40)}✓`;
    const raw = buildMime({
      messageId: "m",
      from: { email: "a@b.co" },
      to: "c@d.co",
      subject,
      date: 0,
      html: "<p>x</p>",
      text: "x\ny",
      headers: {},
    });
    expect(raw.split("\r\n").every((l) => l.length <= 998)).toBe(true);
    expect((await PostalMime.parse(raw)).subject).toBe(subject);
    expect(encodeHeaderWords("Plain ASCII")).toBe("Plain ASCII");
    for (const word of encodeHeaderWords(subject).split("\r\n ")) expect(word.length).toBeLessThanOrEqual(75);
  });

  it("writes a 200-character sender name as encoded words of at most 75 characters, split on characters", async () => {
    const name = `Boutique «Été» 🌞 ${"Ça marche très bien, merci ".repeat(7)}`.slice(0, 200);
    const raw = buildMime({
      messageId: "m",
      from: { email: "news@shop.example", name },
      to: "c@d.co",
      subject: "Hi",
      date: 0,
      html: "<p>x</p>",
      text: "x",
      headers: {},
    });
    const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
    const from = /^From: ([\s\S]*?)\r\n(?=\S)/m.exec(`${head}\r\nX`)?.[1] ?? "";
    const words = from.match(/=\?UTF-8\?B\?[^?]+\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(3);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      // Each word decodes on its own: no character is cut between two words.
      const bytes = Uint8Array.from(atob(w.slice(10, -2)), (c) => c.charCodeAt(0));
      expect(() => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)).not.toThrow();
    }
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toMatchObject({ name, address: "news@shop.example" });
    // ASCII names: plain atoms as they are, specials in a quoted string.
    const ascii = (n: string) =>
      /^From: (.*)$/m.exec(
        buildMime({
          messageId: "m",
          from: { email: "a@b.co", name: n },
          to: "c@d.co",
          subject: "s",
          date: 0,
          html: "x",
          text: "x",
          headers: {},
        }),
      )?.[1];
    expect(ascii("Sender Co")).toBe("Sender Co <a@b.co>");
    expect(ascii('Dupont, "Jean" Inc.')).toBe('"Dupont, \\"Jean\\" Inc." <a@b.co>');
    expect(
      (
        await PostalMime.parse(
          buildMime({
            messageId: "m",
            from: { email: "a@b.co", name: 'Dupont, "Jean" Inc.' },
            to: "c@d.co",
            subject: "s",
            date: 0,
            html: "x",
            text: "x",
            headers: {},
          }),
        )
      ).from,
    ).toMatchObject({ name: 'Dupont, "Jean" Inc.' });
  });

  it("a template that fails to render is a compose error", async () => {
    await expect(
      composeEmail(input({ content: { subject: "x", html: "{{ 1 | nope }}", text: null } })),
    ).rejects.toThrow(ComposeError);
  });
});
