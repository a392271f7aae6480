import { compile } from "html-to-text";
import PostalMime, { type Email } from "postal-mime";
import { type BounceReport, idsIn, readBounce } from "./bounce";
import { visibleText, type Work } from "./reply-text";

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
/** At most this much HTML is converted to text (the quote is cut first). */
const MAX_HTML = 512 * 1024;
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

/** Where the quoted message starts in an HTML reply (Gmail, Apple Mail, Outlook, Thunderbird, Yahoo). */
const HTML_QUOTE_MARKERS = [
  'id="divrplyfwdmsg',
  'id="x_divrplyfwdmsg',
  "id=divrplyfwdmsg",
  'id="appendonsend',
  'id="stopspelling',
  'class="gmail_quote',
  "class=gmail_quote",
  'class="yahoo_quoted',
  'class="moz-cite-prefix',
  'type="cite',
  "type=cite",
];

/** An HTML reply cut where the quote starts: plain index searches, linear in the HTML. */
export function cutHtmlQuote(html: string): string {
  const lower = html.slice(0, MAX_HTML).toLowerCase();
  let at = -1;
  for (const marker of HTML_QUOTE_MARKERS) {
    const i = lower.indexOf(marker);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (at < 0) return html.slice(0, MAX_HTML);
  const tag = lower.lastIndexOf("<", at);
  const start = tag >= 0 ? tag : at;
  // Outlook draws a rule just before its "From: … Sent: …" block: cut there.
  const rule = lower.lastIndexOf("<hr", start);
  return html.slice(0, rule >= 0 && start - rule < 400 ? rule : start);
}

/** Compiled on first use (compiling is most of a short conversion's time). */
let replyConverter: ((html: string) => string) | undefined;
const htmlText = (html: string) => {
  replyConverter ??= compile({
    wordwrap: false,
    // Bounded work on any HTML: its length, nesting and children are capped.
    limits: { maxInputLength: MAX_HTML, maxDepth: 40, maxChildNodes: 2000, ellipsis: "" },
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      { selector: "blockquote", format: "skip" },
    ],
  });
  return replyConverter(html);
};

/** The reply's own words (reply-text.ts); `work` counts what the line patterns read. */
export function replyText(mail: Email, work?: Work): string {
  const source = mail.text?.trim() ? mail.text : mail.html ? htmlText(cutHtmlQuote(mail.html)) : "";
  return visibleText(source, work).slice(0, MAX_TEXT);
}

export async function readInbound(raw: ArrayBuffer | string): Promise<InboundMail> {
  const mail = await PostalMime.parse(raw, {
    rfc822Attachments: true,
    attachmentEncoding: "utf8",
    // Bounded work on any shape: deep nesting and huge header blocks are refused (recorded unparsed).
    maxNestingDepth: 32,
    maxHeadersSize: 256 * 1024,
  });
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
