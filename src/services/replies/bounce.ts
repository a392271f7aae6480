/**
 * Delivery reports: is an inbound message a bounce, for which addresses, hard or soft? RFC 3464
 * reports are read field by field (one block per recipient); the plain-text notices older servers
 * still send (Exim, qmail, Postfix without a delivery-status part, Yahoo, AOL, Exchange, Sendmail,
 * GroupWise...) are recognised by who sends them, their subject, and the failure wording of the
 * report part, before the copy of the original message. The families and their wording were read
 * in flufl.bounce's detectors; the corpus in test/fixtures/bounces measures this (README: recall
 * and precision). Every pattern below is anchored or bounded: linear in the text it reads.
 */
import type { Attachment, Email } from "postal-mime";

export type DeliveryKind = "permanent" | "transient" | "success";

export interface BounceReport {
  /** How it was recognised: an RFC 3464 report, or a plain-text notice. */
  format: "dsn" | "text";
  recipients: { address: string | null; status: string | null; action: string | null; kind: DeliveryKind }[];
  /** The report as a whole: permanent if any recipient failed for good, success if all were delivered. */
  kind: DeliveryKind;
  /** Message ids of the original message, when the report carries its headers. */
  originalIds: string[];
}

/** The part of a report read for addresses and wording: at most this much, before the original. */
const MAX_REPORT = 64 * 1024;

const header = (mail: Email, key: string) =>
  mail.headers.find((h) => h.key === key.toLowerCase())?.value.trim() ?? "";

const text = (a: Attachment) =>
  typeof a.content === "string" ? a.content : new TextDecoder().decode(a.content as ArrayBuffer);

const MESSAGE_IDS = /<([^<>\s]{1,250})>/g;
export const idsIn = (value: string | null | undefined) =>
  [...(value ?? "").slice(0, 4000).matchAll(MESSAGE_IDS)].map((m) => m[1] as string);

/** A status code's class: 2 delivered, 4 transient, 5 permanent. */
function kindOf(status: string | null, action: string | null): DeliveryKind {
  if (action && /^(delivered|deliverable|relayed|expanded)$/.test(action)) return "success";
  if (action === "delayed") return "transient";
  if (action === "failed") return "permanent";
  if (status?.startsWith("2")) return "success";
  if (status?.startsWith("4")) return "transient";
  return "permanent";
}

