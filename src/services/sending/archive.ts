import { base64url, fromBase64url, newId } from "../../lib/ids";

/**
 * Raw MIME lives in R2 (binding ARCHIVE), not in D1: a D1 database holds at most 10 GB and the
 * raw copy of every email would fill it first. One object per SEND batch and organization holds
 * the batch's messages back to back (one R2 write for the batch, not one per email); each message
 * row keeps a reference `r2:<key>#<offset>+<length>!<key>` and is read back with a range GET.
 * Each message is encrypted (AES-GCM) under its own random key, kept only in that reference: when
 * a contact is erased, deleting their message rows makes their raw copies unreadable even though
 * the batch object is shared (crypto-shredding). Keys start with the UTC day, so retention deletes
 * whole days (cron/retention.ts).
 */
export const MIME_PREFIX = "mime/";

const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export interface ArchiveItem {
  messageId: string;
  /** The message as text, or its bytes as received (inbound mail in any charset). */
  raw: string | Uint8Array;
}

/**
 * Store the batch's raw messages as one object; answers each message's reference. Without the
 * binding, or when the write fails, answers an empty map: the caller keeps the raw text in D1
 * instead, so the copy is never lost.
 */
export async function archiveRaw(
  bucket: R2Bucket | undefined,
  organizationId: string,
  at: number,
  items: ArchiveItem[],
): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  if (!bucket || !items.length) return refs;
  const key = `${MIME_PREFIX}${utcDay(at)}/${organizationId}/${newId("batch", at)}.eml`;
  const sealed = await Promise.all(items.map((i) => seal(i.raw)));
  const body = new Uint8Array(sealed.reduce((n, p) => n + p.bytes.length, 0));
  let offset = 0;
  const pending = new Map<string, string>();
  items.forEach((item, i) => {
    const part = sealed[i] as { bytes: Uint8Array; key: string };
    body.set(part.bytes, offset);
    pending.set(item.messageId, `r2:${key}#${offset}+${part.bytes.length}!${part.key}`);
    offset += part.bytes.length;
  });
  try {
    await bucket.put(key, body, { httpMetadata: { contentType: "message/rfc822" } });
  } catch (e) {
    console.error(
      `raw MIME archive write failed (${key}); keeping it in D1`,
      e instanceof Error ? e.message : e,
    );
    return refs;
  }
  return pending;
}

/** The raw message a reference names, or null (no binding, deleted by retention, bad reference). */
export async function readRaw(bucket: R2Bucket | undefined, ref: string | null): Promise<string | null> {
  const m = ref ? /^r2:(.+)#(\d+)\+(\d+)!([A-Za-z0-9_-]+)$/.exec(ref) : null;
  if (!bucket || !m) return null;
  const object = await bucket.get(m[1] as string, {
    range: { offset: Number(m[2]), length: Number(m[3]) },
  });
  if (!object) return null;
  try {
    return await open(new Uint8Array(await object.arrayBuffer()), m[4] as string);
  } catch {
    return null;
  }
}

const IV_BYTES = 12;

/** AES-GCM under a fresh key: the bytes (IV + ciphertext) and the key, base64url. */
async function seal(raw: string | Uint8Array): Promise<{ bytes: Uint8Array; key: string }> {
  const keyBytes = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await crypto.subtle.importKey("raw", keyBytes, "AES-GCM", false, ["encrypt"]);
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv },
      key,
      typeof raw === "string" ? new TextEncoder().encode(raw) : raw,
    ),
  );
  const bytes = new Uint8Array(IV_BYTES + cipher.length);
  bytes.set(iv);
  bytes.set(cipher, IV_BYTES);
  return { bytes, key: base64url(keyBytes) };
}

async function open(bytes: Uint8Array, keyText: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", fromBase64url(keyText), "AES-GCM", false, ["decrypt"]);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES) },
    key,
    bytes.slice(IV_BYTES),
  );
  return new TextDecoder().decode(plain);
}
