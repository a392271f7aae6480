import { ApiError } from "../../lib/errors";
import { isValidEmail } from "../../lib/validation";
import { MESSAGE_ID_HEADER } from "../../providers/brevo";
import type { OutboundEmail } from "../../providers/types";
import type { Utm } from "../scenarios/store";
import { renderTemplate } from "../templates/store";
import { signClick, signOpen, signPreferences, signUnsubscribe } from "../tracking/tokens";
import { ComposeError } from "./errors";
import { htmlToText } from "./html-text";
import { buildMime } from "./mime";
import { memoSigner, trackHtml, trackText } from "./tracking-html";
import { escapeHtml } from "../../lib/html";

/** Everything needed to build one message; the loader (load.ts) assembles it from the ledger row. */
export interface ComposeInput {
  messageId: string;
  organizationId: string;
  idempotencyKey: string;
  contactId: string | null;
  from: { email: string; name?: string | null };
  to: string;
  replyTo?: string | null;
  /** Liquid sources: a template's, or a payload's literal content. */
  content: { subject: string; html: string; text: string | null; snippets?: Record<string, string> };
  /** Liquid variables (templateContext); `unsubscribe_url` is filled in here. */
  context: Record<string, unknown>;
  /** Marketing mail gets List-Unsubscribe; transactional mail (a reminder) does not. */
  transactional: boolean;
  /** Add a visible unsubscribe link to the body (scenario setting). */
  includeUnsubscribe: boolean;
  /** PUBLIC_BASE_URL without a trailing slash, and ENCRYPTION_KEY for the signed tokens. */
  baseUrl: string;
  signingKey: string;
  /** Epoch ms for the Date header. */
  date: number;
  /** UTM parameters added to every tracked link's destination (its own parameters are kept). */
  utm?: Utm | null;
  /** Off: no open pixel / links left as they are (campaign settings). Default on. */
  trackOpens?: boolean;
  trackClicks?: boolean;
  /** The sender's tags, handed to the provider. */
  tags?: string[];
}

/** The destination with utm_source, utm_medium, utm_campaign, utm_content set (existing ones replaced). */
export function withUtm(url: string, utm: Utm | null | undefined): string {
  if (!utm) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.searchParams.set("utm_source", utm.source);
  u.searchParams.set("utm_medium", utm.medium);
  u.searchParams.set("utm_campaign", utm.campaign);
  if (utm.content) u.searchParams.set("utm_content", utm.content);
  return u.toString();
}

export const ONE_CLICK = "List-Unsubscribe=One-Click";

/**
 * Render, track and build one message:
 * - Liquid render for the contact, with `{{ unsubscribe_url }}` (values HTML-escaped by htmlLiquid);
 * - every http(s) link to a signed /t/c/<token> URL (the token carries the destination), except the
 *   unsubscribe link; a 1x1 /t/o/<token> pixel; a visible unsubscribe link when asked;
 * - RFC 8058 `List-Unsubscribe: <https://.../u/<token>>` + `List-Unsubscribe-Post` for marketing mail;
 * - a text part generated from the HTML when the content has none; MIME via mimetext (CRLF).
 * Tracking needs a contact to attribute to: mail to a non-contact is sent untracked.
 */
export async function composeEmail(input: ComposeInput): Promise<OutboundEmail> {
  if (!isValidEmail(input.to)) throw new ComposeError("recipient address is not valid");
  if (!isValidEmail(input.from.email)) throw new ComposeError("sender address is not valid");
  if (input.replyTo && !isValidEmail(input.replyTo)) throw new ComposeError("reply-to address is not valid");

  const { baseUrl, signingKey: key, organizationId: o, messageId: m, contactId } = input;
  const unsubscribeUrl =
    !input.transactional && contactId
      ? `${baseUrl}/u/${await signUnsubscribe(key, { o, c: contactId, m })}`
      : null;

  let rendered: Awaited<ReturnType<typeof renderTemplate>>;
  try {
    rendered = await renderTemplate(input.content, {
      ...input.context,
      unsubscribe_url: unsubscribeUrl ?? "",
      unsubscribe_link: unsubscribeUrl ?? "",
      tracking_base: baseUrl,
      preferences_url: contactId ? `${baseUrl}/p/${await signPreferences(key, { o, c: contactId, m })}` : "",
    });
  } catch (e) {
    throw new ComposeError(e instanceof ApiError ? e.message : `template failed to render: ${String(e)}`);
  }

  const tracked = contactId !== null;
  const clicks = tracked && input.trackClicks !== false;
  const signer = memoSigner(
    async (u) => `${baseUrl}/t/c/${await signClick(key, { o, m, u: withUtm(u, input.utm) })}`,
  );
  const keep = (u: string) =>
    !clicks ||
    (unsubscribeUrl !== null && u === unsubscribeUrl) ||
    // Our own signed pages (unsubscribe, confirmation, preferences) keep their direct links.
    ["/u/", "/c/", "/p/"].some((p) => u.startsWith(`${baseUrl}${p}`));
  const showUnsubscribe = unsubscribeUrl !== null && input.includeUnsubscribe;
  const footer =
    showUnsubscribe && !rendered.html.includes(unsubscribeUrl)
      ? `<p style="font-size:12px;color:#666;text-align:center">Don't want these emails? <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`
      : null;
  const pixelUrl =
    tracked && input.trackOpens !== false ? `${baseUrl}/t/o/${await signOpen(key, { o, m })}` : null;

  const html = await trackHtml(rendered.html, {
    signClick: signer,
    keep,
    pixelUrl: pixelUrl && escapeHtml(pixelUrl),
    footerHtml: footer,
  });
  let text = rendered.text ?? htmlToText(rendered.html);
  if (clicks) text = await trackText(text, { signClick: signer, keep });
  if (showUnsubscribe && !text.includes(unsubscribeUrl)) text += `\n\nUnsubscribe: ${unsubscribeUrl}`;

  const headers: Record<string, string> = { [MESSAGE_ID_HEADER]: m };
  if (unsubscribeUrl) {
    headers["List-Unsubscribe"] = `<${unsubscribeUrl}>`;
    headers["List-Unsubscribe-Post"] = ONE_CLICK;
  }
  const raw = buildMime({
    messageId: m,
    from: input.from,
    to: input.to,
    replyTo: input.replyTo,
    subject: rendered.subject,
    date: input.date,
    html,
    text,
    headers,
  });
  return {
    messageId: m,
    organizationId: o,
    idempotencyKey: input.idempotencyKey,
    from: input.from,
    to: input.to,
    replyTo: input.replyTo ?? null,
    subject: rendered.subject,
    html,
    text,
    headers,
    raw,
    ...(input.tags?.length ? { tags: input.tags } : {}),
  };
}