const cleanAddress = (raw: string | null | undefined) => {
  const a = (raw ?? "")
    .replace(/^\s*(rfc822|x400|utf-8)\s*;\s*/i, "")
    .replace(/[<>"\s]/g, "")
    .replace(/^['`]+|['`.]+$/g, "")
    .replace(/^(smtp|rfc822)[=:]/i, "")
    .toLowerCase();
  return ADDRESS_ONLY.test(a) ? a : null;
};

/** The per-recipient blocks of a message/delivery-status part (RFC 3464 section 2.3). */
function readDeliveryStatus(body: string): BounceReport["recipients"] {
  // Continuation lines folded in; blocks are separated by blank lines; the first is per-message.
  const unfolded = body
    .slice(0, MAX_REPORT)
    .replace(/\r\n/g, "\n")
    .replace(/\n[ \t]+/g, " ");
  const out: BounceReport["recipients"] = [];
  for (const block of unfolded.split(/\n\s*\n/)) {
    const field = (name: string) =>
      new RegExp(`^${name}[ \\t]*:[ \\t]*([^\\n]{0,1000})$`, "im").exec(block)?.[1]?.trim() ?? null;
    const named = [field("Original-Recipient"), field("Final-Recipient")];
    const action = field("Action")?.toLowerCase().split(/[\s(]/)[0] ?? null;
    const status = field("Status")?.match(/[245]\.\d{1,3}\.\d{1,3}/)?.[0] ?? null;
    if (!named.some(Boolean) && !action && !status) continue;
    // The address as sent (Original-Recipient) and as finally tried (Final-Recipient): both name it.
    const addresses = [...new Set(named.map(cleanAddress))].filter((a): a is string => !!a);
    for (const address of addresses.length ? addresses : [null])
      out.push({ address, status, action, kind: kindOf(status, action) });
  }
  return out;
}

/** Who sends delivery reports: MAILER-DAEMON, postmaster, "Mail Delivery System", the null sender. */
const REPORTER =
  /^(mailer[-_]?daemon|mail[-_]?daemon|postmaster|mdaemon|mail[-_]?delivery[-_]?(system|subsystem)?|ndr|bounces?|nobody)(@|$)/i;
const REPORTER_NAME =
  /(mail delivery (system|subsystem|service)|mailer[- ]daemon|postmaster|mail administrator|system administrator|mail system|jetmail system)/i;

const FAILURE_SUBJECT =
  /(undeliver|undelivered|not delivered|delivery (status notification|failure|failed|has failed|problem|notification)|returned mail|returning message|failure (notice|delivery)|mail delivery failed|could not (be )?deliver|delivery error|non[- ]?delivery|nondeliverable|mail error|message not delivered|rejected|warning: could not send|delayed mail|delivery warning|failed mail|returned to sender|mail system error|permanent (error|failure)|unable to deliver)/i;

/** The wording of a failure report (the report part, not the original below it). */
const FAILURE_BODY = [
  /could not be delivered/i,
  /couldn't be delivered/i,
  /(was|were) not delivered/i,
  /has not (yet )?been delivered/i,
  /not yet been delivered/i,
  /undeliverable/i,
  /undelivered/i,
  /delivery (to the following recipients? )?(has )?failed/i,
  /unable to deliver/i,
  /(wasn't|was not|were not|weren't) able to deliver/i,
  /not able to deliver/i,
  /failed to deliver/i,
  /could not deliver/i,
  /couldn't deliver/i,
  /following address(es)? (had|failed)/i,
  /\(#[45]\.\d{1,3}\.\d{1,3}\)/,
  /\b5\.\d{1,3}\.\d{1,3}\b/,
  /no mailbox here/i,
  /an error was detected/i,
  /^error-for:/im,
  /has been (delayed|postponed)/i,
  /(was|were) (automatically )?rejected/i,
  /del[ei]very to the following recipients? (failed|was aborted)/i,
  /(list of )?failed (addresses|recipients)/i,
  /permanent (fatal )?errors?/i,
  /user unknown/i,
  /unknown user/i,
  /no such (user|mailbox|recipient)/i,
  /mailbox (is )?(unavailable|full|not found|disabled)/i,
  /(recipient|address) rejected/i,
  /did not reach the following recipient/i,
  /message not delivered/i,
  /delivery (has been )?delayed/i,
  /will (continue to|keep) (try|retry)/i,
  /still trying/i,
  /invalid (final delivery userid|recipient|address)/i,
  /there is no user/i,
  /not a valid user/i,
  /mail delivery software/i,
  /delivery problems/i,
  /returned mail/i,
  /message (was|has been) (rejected|returned)/i,
  /intended recipient/i,
  /is not a valid mailbox/i,
  /\b5\d\d[ -]5\.\d{1,3}\.\d{1,3}\b/,
  /\bsmtp error\b/i,
];

/** Where the copy of the original message starts in a plain-text report. */
const ORIGINAL_FOLLOWS =
  /^\s*(-{2,}\s*)?(this is a copy of|below (this|the next) line is a copy|original message (follows|attached)|a copy of the original message|the original message (was|is|headers)|-+ ?original message ?-+|-+ ?returned mail ?-+|returned message|-+ ?start of returned message|your message reads|message text follows|included is a copy|-+ ?session transcript|old message:|the text of your message was|-+ ?the header|unsent message below|undelivered message|--- ?headers of the original)/im;

/** Phrases of a report that will be retried: a warning, not a failure. */
const TRANSIENT =
  /(will (continue to|keep) (try|retry|attempt)|delivery attempts will continue|still (trying|being retried)|is a warning|this (is|was) only a warning|warning: (could not|message)|not yet been delivered|delivery (has been |is )?delayed|has been delayed|temporar(y|ily) (failure|error|unavailable|deferred)|will be retried|retry timeout not reached|you do not need to resend)/i;
const PERMANENT =
  /(permanent (fatal )?(error|failure)|i've given up|i'm not going to try again|giving up|has failed permanently|failure notification|which failed delivery|after \d+ attempt)/i;

const ADDRESS =
  /[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+/gi;
const ADDRESS_ONLY =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})+$/i;

/** The addresses a plain-text report names, minus the reporter's own and other mail system addresses. */
function addressesIn(report: string, exclude: Set<string>): string[] {
  const out: string[] = [];
  for (const m of report.matchAll(ADDRESS)) {
    const a = cleanAddress(m[0]);
    if (!a || exclude.has(a) || REPORTER.test(a.split("@")[0] ?? "") || out.includes(a)) continue;
    out.push(a);
    if (out.length >= 50) break;
  }
  return out;
}

function fromOf(mail: Email) {
  const f = mail.from && "address" in mail.from ? mail.from : null;
  return { address: (f?.address ?? "").toLowerCase(), name: f?.name ?? "" };
}

/** Is this a report from a mail system? Its sender, or its subject, says so. */
function fromMailSystem(mail: Email): boolean {
  const from = fromOf(mail);
  const returnPath = header(mail, "return-path");
  return (
    REPORTER.test(from.address.split("@")[0] ?? "") ||
    REPORTER.test(from.address) ||
    REPORTER_NAME.test(from.name) ||
    (!from.address && /<>/.test(header(mail, "from"))) ||
    /^<\s*>$/.test(returnPath) ||
    // A failure subject counts, unless a person answered in a thread ("Re: delivery failed" with
    // In-Reply-To): some mail systems prefix their notices with "RE:" too, but none threads them.
    (FAILURE_SUBJECT.test(mail.subject ?? "") &&
      !(PERSON_PREFIX.test(mail.subject ?? "") && (mail.inReplyTo || mail.references)))
  );
}

const PERSON_PREFIX = /^\s*(re|aw|sv|vs|tr|fw|fwd|wg|rv|ref)\s*:/i;

/** An HTML-only report as text: tags out (bounded), line breaks kept. */
const htmlAsText = (html: string) =>
  html
    .slice(0, MAX_REPORT)
    .replace(/<br\s{0,20}\/?>|<\/(p|div|tr|li|h\d)>/gi, "\n")
    .replace(/<[^<>]{0,2000}>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The plain-text report part: the body up to where the original message is copied. */
function reportPart(mail: Email): string {
  const source = mail.text?.trim() ? mail.text : htmlAsText(mail.html ?? "");
  const body = source.slice(0, MAX_REPORT).replace(/\r\n/g, "\n");
  const cut = ORIGINAL_FOLLOWS.exec(body);
  return cut && cut.index > 40 ? body.slice(0, cut.index) : body;
}

/** The message ids of the original, from its headers (attached, or copied into the text). */
function originalIds(mail: Email): string[] {
  const original = mail.attachments.find((a) =>
    /^(text\/rfc822-headers|message\/(rfc822|global|global-headers))$/i.test(a.mimeType),
  );
  const source = original ? text(original) : (mail.text ?? "");
  return idsIn(/^message-id:[ \t]*([^\n]{0,500})$/im.exec(source.slice(0, 2 * MAX_REPORT))?.[1]);
}

const overall = (kinds: DeliveryKind[]): DeliveryKind =>
  kinds.includes("permanent") ? "permanent" : kinds.includes("transient") ? "transient" : "success";

/** A delivery report, or null for anything else (a person's reply, an automatic reply). */
export function readBounce(mail: Email): BounceReport | null {
  const contentType = header(mail, "content-type");
  const status = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.mimeType));
  if (status || /report-type="?delivery-status/i.test(contentType)) {
    // A report forwarded as an attachment keeps its delivery-status part inside the attachment.
    const inner = mail.attachments.find((a) => /^message\/(rfc822|global)$/i.test(a.mimeType));
    let recipients = status ? readDeliveryStatus(text(status)) : inner ? readDeliveryStatus(text(inner)) : [];
    if (!recipients.length) {
      // A report without its machine-readable part: read its text as a plain notice.
      const report = reportPart(mail);
      const kind = PERMANENT.test(report) ? "permanent" : TRANSIENT.test(report) ? "transient" : "permanent";
      recipients = addressesIn(report, new Set([fromOf(mail).address])).map((address) => ({
        address,
        status: null,
        action: null,
        kind,
      }));
      if (!recipients.length) recipients = [{ address: null, status: null, action: null, kind }];
    }
    if (recipients.some((r) => !r.address)) {
      // x400 and other non-Internet recipients: the report's text or its subject names the address.
      const named = addressesIn(
        `${mail.subject ?? ""}\n${reportPart(mail)}`,
        new Set([fromOf(mail).address]),
      );
      recipients = recipients.flatMap((r) =>
        r.address || !named.length ? [r] : named.map((address) => ({ ...r, address })),
      );
    }
    return {
      format: "dsn",
      recipients,
      kind: overall(recipients.map((r) => r.kind)),
      originalIds: originalIds(mail),
    };
  }
  const failed = header(mail, "x-failed-recipients");
  const report = reportPart(mail);
  const worded = FAILURE_BODY.some((re) => re.test(report));
  // A mail system's own address, with a failure subject or qmail's "<address>:" lines, is one too.
  const daemon = REPORTER.test(fromOf(mail).address.split("@")[0] ?? "");
  const listed =
    daemon && (FAILURE_SUBJECT.test(mail.subject ?? "") || /^<[^<>\s]{3,254}>:\s*$/m.test(report));
  if (!failed && !listed && !(worded && fromMailSystem(mail))) return null;
  const codes = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(report)?.[1] ?? /^\s*([45])\d\d[ -]/m.exec(report)?.[1];
  const kind: DeliveryKind = PERMANENT.test(report)
    ? "permanent"
    : TRANSIENT.test(report)
      ? "transient"
      : codes === "4"
        ? "transient"
        : "permanent";
  const exclude = new Set([
    fromOf(mail).address,
    ...(mail.to ?? []).map((t) => ("address" in t ? (t.address ?? "").toLowerCase() : "")),
  ]);
  const named = [
    ...(failed ? failed.split(",").map((a) => cleanAddress(a)) : []),
    ...addressesIn(report, exclude),
  ].filter((a, i, all): a is string => !!a && all.indexOf(a) === i);
  const recipients = named.length
    ? named.map((address) => ({ address, status: null, action: null, kind }))
    : [{ address: null, status: null, action: null, kind }];
  return { format: "text", recipients, kind, originalIds: originalIds(mail) };
}
