import { hmacKey, timingSafeEqual } from "../../lib/crypto";
import { toHex } from "../../lib/ids";

/**
 * The reply address token: `reply+<token>@<inbound domain>`. It packs the message id and the
 * organization id (14 bytes each: the hex of `msg_…` and `org_…` ids) and the first 8 bytes of an
 * HMAC over both, in lowercase base32: 58 characters, so the local part `reply+<token>` stays
 * within the 64 characters RFC 5321 allows and survives mail systems that fold case.
 */
const PURPOSE = "reply-address";
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const ID = /^(msg|org)_([0-9a-f]{28})$/;
export const REPLY_PREFIX = "reply+";

function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(s: string): Uint8Array | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s.toLowerCase()) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) return null;
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

const hexBytes = (hex: string) => new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);

async function mac(key: string, ids: Uint8Array): Promise<Uint8Array> {
  const sig = await crypto.subtle.sign("HMAC", await hmacKey(key, PURPOSE), ids);
  return new Uint8Array(sig).slice(0, 8);
}

/** The reply address of a message, or null when an id is not of the platform's own form. */
export async function replyAddress(
  key: string,
  organizationId: string,
  messageId: string,
  domain: string,
): Promise<string | null> {
  const m = ID.exec(messageId);
  const o = ID.exec(organizationId);
  if (!m || !o || m[1] !== "msg" || o[1] !== "org") return null;
  const ids = new Uint8Array([...hexBytes(m[2] as string), ...hexBytes(o[2] as string)]);
  return `${REPLY_PREFIX}${base32(new Uint8Array([...ids, ...(await mac(key, ids))]))}@${domain}`;
}

/** The message and organization a reply address names; null when it is not one or is forged. */
export async function readReplyAddress(
  key: string,
  address: string,
): Promise<{ organizationId: string; messageId: string } | null> {
  const at = address.lastIndexOf("@");
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  if (!local.startsWith(REPLY_PREFIX) || local.length !== REPLY_PREFIX.length + 58) return null;
  const bytes = unbase32(local.slice(REPLY_PREFIX.length));
  if (bytes?.length !== 36) return null;
  const ids = bytes.slice(0, 28);
  if (!timingSafeEqual(toHex(bytes.slice(28)), toHex(await mac(key, ids)))) return null;
  return { messageId: `msg_${toHex(ids.slice(0, 14))}`, organizationId: `org_${toHex(ids.slice(14))}` };
}
