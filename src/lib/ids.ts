/**
 * Ids are `<prefix>_<12 hex of ms time><16 hex random>`: unique, and sortable by creation time,
 * which keyset pagination relies on.
 */
export function newId(prefix: string, at: number = Date.now()): string {
  const time = Math.floor(at).toString(16).padStart(12, "0");
  const rand = new Uint8Array(8);
  crypto.getRandomValues(rand);
  return `${prefix}_${time}${toHex(rand)}`;
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Random URL-safe token of `bytes` random bytes. */
export function randomToken(bytes = 24): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return base64url(buf);
}

export function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
