import EmailReplyParser from "email-reply-parser";
import { convert } from "html-to-text";
import PostalMime, { type Attachment, type Email } from "postal-mime";

/**
 * What an inbound email is, read with postal-mime: a person's reply, an automatic reply (out of
 * office, autoresponders), or a delivery status notification (RFC 3464) about one of our messages.
 */
export interface InboundMail {
  kind: "reply" | "auto_reply" | "bounce";
  from: string;
  subject: string;
  /** The new text only: quoted history and signatures' "On … wrote:" blocks stripped. */
  text: string;
  messageId: string | null;
  /** Message ids named by In-Reply-To and References (and, for a DSN, the original's headers). */
  referenced: string[];
  dsn?: { status: string | null; action: string | null; recipient: string | null };
}

const MAX_TEXT = 20_000;
const header = (mail: Email, key: string) =>
  mail.headers.find((h) => h.key === key.toLowerCase())?.value.trim() ?? null;

/** RFC 3834 and the common autoresponder markers, plus out-of-office subjects in English, French, German, Spanish. */
const AUTO_SUBJECT =
  /^(out of (the )?office|automatic reply|auto(matic)?[- ]?(reply|response)|autoreply|absence|absent|abwesenheit|r[ée]ponse automatique|message d'absence|respuesta autom[áa]tica|vacation)/i;

export function isAutoReply(mail: Email): boolean {
  const auto = header(mail, "auto-submitted");
  if (auto && !/^no\b/i.test(auto)) return true;
  if (header(mail, "x-autoreply") || header(mail, "x-autorespond")) return true;
  const precedence = header(mail, "precedence") ?? header(mail, "x-precedence");
  if (precedence && /^(auto_reply|bulk|junk)$/i.test(precedence)) return true;
  const subject = (mail.subject ?? "").replace(/^\s*(re|aw|tr|fwd?)\s*:\s*/i, "");
  return AUTO_SUBJECT.test(subject);
}

const text = (a: Attachment) =>
  typeof a.content === "string" ? a.content : new TextDecoder().decode(a.content as ArrayBuffer);

/** The per-recipient fields of a message/delivery-status part (RFC 3464 section 2.3). */
function readDeliveryStatus(body: string) {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, "im").exec(body)?.[1]?.trim() ?? null;
  const recipient =
    (field("Final-Recipient") ?? field("Original-Recipient"))
      ?.replace(/^rfc822;\s*/i, "")
      .replace(/[<>]/g, "") ?? null;
  return {
    status: field("Status")?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ?? null,
    action: field("Action")?.toLowerCase() ?? null,
    recipient: recipient?.toLowerCase() ?? null,
  };
}

const MESSAGE_IDS = /<([^<>\s]+)>/g;
const idsIn = (value: string | null | undefined) =>
  [...(value ?? "").matchAll(MESSAGE_IDS)].map((m) => m[1] as string);

/** Cut an HTML reply where the quoted message starts (Gmail, Apple Mail, Outlook, Thunderbird markers). */
function cutHtmlQuote(html: string): string {
  const marker =
    /<div[^>]*id="?(x_)?divRplyFwdMsg|<div[^>]*id="?appendonsend|<hr[^>]*id="?stopSpelling|<div[^>]*class="?(gmail_quote|yahoo_quoted|moz-cite-prefix)|<blockquote[^>]*type="?cite/i.exec(
      html,
    );
  if (!marker) return html;
  // Outlook draws a rule just before its "From: … Sent: …" block: cut there.
  const before = html.slice(0, marker.index);
  const rule = before.lastIndexOf("<hr");
  return before.slice(0, rule >= 0 && marker.index - rule < 400 ? rule : marker.index);
}

const htmlText = (html: string) =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      { selector: "blockquote", format: "skip" },
    ],
  });

/** An "On <date>, <name> wrote:" line left at the end when a client wrapped it over several lines. */
const TRAILING_ATTRIBUTION =
  /\n\s*(On|Le|Am|El|Il)\s[^\n]*(\n[^\n]*){0,3}?(wrote|a écrit|schrieb|escribió|ha scritto)\s*:?\s*$/i;

/** The reply's own words. */
export function replyText(mail: Email): string {
  const source = mail.text?.trim() ? mail.text : mail.html ? htmlText(cutHtmlQuote(mail.html)) : "";
  let visible: string;
  try {
    visible = new EmailReplyParser().parseReply(source);
  } catch {
    visible = source;
  }
  return visible
    .replace(/\r\n/g, "\n")
    .replace(TRAILING_ATTRIBUTION, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, MAX_TEXT);
}

export async function readInbound(raw: ArrayBuffer | string): Promise<InboundMail> {
  const mail = await PostalMime.parse(raw, { rfc822Attachments: true, attachmentEncoding: "utf8" });
  const from = (mail.from && "address" in mail.from ? mail.from.address : "")?.toLowerCase() ?? "";
  const base = {
    from,
    subject: (mail.subject ?? "").slice(0, 998),
    messageId: mail.messageId ?? null,
    referenced: [...idsIn(mail.inReplyTo), ...idsIn(mail.references)],
  };
  const contentType = header(mail, "content-type") ?? "";
  const status = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.mimeType));
  if (
    status ||
    (/multipart\/report/i.test(contentType) && /report-type="?delivery-status/i.test(contentType))
  ) {
    const original = mail.attachments.find((a) =>
      /^(text\/rfc822-headers|message\/(rfc822|global))$/i.test(a.mimeType),
    );
    const originalIds = original ? idsIn(/^message-id:\s*(.+)$/im.exec(text(original))?.[1]) : [];
    return {
      ...base,
      kind: "bounce",
      text: (mail.text ?? "").trim().slice(0, MAX_TEXT),
      referenced: [...originalIds, ...base.referenced],
      dsn: status ? readDeliveryStatus(text(status)) : { status: null, action: null, recipient: null },
    };
  }
  return { ...base, kind: isAutoReply(mail) ? "auto_reply" : "reply", text: replyText(mail) };
}
