// The browser entry writes CRLF; the default (node) entry uses os.EOL, a bare LF under workerd.
import { createMimeMessage, Mailbox } from "mimetext/browser";
import { ComposeError } from "./errors";

export interface MimeInput {
  messageId: string;
  from: { email: string; name?: string | null };
  to: string;
  replyTo?: string | null;
  subject: string;
  /** Epoch ms, from the injected clock. */
  date: number;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, the custom id header). */
  headers: Record<string, string>;
}

const CRLF = "\r\n";
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** Header values with CR or LF would let content inject headers (or a body): refuse them, never strip. */
export function assertHeaderValue(name: string, value: string): void {
  if (/[\r\n\0]/.test(value))
    throw new ComposeError(`header injection refused: ${name} contains CR, LF or NUL`);
  if (value.length > 998) throw new ComposeError(`${name} is longer than 998 characters`);
}

/** `Fri, 20 Nov 2026 23:21:17 +0000` (RFC 5322 date-time). */
export const rfc5322Date = (ms: number) => new Date(ms).toUTCString().replace(/GMT|UTC/i, "+0000");

/**
 * RFC 2047 encoded words for a header that may hold any Unicode: plain printable ASCII stays as it is;
 * anything else becomes base64 words of at most 75 characters, folded onto continuation lines, so a
 * long subject never breaks the 998-character line limit (mimetext itself does not fold).
 */
export function encodeHeaderWords(value: string, always = false): string {
  if (!always && /^[\x20-\x7e]*$/.test(value) && !value.includes("=?") && value.length <= 900) return value;
  const words: string[] = [];
  let chunk: number[] = [];
  const flush = () => {
    if (chunk.length) words.push(`=?UTF-8?B?${btoa(String.fromCharCode(...chunk))}?=`);
    chunk = [];
  };
  for (const ch of value) {
    const bytes = [...new TextEncoder().encode(ch)];
    // 45 bytes -> 60 base64 characters + 12 of framing = 72 <= 75; never split a character.
    if (chunk.length + bytes.length > 45) flush();
    chunk.push(...bytes);
  }
  flush();
  return words.join(`${CRLF} `);
}

/**
 * A display name for From: as it is when it is plain atoms, a quoted string when it has ASCII
 * specials (a comma, a dot, quotes), encoded words of at most 75 characters when it is not ASCII.
 */
export function displayName(name: string): string {
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(name) && name.length <= 200) return name;
  if (/^[\x20-\x7e]*$/.test(name) && !name.includes("=?") && name.length <= 200)
    return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return encodeHeaderWords(name, true);
}

/** Base64 of UTF-8 text in 76-character CRLF lines (RFC 2045), with the text's own line ends as CRLF. */
export function base64Body(text: string): string {
  const bytes = new TextEncoder().encode(text.replace(/\r?\n|\r/g, CRLF));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (btoa(bin).match(/.{1,76}/g) ?? [""]).join(CRLF);
}

const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1) || "localhost";

/**
 * Build the RFC 5322 message with mimetext (browser entry): multipart/alternative text + HTML,
 * both base64 so no body line can exceed 998 characters or carry a bare LF. Every header value is
 * checked for CR/LF first; the result is checked for bare CR or LF before it is handed over.
 */
export function buildMime(input: MimeInput): string {
  const display = input.from.name ?? "";
  for (const [name, value] of [
    ["From", input.from.email],
    ["From name", display],
    ["To", input.to],
    ["Reply-To", input.replyTo ?? ""],
    ["Subject", input.subject],
    ...Object.entries(input.headers),
  ] as const) {
    assertHeaderValue(name, value);
  }
  for (const name of Object.keys(input.headers)) {
    if (!HEADER_NAME.test(name)) throw new ComposeError(`invalid header name ${JSON.stringify(name)}`);
  }

  const msg = createMimeMessage();
  msg.setSender(display ? { addr: input.from.email, name: display } : { addr: input.from.email });
  msg.setTo({ addr: input.to });
  if (input.replyTo) msg.setHeader("Reply-To", new Mailbox({ addr: input.replyTo }));
  // mimetext writes a name or a subject as one encoded word of any length; RFC 2047 allows 75
  // characters per word: both are written here, split on character boundaries and folded.
  const subjectField = msg.headers.fields.find((f) => f.name === "Subject");
  if (subjectField) subjectField.dump = (v) => (typeof v === "string" ? encodeHeaderWords(v) : "");
  const fromField = msg.headers.fields.find((f) => f.name === "From");
  if (fromField)
    fromField.dump = (v) =>
      v instanceof Mailbox ? (v.name ? `${displayName(v.name)} <${v.addr}>` : `<${v.addr}>`) : "";
  msg.setSubject(input.subject);
  msg.setHeader("Date", rfc5322Date(input.date));
  msg.setHeader("Message-ID", `<${input.messageId}@${domainOf(input.from.email)}>`);
  for (const [name, value] of Object.entries(input.headers)) msg.setHeader(name, value);
  msg.addMessage({ contentType: "text/plain", data: base64Body(input.text), encoding: "base64" });
  msg.addMessage({ contentType: "text/html", data: base64Body(input.html), encoding: "base64" });

  const raw = msg.asRaw();
  if (/\r(?!\n)|(?<!\r)\n/.test(raw)) throw new ComposeError("built MIME has a bare CR or LF");
  if (raw.split(CRLF).some((line) => line.length > 998))
    throw new ComposeError("built MIME has a line over 998 characters");
  return raw;
}
