import EmailReplyParser from "email-reply-parser";
import { convert } from "html-to-text";
import PostalMime, { type Email } from "postal-mime";
import { type BounceReport, idsIn, readBounce } from "./bounce";

/**
 * What an inbound email is, read with postal-mime: a person's reply, an automatic reply (out of
 * office, autoresponders), or a delivery status notification (RFC 3464) about one of our messages.
 */
export interface InboundMail {
  /** delivery_report: a report that the mail was delivered (or relayed); it changes nothing. */
  kind: "reply" | "auto_reply" | "bounce" | "delivery_report";
  from: string;
  subject: string;
  /** The new text only: quoted history and signatures' "On … wrote:" blocks stripped. */
  text: string;
  messageId: string | null;
  /** Message ids named by In-Reply-To and References (and, for a DSN, the original's headers). */
  referenced: string[];
  /** A delivery report: every recipient it names, hard or soft (bounce.ts). */
  bounce?: BounceReport;
  /** The report's first failed recipient, as RFC 3464 names it. */
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
  // A delivery report first: many carry Auto-Submitted, and none is a person's reply.
  const bounce = readBounce(mail);
  if (bounce) {
    const failed = bounce.recipients.find((r) => r.kind !== "success") ?? bounce.recipients[0];
    return {
      ...base,
      kind: bounce.kind === "success" ? "delivery_report" : "bounce",
      text: (mail.text ?? "").trim().slice(0, MAX_TEXT),
      referenced: [...bounce.originalIds, ...base.referenced],
      bounce,
      dsn: {
        status: failed?.status ?? null,
        action: failed?.action ?? null,
        recipient: failed?.address ?? null,
      },
    };
  }
  return { ...base, kind: isAutoReply(mail) ? "auto_reply" : "reply", text: replyText(mail) };
}
